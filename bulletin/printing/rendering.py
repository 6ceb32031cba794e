"""An issue as print HTML, and that HTML as a PDF laid out by WeasyPrint.

The page set-up follows Hướng dẫn 36-HD/VPTW on the format of Party documents unless the
settings say otherwise (``PDF_MARGINS_MM``, ``PDF_BODY_PT``, ``PDF_RUNNING_HEADER``): a print
shop may ask for other margins without anyone touching the templates.

Everything the layout depends on besides the content (the committed fonts, the print templates
and the page set-up) goes into ``asset_version()``; the stored files' names carry it, so a
deploy or a setting that changes the layout makes every stored PDF stale by itself.
"""

import hashlib
import logging
import mimetypes
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.document import DiskCache
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from core.richtext import strip_tags

from ..models import Entry, EntryKind, Paper
from ..photos import place_photos

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step of every page at INFO: noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "bulletin" / "pdf"
# A family name of our own, so fontconfig can never pick an installed "Liberation Serif" instead.
FONT_FAMILY = "Ban Tin Serif"
FONT_FACES = [
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
]

# One font configuration for the life of the process: WeasyPrint registers each @font-face once
# and reuses it for every later render.
FONT_CONFIG = FontConfiguration()
_RENDER_LOCK = threading.Lock()

PAPER_MM = {Paper.A4: (210, 297), Paper.A5: (148, 210)}
# A5 pages are A4 pages shrunk for a booklet: margins by the ratio of the papers' sizes, the
# type by less, so that 13 pt stays readable at about 10.5 pt.
A5_MARGIN_SCALE = 0.7
A5_TYPE_SCALE = 0.8
# A top-level item starts on a new page when less than this share of the page is left: its
# heading and a few lines at the foot of a page read badly, while a fuller page wastes paper.
MIN_ROOM_SHARE = 0.2


class PdfError(Exception):
    """The PDF could not be produced; the message is meant for the staff who see it."""


@dataclass(frozen=True)
class PageSetup:
    """Paper, margins (mm: top, right, bottom, left) and body type (pt) of one paper size."""

    paper: str
    margins: tuple
    body_pt: float
    running_header: bool

    @property
    def mirrored(self):
        # A5 is printed as a booklet: the wider margin goes on the fold, left or right.
        return self.paper == Paper.A5

    @property
    def content_height_mm(self):
        top, _right, bottom, _left = self.margins
        return PAPER_MM[self.paper][1] - top - bottom

    # Lengths for the print stylesheet, formatted here: the template would localise "20,5".
    @property
    def margin_css(self):
        return " ".join(f"{margin:g}mm" for margin in self.margins)

    @property
    def left_page_margin_css(self):
        """A left-hand page of a booklet: the wide (binding) margin on the right, by the fold."""
        top, right, bottom, left = self.margins
        return f"{top:g}mm {left:g}mm {bottom:g}mm {right:g}mm"

    @property
    def body_size_css(self):
        return f"{self.body_pt:g}pt"

    @property
    def cover_height_css(self):
        # A hair under the page area, so that rounding never pushes the cover's foot a page on.
        return f"{self.content_height_mm - 1:g}mm"

    @property
    def min_room_css(self):
        return f"{self.content_height_mm * MIN_ROOM_SHARE:.1f}mm"


@checks.register()
def check_page_setup(app_configs=None, **kwargs):
    """A bad PDF setting stops ``manage.py check`` (and a deploy) instead of every render."""
    errors = []
    if settings.PDF_PAPER not in Paper.values:
        errors.append(
            checks.Error(
                f"PDF_PAPER={settings.PDF_PAPER!r}: expected A4 or A5.", id="bulletin.E001"
            )
        )
    try:
        page_setup()
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="bulletin.E002"))
    return errors


def _numbers(name, value, count, low, high):
    try:
        numbers = tuple(float(part) for part in str(value).replace(";", ",").split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != count or not all(low <= number <= high for number in numbers):
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected {count} number(s) between {low} and {high}."
        )
    return numbers


def page_setup(paper=Paper.A4):
    """The page set-up of ``paper`` from the settings; ``ImproperlyConfigured`` names a bad one."""
    margins = _numbers("PDF_MARGINS_MM", settings.PDF_MARGINS_MM, 4, 5, 60)
    (body_pt,) = _numbers("PDF_BODY_PT", settings.PDF_BODY_PT, 1, 9, 16)
    if paper == Paper.A5:
        margins = tuple(round(margin * A5_MARGIN_SCALE * 2) / 2 for margin in margins)
        body_pt = round(body_pt * A5_TYPE_SCALE * 2) / 2
    return PageSetup(paper, margins, body_pt, bool(settings.PDF_RUNNING_HEADER))


@lru_cache(maxsize=1)
def _image_cache():
    """One image cache for every render of the process: photos are decoded once.

    WeasyPrint's ``DiskCache`` keeps the decoded images in memory and their bytes on disk. Given
    a folder name instead, WeasyPrint would make a new cache per render and delete the folder
    after it, under the feet of a render running in another process. Image URLs carry the file's
    modification time, so a replaced file is never served from the cache.
    """
    folder = Path(settings.BULLETIN_PDF_IMAGE_CACHE)
    folder.mkdir(parents=True, exist_ok=True)
    return DiskCache(folder)


@lru_cache(maxsize=1)
def _files_version():
    digest = hashlib.sha256()
    for path in sorted(FONT_DIR.glob("*.ttf")) + sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def asset_version():
    """A digest of everything besides the content that changes the printed pages."""
    setup = repr([page_setup(paper) for paper in Paper.values])
    return hashlib.sha256((_files_version() + setup).encode()).hexdigest()


def font_faces():
    return [
        {"url": (FONT_DIR / name).as_uri(), "weight": weight, "style": style}
        for name, weight, style in FONT_FACES
    ]


def css_string(text):
    """``text`` as a CSS string literal that is also safe inside a <style> element."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"<>' else char for char in text)
    return f'"{escaped}"'


MEDIA_SCHEME = "bantin-media:"
# Pictures inserted in a text are "/media/..." links: resolved against this base, the fetcher
# recognises them and reads them from the storage. Any other address is refused.
BASE_URL = "https://bantin.invalid/"


def media_url(name):
    """The URL under which the print template names an uploaded file, read through the default
    storage (a folder or S3). WeasyPrint's image cache is keyed by URL: the file's time is part
    of it where the storage tells it cheaply, and stored names are unique anyway."""
    version = ""
    try:
        stat = Path(default_storage.path(name)).stat()
        version = f"?v={stat.st_mtime_ns}-{stat.st_size}"
    except (NotImplementedError, OSError):
        pass
    return f"{MEDIA_SCHEME}{quote(name)}{version}"


class _Fetcher(URLFetcher):
    """Reads only the committed fonts and the uploaded media; nothing leaves the server.

    A missing media file is fatal: a published PDF with a hole where a photo was is worse than
    keeping the previous file and telling the staff.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})
        self.font_dir = FONT_DIR.resolve()

    def fetch(self, url, headers=None):
        media_prefix = BASE_URL.rstrip("/") + settings.MEDIA_URL
        if url.startswith(media_prefix):
            url = MEDIA_SCHEME + url[len(media_prefix) :]
        if url.startswith(MEDIA_SCHEME):
            name = unquote(url[len(MEDIA_SCHEME) :].split("?")[0])
            if name.startswith("/") or ".." in name.split("/"):
                raise ValueError(f"Not an allowed file: {name}")
            try:
                with default_storage.open(name, "rb") as handle:
                    body = handle.read()
            except Exception as exc:
                raise FatalURLFetchingError(f"Missing file: {name}") from exc
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        if url.startswith("file:"):
            path = Path(unquote(url.split("?")[0].removeprefix("file://"))).resolve()
            if not path.is_relative_to(self.font_dir):
                raise ValueError(f"Not an allowed file: {path}")
        return super().fetch(url, headers)


def _check_image(photo):
    """Refuse to print a photo whose file is gone or unreadable, naming it for the staff."""
    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.verify()
    except Exception as exc:
        raise PdfError(
            _("Photo #%(id)s (“%(caption)s”) cannot be read: %(error)s")
            % {"id": photo.pk, "caption": photo.caption[:60], "error": exc.__class__.__name__}
        ) from exc


_FOOTNOTE_REF_RE = re.compile(r"<sup\b[^>]*class=\"footnote-ref\"[^>]*>(.*?)</sup>", re.S)
_FOOTNOTE_LIST_RE = re.compile(r"<ol\b[^>]*class=\"footnotes\"[^>]*>.*?</ol>", re.S)
_BLOCK_RE = re.compile(r"</?(p|div|ul|ol|li|blockquote|h[2-5])\b[^>]*>")


def inline_html(html):
    """A footnote's HTML made inline: it is printed inside a <span> in the citing paragraph."""
    parts = [part.strip() for part in _BLOCK_RE.split(html) if part and part.strip()]
    parts = [part for part in parts if not re.fullmatch(r"p|div|ul|ol|li|blockquote|h[2-5]", part)]
    return "<br>".join(parts)


def body_with_footnotes(body_html, footnotes):
    """Put each footnote's text at the place that cites it, for WeasyPrint's ``float: footnote``.

    When the markers are numbered 1 to n for the n footnotes of the entry, marker "N" cites the
    Nth footnote; otherwise (numbers running through the issue, symbols) the markers take the
    footnotes in order. Footnotes nobody cites are printed after the text, so nothing is lost.
    """
    footnotes = list(footnotes)
    if not footnotes:
        return body_html
    html = _FOOTNOTE_LIST_RE.sub("", body_html)
    labels = [strip_tags(label, "").strip() for label in _FOOTNOTE_REF_RE.findall(html)]
    by_number = sorted(labels) == sorted(str(n) for n in range(1, len(footnotes) + 1))
    order = iter(range(len(footnotes)))
    used = set()

    def replace(match):
        if by_number:
            index = int(strip_tags(match.group(1), "").strip()) - 1
        else:
            index = next(order, None)
        if index is None:
            return match.group(0)
        used.add(index)
        return f'<span class="footnote">{inline_html(footnotes[index].text)}</span>'

    html = _FOOTNOTE_REF_RE.sub(replace, html)
    rest = [note for i, note in enumerate(footnotes) if i not in used]
    if rest:
        html += "".join(f'<p class="footnote-orphan">{note.text}</p>' for note in rest)
    return html


def photo_html(photo):
    """A photo with its caption below, kept together; a photo still to be uploaded prints its
    caption alone, in italics, as the printed issue does."""
    if not photo.image:
        return format_html('<p class="caption">{}</p>', photo.caption)
    _check_image(photo)
    url = media_url(photo.image.name)
    credit = format_html(' <span class="credit">({})</span>', photo.credit) if photo.credit else ""
    return format_html(
        '<figure class="photo"><img src="{}" alt=""><figcaption>{}{}</figcaption></figure>',
        url,
        photo.caption,
        credit,
    )


_SITE_LINK_RE = re.compile(r'href="/(?!/)')


def print_links(html):
    """Links to pages of the site made absolute, so they still lead somewhere from the PDF."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return _SITE_LINK_RE.sub(f'href="{site}/', html) if site else html


def cover_title_lines(title):
    """The cover title in capitals, broken after "TÀI LIỆU" as the printed cover does."""
    title = title.upper().strip()
    head, _sep, rest = title.partition("TÀI LIỆU ")
    if not head and rest:
        return ["TÀI LIỆU", rest]
    return [title]


def issue_context(issue, paper=Paper.A4):
    entries = list(
        Entry.objects.filter(issue=issue)
        .select_related("document__issuer")
        .prefetch_related(
            "footnotes",
            # News items hang from the news section: reached through the reverse relation.
            "news_items__photos",
        )
    )
    for number, entry in enumerate(entries, start=1):
        entry.number = str(number)
        # The stored HTML, not ``body_html``: the site's links and anchors have no place on paper.
        entry.print_body = print_links(body_with_footnotes(entry.body, entry.footnotes.all()))
        entry.is_news = entry.kind == EntryKind.NEWS
        for sub, item in enumerate(entry.news_items.all(), start=1):
            item.number = f"{number}.{sub}"
            item.print_body = print_links(place_photos(item.body, item.photos.all(), photo_html))
    return {
        "issue": issue,
        "title_lines": cover_title_lines(issue.title),
        "entries": entries,
        "paper": paper,
        "page": page_setup(paper),
        "fonts": font_faces(),
        "font_family": FONT_FAMILY,
        "running_header": css_string(f"{issue.title} · {issue.month_label}"),
        "author": f"{issue.cover_board}, {issue.cover_committee}",
        "subject": f"{issue.title}, {issue.month_label}. {issue.internal_use_notice}",
        "created": (issue.published_at or timezone.now()).isoformat(timespec="seconds"),
        "modified": issue.updated_at.isoformat(timespec="seconds") if issue.updated_at else "",
    }


def issue_html(issue, paper=Paper.A4):
    return render_to_string("bulletin/pdf/issue.html", issue_context(issue, paper))


def write_pdf(html):
    """WeasyPrint on print HTML: the one costly step, done once per stored PDF."""
    # The font configuration and the image cache are shared: one render at a time per process
    # (Pango and fontconfig are not made for threads sharing a font map).
    with _RENDER_LOCK:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=_Fetcher()).write_pdf(
            font_config=FONT_CONFIG, cache=_image_cache()
        )


def html_to_pdf(html):
    """The PDF of an issue's print HTML (the name tests and the renditions patch)."""
    return write_pdf(html)


def validate_pdf(data):
    """Raise ``PdfError`` unless ``data`` is a PDF that pypdf can read page by page."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 -- touching it parses the page
    except Exception as exc:
        raise PdfError(_("The PDF file is invalid: %(error)s") % {"error": exc}) from exc
    if not pages:
        raise PdfError(_("The PDF file has no pages."))
    return pages


def render_issue(issue, paper=Paper.A4):
    """The PDF bytes of ``issue``, checked; raises ``PdfError`` with a readable message."""
    try:
        data = html_to_pdf(issue_html(issue, paper))
    except PdfError:
        raise
    except FatalURLFetchingError as exc:
        raise PdfError(str(exc)) from exc
    except Exception as exc:
        logger.exception("Rendering the PDF of issue %s failed", issue.pk)
        raise PdfError(f"{exc.__class__.__name__}: {exc}") from exc
    validate_pdf(data)
    return data
