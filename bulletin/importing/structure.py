"""From blocks to an issue: the cover, the numbered items, the news, footnotes and captions.

``build_issue`` is a pure function: it returns a ``ParsedIssue`` whose ``findings`` are the import
report (what was found, and what the importer was unsure of, each naming its item).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulletin.models import EntryKind
from core.richtext import fold
from documents.citations import CitationError, parse_citation, starts_with_citation

from .errors import ImportRefused
from .rendering import body_html

# "Tháng 6 năm 2024" opening a cover line, whatever follows it on the line.
_MONTH_RE = re.compile(r"^Tháng\s+(\d{1,2})\s*(?:năm|/)\s*(\d{4})\b", re.IGNORECASE)
# "Sáng 09/5/2024, tại ...": the day of the event, when a news item opens with it.
_EVENT_DATE_RE = re.compile(
    r"^(?:(?:sáng|chiều|tối|trưa)\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE
)
_NEWS_RE = re.compile(r"^tin hoat dong\b")


@dataclass
class Caption:
    """A photo's caption, with the pictures a Word file put before it (none in a text dump)."""

    text: str
    pictures: list = field(default_factory=list)


@dataclass
class ParsedNewsItem:
    title: str
    body: str
    captions: list  # of Caption
    event_date: datetime.date | None = None


@dataclass
class ParsedEntry:
    kind: str
    title: str
    body: str = ""
    citation: object = None
    footnotes: list = field(default_factory=list)
    news_items: list = field(default_factory=list)
    captions: list = field(default_factory=list)  # captions in the item's own body


@dataclass
class Finding:
    """A line of the import report; ``entry`` is the item's position (1, 2, ...) or None."""

    message: str
    entry: int | None = None
    title: str = ""
    unsure: bool = False


@dataclass
class ParsedIssue:
    entries: list
    committee: str | None = None
    board: str | None = None
    month: int | None = None
    year: int | None = None
    findings: list = field(default_factory=list)
    # The ocr.ScanReading when pages were read by text recognition: the draft needs review.
    scan: object = None

    def _count(self, kind):
        return sum(1 for entry in self.entries if entry.kind == kind)

    @property
    def documents(self):
        return self._count(EntryKind.DOCUMENT)

    @property
    def articles(self):
        return self._count(EntryKind.ARTICLE)

    @property
    def news_items(self):
        return sum(len(entry.news_items) for entry in self.entries)

    @property
    def footnotes(self):
        return sum(len(entry.footnotes) for entry in self.entries)

    @property
    def captions(self):
        return sum(len(item.captions) for e in self.entries for item in e.news_items) + sum(
            len(e.captions) for e in self.entries
        )

    @property
    def pictured_captions(self):
        """Captions of news items that a Word file typed under a picture: the import stores the
        picture in their photo's slot. Other captions wait for their photo."""
        return sum(
            1 for e in self.entries for item in e.news_items for c in item.captions if c.pictures
        )

    def summary(self):
        counts = {
            "entries": len(self.entries),
            "documents": self.documents,
            "articles": self.articles,
            "news": self.news_items,
            "footnotes": self.footnotes,
            "captions": self.captions,
        }
        pictured = self.pictured_captions
        if not pictured:
            return (
                _(
                    "%(entries)d items: %(documents)d document summaries, %(articles)d articles, "
                    "%(news)d news items, %(footnotes)d footnotes, %(captions)d photo captions "
                    "waiting for their photo"
                )
                % counts
            )
        # A Word file supplied pictures: say how many captions have theirs, and how many wait.
        return _(
            "%(entries)d items: %(documents)d document summaries, %(articles)d articles, "
            "%(news)d news items, %(footnotes)d footnotes, %(captions)d photo captions "
            "(%(pictured)d with their photo from the Word file, %(waiting)d waiting for "
            "their photo)"
        ) % {**counts, "pictured": pictured, "waiting": self.captions - pictured}


def build_issue(blocks):
    """The cover and the numbered items of an issue, from its blocks."""
    start = next((i for i, b in enumerate(blocks) if b.top or b.kind in {"toc", "table"}), None)
    if start is None:
        start = next((i for i, b in enumerate(blocks) if b.kind == "num"), len(blocks))
    parsed = ParsedIssue(entries=[])
    for block in blocks[:start]:
        for line in block.lines:
            _read_cover(line.text, parsed)
    body = [b for b in blocks[start:] if b.kind not in {"toc", "table"}]
    tops = [i for i, b in enumerate(body) if b.top]
    for n, i in enumerate(tops):
        end = tops[n + 1] if n + 1 < len(tops) else len(body)
        entry, notes = _entry(body[i], body[i + 1 : end], number=n + 1)
        parsed.entries.append(entry)
        parsed.findings += [
            Finding(message=note, entry=n + 1, title=entry.title, unsure=True) for note in notes
        ]
    parsed.findings[:0] = _found(parsed)
    return parsed


def _found(parsed):
    """The report's first lines: what each item holds."""
    findings = []
    for position, entry in enumerate(parsed.entries, start=1):
        if entry.citation is not None:
            parts = [_("document %(number)s") % {"number": entry.citation.number}]
        else:
            parts = [str(EntryKind(entry.kind).label)]
        if entry.news_items:
            parts.append(
                ngettext("%(count)d news item", "%(count)d news items", len(entry.news_items))
                % {"count": len(entry.news_items)}
            )
        captions = len(entry.captions) + sum(len(item.captions) for item in entry.news_items)
        if captions:
            parts.append(
                ngettext("%(count)d photo caption", "%(count)d photo captions", captions)
                % {"count": captions}
            )
        if entry.footnotes:
            parts.append(
                ngettext("%(count)d footnote", "%(count)d footnotes", len(entry.footnotes))
                % {"count": len(entry.footnotes)}
            )
        findings.append(Finding(message=", ".join(parts), entry=position, title=entry.title))
    return findings


def _read_cover(text, parsed):
    text = text.strip()
    if match := _MONTH_RE.match(text):
        if parsed.month is None:
            parsed.month, parsed.year = int(match[1]), int(match[2])
        return
    if text.upper() != text or not any(ch.isalpha() for ch in text):
        return
    folded = fold(text)
    if folded.startswith("ban ") and parsed.board is None:
        parsed.board = text
    elif re.search(r"\b(uy|dang uy|thanh uy|tinh uy|huyen uy)\b", folded) and not parsed.committee:
        if "su dung" not in folded and "tai lieu" not in folded:
            parsed.committee = text


def plain(text):
    """A heading as readable plain text: Markdown marks and <i> tags removed."""
    text = re.sub(r"</?i>", "", text)
    text = re.sub(r"\*+([^*]+?)\*+", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _notes(blocks):
    return [note for block in blocks for note in block.notes]


def _entry(head, blocks, *, number):
    title = plain(head.text)
    notes = list(head.notes)
    if _NEWS_RE.match(fold(title)):
        return _news_entry(title, blocks, notes)
    if starts_with_citation(title):
        try:
            citation = parse_citation(title)
        except CitationError as exc:
            raise ImportRefused(
                _("Item %(number)d (“%(title)s”): %(error)s")
                % {"number": number, "title": title[:80], "error": exc}
            ) from exc
        entry = ParsedEntry(kind=EntryKind.DOCUMENT, title=title, citation=citation)
    else:
        entry = ParsedEntry(kind=EntryKind.ARTICLE, title=title)
    notes += _notes(blocks)
    entry.body, entry.footnotes = body_html(blocks, notes)
    entry.captions = _captions(blocks)
    return entry, notes


def _captions(blocks):
    return [Caption(plain(b.text), b.pictures) for b in blocks if b.kind == "caption"]


def _news_entry(title, blocks, notes):
    entry = ParsedEntry(kind=EntryKind.NEWS, title=title)
    starts = [i for i, b in enumerate(blocks) if b.kind == "sub" and b.depth == 2]
    intro = blocks[: starts[0]] if starts else blocks
    notes += _notes(blocks)
    entry.body, entry.footnotes = body_html(intro, notes)
    entry.captions = _captions(intro)
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        content = blocks[i + 1 : end]
        body, footnotes = body_html(content, notes)
        entry.footnotes.extend(footnotes)
        entry.news_items.append(
            ParsedNewsItem(
                title=plain(blocks[i].text),
                body=body,
                captions=_captions(content),
                event_date=_event_date(content),
            )
        )
    return entry, notes


def _event_date(blocks):
    first = next((b for b in blocks if b.kind != "caption"), None)
    if first is None or not (match := _EVENT_DATE_RE.match(first.text)):
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
