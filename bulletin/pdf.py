"""The printed bulletin as a PDF: HTML from a print template, laid out by WeasyPrint.

The PDF of a published issue is rendered once per paper size and kept in ``Rendition``; downloads
read that file and stamp the reader's copy (see ``bulletin.imposition``). Drafts are rendered on
demand and never stored.

Everything the layout depends on (the committed fonts, the print stylesheet and templates) goes
into ``asset_version()``, and the stored file's name carries it, so a deploy that changes the
layout makes every stored PDF stale without touching the database.
"""

import hashlib
import logging
import mimetypes
import re
import threading
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.document import DiskCache
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from core.richtext import html_to_text
from news.models import NewsItem, Photo

from .models import Entry, EntryKind, Paper, Rendition

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


class PdfError(Exception):
    """The PDF could not be produced; the message is meant for the staff who see it."""


@lru_cache(maxsize=1)
def asset_version():
    """A digest of everything besides the content that changes the printed pages."""
    digest = hashlib.sha256()
    for path in sorted(FONT_DIR.glob("*.ttf")) + sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
    from PIL import Image

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
_TAG_RE = re.compile(r"<[^>]+>")
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
    labels = [_TAG_RE.sub("", label).strip() for label in _FOOTNOTE_REF_RE.findall(html)]
    by_number = sorted(labels) == sorted(str(n) for n in range(1, len(footnotes) + 1))
    order = iter(range(len(footnotes)))
    used = set()

    def replace(match):
        if by_number:
            index = int(_TAG_RE.sub("", match.group(1)).strip()) - 1
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


_CAPTION_RE = re.compile(r'<p class="caption-pending">(.*?)</p>', re.S)


def _caption_key(text):
    return html_to_text(text).casefold()


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


def body_with_photos(body_html, photos):
    """Each photo where its caption stands in the text (the importer leaves the captions there as
    ``<p class="caption-pending">``); photos whose caption is not in the text follow it."""
    remaining = list(photos)

    def replace(match):
        key = _caption_key(match.group(1))
        for index, photo in enumerate(remaining):
            if _caption_key(photo.caption) == key:
                return photo_html(remaining.pop(index))
        return match.group(0)

    html = _CAPTION_RE.sub(replace, body_html)
    return html + "".join(photo_html(photo) for photo in remaining)


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
            Prefetch(
                "news_items",
                queryset=NewsItem.objects.prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.all())
                ),
            ),
        )
    )
    for number, entry in enumerate(entries, start=1):
        entry.number = str(number)
        # The stored HTML, not ``body_html``: the site's links and anchors have no place on paper.
        entry.print_body = print_links(body_with_footnotes(entry.body, entry.footnotes.all()))
        entry.is_news = entry.kind == EntryKind.NEWS
        for sub, item in enumerate(entry.news_items.all(), start=1):
            item.number = f"{number}.{sub}"
            item.print_body = print_links(body_with_photos(item.body, item.photos.all()))
    return {
        "issue": issue,
        "title_lines": cover_title_lines(issue.title),
        "entries": entries,
        "paper": paper,
        "fonts": font_faces(),
        "font_family": FONT_FAMILY,
        "running_header": css_string(f"{issue.title} · {issue.month_label}"),
        "author": f"{issue.board}, {issue.committee}",
        "created": (issue.published_at or timezone.now()).isoformat(timespec="seconds"),
        "modified": issue.updated_at.isoformat(timespec="seconds") if issue.updated_at else "",
    }


def issue_html(issue, paper=Paper.A4):
    return render_to_string("bulletin/pdf/issue.html", issue_context(issue, paper))


def content_hash(html):
    return hashlib.sha256((asset_version() + html).encode()).hexdigest()


def _write_pdf(html):
    # The font configuration and the image cache are shared: one render at a time per process
    # (Pango and fontconfig are not made for threads sharing a font map).
    with _RENDER_LOCK:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=_Fetcher()).write_pdf(
            font_config=FONT_CONFIG, cache=_image_cache()
        )


def html_to_pdf(html):
    """WeasyPrint on the HTML of an issue: the one costly step, done once per stored PDF."""
    return _write_pdf(html)


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


def _file_name(issue, paper, digest):
    version = asset_version()[:8]
    return f"pdf/{issue.year}-{issue.month:02d}-{issue.pk}-{paper}-{version}-{digest[:16]}.pdf"


def _rendered_from(rendition, digest):
    """Whether the stored file was rendered from HTML of this digest, with today's layout.
    (The storage may have added a suffix to the name if two renders met.)"""
    return bool(
        digest
        and rendition.file
        and f"-{asset_version()[:8]}-{digest[:16]}" in rendition.file.name
        and default_storage.exists(rendition.file.name)
    )


def is_fresh(rendition):
    """A stored rendition is served as is when nothing changed since it was rendered."""
    return bool(rendition and _rendered_from(rendition, rendition.content_hash))


def refresh_rendition(issue, paper=Paper.A4):
    """Render and store the PDF of ``issue`` unless the stored one matches its content.

    A failure keeps the previous file and records the error on the rendition, for the admin.
    Returns the rendition.
    """
    rendition, _created = Rendition.objects.get_or_create(issue=issue, paper=paper)
    try:
        html = issue_html(issue, paper)
    except PdfError as exc:
        return _record_failure(rendition, str(exc))
    except Exception as exc:
        logger.exception("The print HTML of issue %s failed", issue.pk)
        return _record_failure(rendition, f"{exc.__class__.__name__}: {exc}")
    digest = content_hash(html)
    name = _file_name(issue, paper, digest)
    if _rendered_from(rendition, digest):
        # Nothing changed since that file was rendered (an edit undone, a save without changes).
        if rendition.content_hash != digest or rendition.error:
            rendition.content_hash, rendition.error, rendition.failed_at = digest, "", None
            rendition.save(update_fields=["content_hash", "error", "failed_at"])
        return rendition
    try:
        data = html_to_pdf(html)
        validate_pdf(data)
    except Exception as exc:
        message = str(exc) if isinstance(exc, PdfError) else f"{exc.__class__.__name__}: {exc}"
        if not isinstance(exc, PdfError | FatalURLFetchingError):
            logger.exception("Rendering the PDF of issue %s failed", issue.pk)
        return _record_failure(rendition, message)
    old_name = rendition.file.name if rendition.file else None
    stored = default_storage.save(name, ContentFile(data))
    rendition.file.name = stored
    rendition.content_hash = digest
    rendition.rendered_at = timezone.now()
    rendition.error = ""
    rendition.failed_at = None
    rendition.save()
    if old_name and old_name != stored:
        default_storage.delete(old_name)
    return rendition


def _record_failure(rendition, message):
    logger.warning(
        "PDF of issue %s (%s) not rendered: %s", rendition.issue_id, rendition.paper, message
    )
    rendition.error = message
    rendition.failed_at = timezone.now()
    rendition.save(update_fields=["error", "failed_at"])
    return rendition


def published_pdf(issue, paper=Paper.A4):
    """The stored PDF of a published issue, rendered now if it is stale or missing.

    When the new render fails, the last good file is served (it is a valid PDF, only older);
    with no good file at all, ``PdfError`` is raised.
    """
    rendition = Rendition.objects.filter(issue=issue, paper=paper).first()
    if not is_fresh(rendition):
        rendition = refresh_rendition(issue, paper)
    # A render finishing elsewhere deletes the file it replaces: read the newer one then.
    for _attempt in range(2):
        if rendition.file:
            try:
                with default_storage.open(rendition.file.name, "rb") as handle:
                    return handle.read()
            except OSError:
                rendition.refresh_from_db()
    raise PdfError(rendition.error or _("There is no PDF yet."))


def issue_pdf_bytes(issue, paper=Paper.A4):
    """The unstamped PDF of ``issue``: the stored one when published, a fresh render otherwise."""
    if issue.is_published:
        return published_pdf(issue, paper)
    return render_issue(issue, paper)


def stamp_html(text, paper):
    return render_to_string(
        "bulletin/pdf/stamp.html",
        {"text": text, "paper": paper, "fonts": font_faces(), "font_family": FONT_FAMILY},
    )


@lru_cache(maxsize=128)
def stamp_pdf(text, paper):
    """A one-page, transparent PDF of ``paper`` size holding the watermark ``text``.

    Kept for the day: the text holds the reader's name and the date, and a reader who
    downloads again (another paper size, the booklet) gets the same stamp page."""
    return _write_pdf(stamp_html(text, paper))


def reader_name(user):
    profile = getattr(user, "profile", None)
    return (
        (profile.full_name if profile is not None else "")
        or user.get_full_name()
        or user.get_username()
    )


def reader_copy(issue, user, *, paper=Paper.A4, booklet=False, today=None):
    """The PDF a reader downloads: stamped on every page with their name, the date and the
    internal-use notice; a booklet imposes A5 pages two-up on A4 landscape sheets."""
    from . import imposition

    if booklet:
        paper = Paper.A5
    data = issue_pdf_bytes(issue, paper)
    today = today or timezone.localdate()
    text = imposition.watermark_text(reader_name(user), today)
    data = imposition.stamp(data, stamp_pdf(text, paper))
    if booklet:
        data = imposition.booklet(data)
    return data


def file_name(issue, paper, booklet=False):
    suffix = "-tap-gap" if booklet else ""
    return f"ban-tin-{issue.year}-{issue.month:02d}-{paper}{suffix}.pdf"


def download_response(issue, user, *, paper=Paper.A4, booklet=False):
    """The HTTP response of a download, logged in ``Download``; a 503 page if no PDF exists."""
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    from .models import Download

    if booklet:
        paper = Paper.A5
    try:
        data = reader_copy(issue, user, paper=paper, booklet=booklet)
    except Exception as exc:
        if isinstance(exc, PdfError):
            logger.warning("No PDF for issue %s: %s", issue.pk, exc)
        else:
            logger.exception("The PDF of issue %s could not be prepared", issue.pk)
        response = HttpResponse(
            _("The PDF of this issue cannot be produced right now; please try again later."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        add_never_cache_headers(response)
        return response
    Download.objects.create(issue=issue, user=user, paper=paper, booklet=booklet)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(issue, paper, booklet)}"'
    if issue.is_published:
        # The copy carries the reader's name: no shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
    else:
        add_never_cache_headers(response)
    return response


# The admin's PDF button and the state of the stored copies (wired in IssueAdmin).


def admin_field(model_admin, issue):
    """Links to the PDF of ``issue`` and, for each stored paper size, when it was rendered or
    why its last render failed."""
    from django.urls import reverse
    from django.utils.formats import localize
    from django.utils.html import format_html_join
    from django.utils.timezone import localtime

    if issue is None or issue.pk is None:
        return "—"
    url = reverse(f"{model_admin.admin_site.name}:bulletin_issue_pdf", args=[issue.pk])
    links = format_html(
        '<a class="button" href="{}">{}</a> <a class="button" href="{}?paper=A5">{}</a> '
        '<a class="button" href="{}?booklet=1">{}</a>',
        url,
        _("PDF A4"),
        url,
        _("PDF A5"),
        url,
        _("Booklet"),
    )
    rows = []
    for rendition in issue.renditions.all():
        if rendition.failed_at and rendition.error:
            state = format_html(
                '<strong style="color:#c53030">{}</strong> {}',
                _("Last render failed at %(time)s:")
                % {"time": localize(localtime(rendition.failed_at))},
                rendition.error,
            )
        elif rendition.rendered_at:
            state = _("rendered at %(time)s") % {"time": localize(localtime(rendition.rendered_at))}
            if not is_fresh(rendition):
                state += " " + _("(out of date: rendered again at the next download)")
        else:
            state = _("not rendered yet")
        rows.append((rendition.paper, state))
    status = format_html_join("", "<li>{}: {}</li>", rows)
    if not rows:
        status = format_html("<li>{}</li>", _("No stored PDF."))
    return format_html("<p>{}</p><ul>{}</ul>", links, status)


def download_for_request(request, issue):
    """The stamped PDF of ``issue`` as the request asks for it (``?paper=A4|A5``,
    ``?booklet=1``), or a 400 naming an unknown paper size. Access is the caller's to check."""
    from django.http import HttpResponseBadRequest

    paper = request.GET.get("paper", Paper.A4).strip().upper()
    if paper not in Paper.values:
        return HttpResponseBadRequest(
            _("Unknown paper size “%(paper)s”: choose A4 or A5.") % {"paper": paper[:10]},
            content_type="text/plain; charset=utf-8",
        )
    booklet = request.GET.get("booklet", "").lower() in {"1", "true", "yes", "on"}
    return download_response(issue, request.user, paper=paper, booklet=booklet)


def admin_view(model_admin, request, object_id):
    """The PDF of any issue, for staff who may export: drafts are rendered on demand."""
    from django.contrib.admin.utils import unquote
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    issue = model_admin.get_object(request, unquote(object_id))
    if issue is None:
        raise Http404(_("No such issue."))
    if not (
        model_admin.has_view_or_change_permission(request, issue)
        and request.user.has_perm("bulletin.export_pdf")
    ):
        raise PermissionDenied
    return download_for_request(request, issue)
