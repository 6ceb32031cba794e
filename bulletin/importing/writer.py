"""Writing a parsed issue as a draft: the only stage that touches the database.

Everything is written in one transaction, or nothing: a failure half-way leaves no half-written
issue, and the registry documents a failed import would have created are rolled back with it.
The pictures of a Word file go to the media storage, which no transaction covers: the files an
import stored are deleted again when its transaction rolls back.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bulletin.models import Committee, Entry, Footnote, Issue, ScanPage, Status
from core import revisions
from core.calendar import FIRST_YEAR, LAST_YEAR, YEARS
from documents.models import Document, Issuer

from .errors import ImportRefused
from .structure import ParsedIssue


@dataclass
class ImportResult:
    """What an import made: the draft issue, what was read, and the report."""

    issue: Issue
    parsed: ParsedIssue
    replaced: bool = False
    documents_created: int = 0

    def summary(self):
        return self.parsed.summary()

    @property
    def findings(self):
        return self.parsed.findings

    def entry_ids(self):
        """The primary key of each written entry by its position, for links in the report."""
        return dict(self.issue.entries.values_list("position", "pk"))


def resolve_month(parsed, month, year):
    """The month and year of the issue: the cover's, or the ones given when it has none."""
    month = int(month) if month not in (None, "") else None
    year = int(year) if year not in (None, "") else None
    if parsed.month is not None:
        if (month is not None and month != parsed.month) or (
            year is not None and year != parsed.year
        ):
            raise ImportRefused(
                _(
                    "The cover says “Tháng %(cover_month)d năm %(cover_year)d” but the month and "
                    "year given are %(month)s/%(year)s. Leave them empty or correct them."
                )
                % {
                    "cover_month": parsed.month,
                    "cover_year": parsed.year,
                    "month": month or "-",
                    "year": year or "-",
                }
            )
        month, year = parsed.month, parsed.year
    if month is None or year is None:
        raise ImportRefused(
            _(
                "The cover of this issue does not print its month and year "
                "(“Tháng 6 năm 2024”): give the month and the year."
            )
        )
    if not 1 <= month <= 12:
        raise ImportRefused(_("The month must be between 1 and 12."))
    if year not in YEARS:
        raise ImportRefused(
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return month, year


def write_draft(parsed, *, replace=False, by=None, committee=None):
    """Write ``parsed`` (its month and year resolved) as a draft issue of ``committee`` (the
    default committee when None); return an ImportResult.

    Refuses, writing nothing, when the committee already has an issue that month, unless
    ``replace`` and that issue is still a draft: then the old issue and its contents are deleted,
    its registry documents kept.
    """
    month, year = parsed.month, parsed.year
    committee = committee or Committee.objects.default()
    issue = Issue(
        committee=committee,
        month=month,
        year=year,
        status=Status.DRAFT,
        created_by=by,
        updated_by=by,
    )
    # The cover's own lines are kept as printed; without them the committee's are used.
    if parsed.committee:
        issue.cover_committee = parsed.committee
    if parsed.board:
        issue.cover_board = parsed.board
    if parsed.scan is not None:
        issue.needs_review = True
        issue.review_notes = review_notes(parsed.scan.report)
    result = ImportResult(issue=issue, parsed=parsed)
    existing = Issue.objects.filter(committee=committee, month=month, year=year).first()
    if existing and not replace:
        raise ImportRefused(
            _(
                "There is already an issue for %(month)d/%(year)d (“%(issue)s”, number %(pk)d). "
                "Nothing was imported; choose “replace” to import it anew."
            )
            % {"month": month, "year": year, "issue": existing, "pk": existing.pk}
        )
    if existing and existing.status != Status.DRAFT:
        # An import must never wipe out what was reviewed or published, nor its history.
        raise ImportRefused(
            _(
                "The issue for %(month)d/%(year)d is no longer a draft (%(status)s): only a draft "
                "can be replaced by an import. Nothing was imported."
            )
            % {"month": month, "year": year, "status": existing.get_status_display()}
        )
    stored = []  # the picture files written so far, as (storage, name)
    try:
        try:
            with transaction.atomic():
                if existing:
                    existing.delete()
                    result.replaced = True
                issue.save()
                _write_entries(issue, parsed, result, stored)
                if parsed.scan is not None:
                    _write_scan_pages(issue, parsed.scan, stored)
                # The first version in the issue's history: what the import made, and who.
                revisions.record(
                    Issue.objects.get(pk=issue.pk),
                    user=by,
                    comment=_("Imported from a file: %(summary)s") % {"summary": result.summary()},
                )
        except BaseException:
            _remove_files(stored)
            raise
    except IntegrityError as exc:
        raise ImportRefused(
            _(
                "There is already an issue for %(month)d/%(year)d. Nothing was imported; "
                "choose “replace” to import it anew."
            )
            % {"month": month, "year": year}
        ) from exc
    return result


def _write_entries(issue, parsed, result, stored):
    for position, item in enumerate(parsed.entries, start=1):
        document = None
        if item.citation is not None:
            document, created = _document(item.citation)
            result.documents_created += created
        entry = Entry(
            issue=issue,
            position=position,
            kind=item.kind,
            title=item.title,
            document=document,
            body=item.body,
        )
        entry.save()
        for number, text in enumerate(item.footnotes, start=1):
            Footnote(entry=entry, position=number, text=text).save()
        # News items and their photos belong to the news app, which depends on the bulletin:
        # they are made through the section's reverse relations, never by importing news.
        for news_position, news in enumerate(item.news_items, start=1):
            news_item = entry.news_items.create(
                position=news_position,
                title=news.title,
                body=news.body,
                event_date=news.event_date,
            )
            _write_photos(news_item, news.captions, stored)


def _write_photos(news_item, captions, stored):
    """One photo per caption, in the caption's order; a caption typed under pictures in a Word
    file gets the first of them in its slot, and each further picture above the same caption a
    photo of its own with that caption. A caption without a picture waits for its photo."""
    position = 0
    for caption in captions:
        for picture in caption.pictures or [None]:
            position += 1
            photo = news_item.photos.create(position=position, caption=caption.text)
            if picture is not None:
                try:
                    photo.image.save(picture.filename, ContentFile(picture.data), save=True)
                finally:
                    # The file may be stored even when saving the row after it fails.
                    if photo.image.name:
                        stored.append((photo.image.storage, photo.image.name))


def review_notes(report):
    """The OCR report in words for the editor: the weakest pages first, then the words."""
    lines = [
        _("Read by text recognition: mean confidence %(confidence).0f%%.")
        % {"confidence": report.confidence}
    ]
    lines += [
        _("Page %(page)d: %(words)d words, confidence %(confidence).0f%%.")
        % {"page": page.number, "words": page.words, "confidence": page.confidence}
        for page in report.pages
    ]
    if report.words:
        lines.append(_("Words least sure of (page: word, confidence):"))
        lines += [f"{word.page}: {word.text} ({word.confidence:.0f}%)" for word in report.words]
    return "\n".join(lines)


def _write_scan_pages(issue, scan, stored):
    for number, data in zip(scan.page_numbers, scan.page_images, strict=True):
        page = ScanPage(issue=issue, number=number)
        try:
            page.image.save(f"issue{issue.pk}-page{number:03d}.png", ContentFile(data), save=True)
        finally:
            if page.image.name:
                stored.append((page.image.storage, page.image.name))


def _remove_files(stored):
    for storage, name in stored:
        storage.delete(name)


def _document(citation):
    """The registry row of a cited document, created when the registry does not have it yet."""
    existing = Document.objects.filter(
        doc_type=citation.doc_type, number=citation.number, issued_on=citation.issued_on
    ).first()
    if existing:
        return existing, False
    issuer = Issuer.objects.get_or_create(name=citation.issuer)[0] if citation.issuer else None
    document = Document(
        doc_type=citation.doc_type,
        number=citation.number,
        issued_on=citation.issued_on,
        issuer=issuer,
        subject=citation.subject,
    )
    document.save()
    return document, True
