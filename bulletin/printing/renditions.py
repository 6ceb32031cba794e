"""The stored PDFs of a published issue, and the copy a reader downloads.

A published issue's PDF is rendered once per paper size and kept in ``Rendition``; the A5 render
also stores the booklet (its pages imposed two-up on A4 sheets), so every variant a reader can ask
for is read from storage. A download only stamps the reader's watermark on the stored file.
Drafts are rendered on demand and never stored.

The stored file's name carries the layout version and a digest of the print HTML: a file is
fresh when both still match, whatever happened in between.
"""

import hashlib
import logging
from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint.urls import FatalURLFetchingError

from core.people import display_name

from ..models import Paper, Rendition
from . import imposition, rendering
from .rendering import PdfError

logger = logging.getLogger(__name__)

# Stored for every published issue: A4 to read and print, A5 for small print and the booklet.
RENDERED_PAPERS = [Paper.A4, Paper.A5]
BOOKLET_SUFFIX = "-booklet"


def content_hash(html):
    return hashlib.sha256((rendering.asset_version() + html).encode()).hexdigest()


def _file_name(issue, paper, digest):
    version = rendering.asset_version()[:8]
    return f"pdf/{issue.year}-{issue.month:02d}-{issue.pk}-{paper}-{version}-{digest[:16]}.pdf"


def booklet_name(name):
    """The stored booklet made from the A5 file ``name``: named after it, so it is as fresh."""
    return name.removesuffix(".pdf") + BOOKLET_SUFFIX + ".pdf"


def _rendered_from(rendition, digest):
    """Whether the stored file was rendered from HTML of this digest, with today's layout.
    (The storage may have added a suffix to the name if two renders met.)"""
    return bool(
        digest
        and rendition.file
        and f"-{rendering.asset_version()[:8]}-{digest[:16]}" in rendition.file.name
        and default_storage.exists(rendition.file.name)
    )


def is_fresh(rendition):
    """A stored rendition is served as is when nothing changed since it was rendered."""
    return bool(rendition and _rendered_from(rendition, rendition.content_hash))


def _store_booklet(a5_name, data):
    """Impose the A5 PDF ``data`` and store it next to its A5 file; returns the booklet bytes."""
    booklet = imposition.booklet(data)
    name = booklet_name(a5_name)
    # Same name, same content: a booklet left by a render that met this one is replaced.
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(booklet))
    return booklet


def refresh_rendition(issue, paper=Paper.A4):
    """Render and store the PDF of ``issue`` unless the stored one matches its content; the A5
    render stores the booklet as well.

    A failure keeps the previous files and records the error on the rendition, for the admin.
    Returns the rendition.
    """
    rendition, _created = Rendition.objects.get_or_create(issue=issue, paper=paper)
    try:
        html = rendering.issue_html(issue, paper)
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
        data = rendering.html_to_pdf(html)
        rendering.validate_pdf(data)
    except Exception as exc:
        message = str(exc) if isinstance(exc, PdfError) else f"{exc.__class__.__name__}: {exc}"
        if not isinstance(exc, PdfError | FatalURLFetchingError):
            logger.exception("Rendering the PDF of issue %s failed", issue.pk)
        return _record_failure(rendition, message)
    old_name = rendition.file.name if rendition.file else None
    stored = default_storage.save(name, ContentFile(data))
    if paper == Paper.A5:
        _store_booklet(stored, data)
    rendition.file.name = stored
    rendition.content_hash = digest
    rendition.rendered_at = timezone.now()
    rendition.error = ""
    rendition.failed_at = None
    rendition.save()
    if old_name and old_name != stored:
        default_storage.delete(old_name)
        if default_storage.exists(booklet_name(old_name)):
            default_storage.delete(booklet_name(old_name))
    return rendition


def _record_failure(rendition, message):
    logger.warning(
        "PDF of issue %s (%s) not rendered: %s", rendition.issue_id, rendition.paper, message
    )
    rendition.error = message
    rendition.failed_at = timezone.now()
    rendition.save(update_fields=["error", "failed_at"])
    return rendition


def _read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def published_pdf(issue, paper=Paper.A4, *, booklet=False):
    """The stored PDF (or booklet) of a published issue, rendered now if stale or missing.

    When the new render fails, the last good file is served (it is a valid PDF, only older);
    with no good file at all, ``PdfError`` is raised.
    """
    if booklet:
        paper = Paper.A5
    rendition = Rendition.objects.filter(issue=issue, paper=paper).first()
    if not is_fresh(rendition):
        rendition = refresh_rendition(issue, paper)
    # A render finishing elsewhere deletes the file it replaces: read the newer one then.
    for _attempt in range(2):
        if rendition.file:
            try:
                data = _read(rendition.file.name)
            except OSError:
                rendition.refresh_from_db()
                continue
            if not booklet:
                return data
            try:
                return _read(booklet_name(rendition.file.name))
            except OSError:
                # Stored before booklets were: made once now, then read like the others.
                return _store_booklet(rendition.file.name, data)
    raise PdfError(rendition.error or _("There is no PDF yet."))


def issue_pdf_bytes(issue, paper=Paper.A4, *, booklet=False):
    """The unstamped PDF of ``issue``: the stored one when published, a fresh render otherwise."""
    if issue.is_published:
        return published_pdf(issue, paper, booklet=booklet)
    data = rendering.render_issue(issue, Paper.A5 if booklet else paper)
    return imposition.booklet(data) if booklet else data


def stamp_html(text, paper, booklet=False):
    return render_to_string(
        "bulletin/pdf/stamp.html",
        {
            "text": text,
            "paper": paper,
            "booklet": booklet,
            "fonts": rendering.font_faces(),
            "font_family": rendering.FONT_FAMILY,
        },
    )


@lru_cache(maxsize=128)
def stamp_pdf(text, paper, booklet=False):
    """A one-page, transparent PDF holding the watermark ``text``: of ``paper`` size, or an A4
    landscape sheet with the text on each half for a booklet.

    Kept for the day: the text holds the reader's name and the date, and a reader who
    downloads again (another paper size, the booklet) gets the same stamp page."""
    return rendering.write_pdf(stamp_html(text, paper, booklet))


def reader_name(user):
    return display_name(user)


def stamped(data, name, *, paper=Paper.A4, booklet=False, today=None):
    """``data`` with ``name``, the date and the internal-use notice on every page."""
    text = imposition.watermark_text(name, today or timezone.localdate())
    return imposition.stamp(data, stamp_pdf(text, Paper.A5 if booklet else paper, booklet))


def reader_copy(issue, user, *, paper=Paper.A4, booklet=False, today=None):
    """The PDF a reader downloads: the stored file stamped on every page with their name, the
    date and the internal-use notice; a booklet has A5 pages two-up on A4 landscape sheets."""
    data = issue_pdf_bytes(issue, paper, booklet=booklet)
    return stamped(data, reader_name(user), paper=paper, booklet=booklet, today=today)


def file_name(issue, paper, booklet=False):
    suffix = "-tap-gap" if booklet else ""
    return f"ban-tin-{issue.year}-{issue.month:02d}-{paper}{suffix}.pdf"
