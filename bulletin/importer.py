"""Import a printed issue (plain text, Markdown or Word) into a draft issue.

The text of a printed issue is what the board's extraction tools leave of it: a cover, a table of
contents, numbered items whose bodies number their own points, lines hard-wrapped with a blank
line between the halves, page numbers, photo captions between paragraphs. Reading it happens in
three steps, each a plain function so it can be tested and measured on its own:

1. ``_lines`` turns the file into lines with what the layout says about them (a photo gap
   before, an indent right after a full stop, two trailing spaces at the end of a caption);
2. ``_blocks`` joins wrapped lines into paragraphs, headings, list items, footnotes and captions;
3. ``_structure`` finds the cover, skips the table of contents and splits the blocks into the
   issue's numbered items, the news items of "Tin hoạt động", their footnotes and captions.

``import_bulletin`` then writes a draft issue in one transaction, or nothing.
"""

import codecs
import datetime
import html
import io
import re
import statistics
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.calendar import FIRST_YEAR, LAST_YEAR, YEARS
from core.images import clean_image
from core.richtext import fold
from documents.citations import CitationError, parse_citation, starts_with_citation
from documents.models import Document, Issuer
from news.models import NewsItem, Photo

from .importing import ImportRefused
from .importing.ocr import read_scan
from .importing.pdf_reader import NoTextLayer, read_pdf_lines
from .models import Entry, EntryKind, Footnote, Issue, Status

TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
WORD_EXTENSIONS = {".docx"}
PDF_EXTENSIONS = {".pdf"}
SCAN_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | WORD_EXTENSIONS | PDF_EXTENSIONS | SCAN_EXTENSIONS

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# A line that ends a sentence; closing quotes, brackets and Markdown stars may follow the mark.
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]*]*$")
_SOFT_TERMINAL_RE = re.compile(r"[:;][\"'”’)\]*]*$")
_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
# "# 1. Chỉ thị ...", "## 2.1. Mục tiêu": a Markdown file may mark its headings.
_MARKDOWN_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")
_NUMBERED_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_SUBNUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_POINT_RE = re.compile(r"^\(\d{1,2}\)\s*\S")
_DASH_RE = re.compile(r"^[-–—]\s+(\S.*)$")
_PLUS_RE = re.compile(r"^\+\s+(\S.*)$")
_ARROW_RE = re.compile(r"^=>\s*\S")
_LEAD_RE = re.compile(r"^\*(?!\*)\s*([^*]+)$")
_PART_RE = re.compile(r"^(?:Phần\s+(?:\d+|thứ\s+\S+)|Nội dung\s+[IVXL]+)\s*:", re.IGNORECASE)
_ROMAN_RE = re.compile(r"^[IVX]{1,4}\s*[-.]\s+\S")
_FOOTNOTE_RE = re.compile(rf"^([{SUPERSCRIPT_DIGITS}]+)\s+(\S.*)$")
_FOOTNOTE_MARK_RE = re.compile(rf"(?<=\S)([{SUPERSCRIPT_DIGITS}]+)")
_MONTH_RE = re.compile(r"^Tháng\s+(\d{1,2})\s+năm\s+(\d{4})$", re.IGNORECASE)
# "Sáng 09/5/2024, tại ...": the day of the event, when a news item opens with it.
_EVENT_DATE_RE = re.compile(
    r"^(?:(?:sáng|chiều|tối|trưa)\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE
)
_NEWS_RE = re.compile(r"^tin hoat dong\b")
# Words a heading line cannot end with: the heading goes on on the next line.
_OPEN_ENDINGS = {"về", "của", "và", "cho", "tại", "với", "trong", "đối", "các", "những", "số"}


class BulletinImportError(Exception):
    """The file cannot be imported; the message says why, in words an editor understands."""


@dataclass
class Line:
    text: str
    indent: int = 0
    gap: bool = False  # a photo's place (a whitespace-only line or several empty lines) before it
    tight: bool = False  # directly under the previous line, without the usual empty line
    after_stop: bool = False  # the previous line ended a sentence
    trailing: int = 0  # spaces at the end of the line as extracted
    style: str = ""  # from Word: h1, h2, h3, bullet, plus, number, caption


@dataclass
class Block:
    kind: str
    text: str
    lines: list = field(default_factory=list)
    number: str = ""
    depth: int = 0
    top: bool = False

    @property
    def first(self):
        return self.lines[0]


@dataclass
class ParsedNewsItem:
    title: str
    body: str
    captions: list
    event_date: datetime.date | None = None
    pictures: dict = field(default_factory=dict)  # caption index -> Picture found above it


@dataclass
class ParsedEntry:
    kind: str
    title: str
    body: str = ""
    citation: object = None
    footnotes: list = field(default_factory=list)
    news_items: list = field(default_factory=list)


@dataclass
class ParsedIssue:
    entries: list
    committee: str | None = None
    board: str | None = None
    month: int | None = None
    year: int | None = None
    scan: object = None  # a ScanReading when the issue was read by text recognition


@dataclass
class ImportResult:
    """What an import made (or, for a dry run, would make)."""

    issue: Issue
    parsed: ParsedIssue
    dry_run: bool = False
    replaced: bool = False
    documents_created: int = 0

    def _count(self, kind):
        return sum(1 for entry in self.parsed.entries if entry.kind == kind)

    @property
    def entries(self):
        return len(self.parsed.entries)

    @property
    def documents(self):
        return self._count(EntryKind.DOCUMENT)

    @property
    def articles(self):
        return self._count(EntryKind.ARTICLE)

    @property
    def news_items(self):
        return sum(len(entry.news_items) for entry in self.parsed.entries)

    @property
    def footnotes(self):
        return sum(len(entry.footnotes) for entry in self.parsed.entries)

    @property
    def captions(self):
        return sum(len(item.captions) for e in self.parsed.entries for item in e.news_items)

    def summary(self):
        return _(
            "%(entries)d items: %(documents)d document summaries, %(articles)d articles, "
            "%(news)d news items, %(footnotes)d footnotes, %(captions)d photo captions "
            "waiting for their photo"
        ) % {
            "entries": self.entries,
            "documents": self.documents,
            "articles": self.articles,
            "news": self.news_items,
            "footnotes": self.footnotes,
            "captions": self.captions,
        }


# Reading the file -------------------------------------------------------------------------------


def decode_text(data):
    """The text of an uploaded text file: UTF-8, or UTF-16 with its byte-order mark."""
    if not data or not data.strip():
        raise BulletinImportError(_("The file is empty."))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BulletinImportError(
                _("The file says it is UTF-16 but cannot be read as such.")
            ) from exc
    if b"\x00" in data and (
        data[1::2].count(0) > len(data) // 4 or data[::2].count(0) > len(data) // 4
    ):
        raise BulletinImportError(
            _(
                "The file looks like UTF-16 text without its byte-order mark. Save it as UTF-8 "
                "and try again."
            )
        )
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise BulletinImportError(
            _("This is not a text file (it holds binary data). Import a .txt, .md or .docx file.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulletinImportError(
            _(
                "The file is not UTF-8 text (byte %(position)d cannot be read): it is probably in "
                "an old Vietnamese encoding such as TCVN3 or VNI. Save it as UTF-8 and try again."
            )
            % {"position": exc.start}
        ) from exc


def _normalise(text):
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


def _lines(text):
    """The non-empty lines of ``text`` with what the layout says about them."""
    lines = []
    empties = 0
    whitespace = False
    after_page = False
    for raw in _normalise(text).split("\n"):
        if not raw.strip():
            if raw:
                whitespace = True
            else:
                empties += 1
            continue
        if _PAGE_NUMBER_RE.match(raw):
            # A page break: the sentence usually goes on after it, as if nothing were there.
            after_page = True
            continue
        stripped = raw.strip()
        style = ""
        if heading := _MARKDOWN_HEADING_RE.match(stripped):
            style = {1: "h1", 2: "h2"}.get(len(heading[1]), "h3")
            stripped = heading[2]
        gap = (whitespace or empties >= 2) and not after_page
        tight = empties == 0 and not whitespace and not after_page
        previous = lines[-1].text if lines else ""
        lines.append(
            Line(
                text=re.sub(r"\s+", " ", stripped),
                indent=len(raw) - len(raw.lstrip()),
                gap=gap,
                tight=tight and bool(lines),
                after_stop=bool(_TERMINAL_RE.search(previous)),
                trailing=len(raw) - len(raw.rstrip()),
                style=style,
            )
        )
        empties, whitespace, after_page = 0, False, False
    return lines


def _docx_lines(data):
    """The paragraphs of a Word file as lines, their styles saying what they are."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise BulletinImportError(_("Word files cannot be read on this server.")) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BulletinImportError(
            _("The Word file cannot be read: it is damaged or it is not a .docx file.")
        ) from exc
    lines = []
    picture_before = False
    for paragraph in document.paragraphs:
        text = _runs_markdown(paragraph)
        if not text.strip():
            # A paragraph holding only a picture is a photo's place, as a gap is in the text
            # files: the short line after it is that photo's caption.
            picture_before = picture_before or bool(paragraph._element.xpath(".//w:drawing"))
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style.startswith("heading 1"):
            kind = "h1"
        elif style.startswith("heading 2"):
            kind = "h2"
        elif style.startswith("heading"):
            kind = "h3"
        elif style.startswith("list bullet"):
            kind = "plus" if style.rstrip().endswith(("2", "3")) else "bullet"
        elif style.startswith("list number"):
            kind = "number"
        elif style == "caption":
            kind = "caption"
        else:
            kind = ""
        lines.append(
            Line(
                text=re.sub(r"\s+", " ", _normalise(text)).strip(),
                style=kind,
                gap=picture_before,
            )
        )
        picture_before = False
    return lines


def _runs_markdown(paragraph):
    """A paragraph's text with bold and italic runs marked the Markdown way."""
    parts = []
    for run in paragraph.runs:
        text = run.text
        if not text.strip() or not (run.bold or run.italic):
            parts.append(text)
            continue
        marks = "***" if run.bold and run.italic else "**" if run.bold else "*"
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        parts.append(f"{lead}{marks}{text.strip()}{marks}{tail}")
    text = "".join(parts)
    # Runs inside hyperlinks or fields are not in paragraph.runs: keep the whole text then.
    plain = "".join(run.text for run in paragraph.runs)
    return text if plain == paragraph.text else paragraph.text


def _read_printed(data, filename):
    """The lines of a printed PDF, or of a scan read by text recognition, with the scan's
    reading (its report and page images) or None."""
    try:
        if Path(filename).suffix.lower() in SCAN_EXTENSIONS:
            scan = read_scan(data, filename=filename)
            return scan.lines, scan
        try:
            return read_pdf_lines(data), None
        except NoTextLayer:
            scan = read_scan(data, filename=filename)
            return scan.lines, scan
    except ImportRefused as exc:
        raise BulletinImportError(str(exc)) from exc


def _printed_lines(lines):
    """The lines read from a printed PDF, told in the terms the text rules understand.

    The PDF reader gives whole paragraphs and their look; here that look becomes what a typed
    file would say: the table of contents is left out, a centred italic paragraph is a caption,
    a bold or larger unnumbered paragraph is a lead-in heading ("* ..."), a bold run at the
    start of a paragraph is Markdown bold. The cover (before the first page break) is left as
    it is printed.
    """
    sizes = sorted(line.size for line in lines if line.size)
    body_size = sizes[len(sizes) // 2] if sizes else 0
    out = []
    on_cover = True
    for line in lines:
        on_cover = on_cover and not line.page_break
        if line.contents:
            continue
        emphasised = line.bold or (body_size and line.size > 1.08 * body_size)
        caption = line.centred and line.italic and not line.bold and len(line.text) <= 300
        if not on_cover and caption:
            line.style = "caption"
        elif not on_cover and emphasised and _classify(line)[0] == "para" and "*" not in line.text:
            line.text = f"* {line.text}"
        elif line.bold_lead and not line.bold and "*" not in line.text:
            marker = re.match(r"^[-+]\s+", line.text)
            start = marker.end() if marker else 0
            lead = line.text[start : line.bold_lead].strip()
            if lead:
                rest = line.text[line.bold_lead :]
                line.text = f"{line.text[:start]}**{lead}**{rest}"
        out.append(line)
    return out


# Joining lines into blocks -----------------------------------------------------------------------


def _first_letter(text):
    for char in text:
        if char.isalpha():
            return char
        if char.isdigit():
            return "0"
    return ""


def _starts_low(text):
    """Whether ``text`` goes on a sentence: a lower-case word, a number, a bracket."""
    first = _first_letter(text)
    return bool(first) and (first.islower() or first == "0") or text[:1] == "("


def _classify(line):
    """The kind of block a line starts, with its printed number if any."""
    text = line.text
    style = line.style
    if style == "h1" and fold(text) == "noi dung":
        return ("toc", text, "", 0)
    if style == "h1":
        match = _NUMBERED_RE.match(text)
        return ("num", match[2] if match else text, match[1] if match else "", 1)
    if style in {"h2", "h3"}:
        match = _SUBNUMBERED_RE.match(text) or _NUMBERED_RE.match(text)
        return ("sub", match[2] if match else text, match[1] if match else "", int(style[1]))
    if style == "bullet":
        return ("dash", text, "", 0)
    if style == "plus":
        return ("plus", text, "", 0)
    if style == "number":
        return ("number", text, "", 0)
    if style == "caption":
        return ("caption", text, "", 0)
    if text.startswith("|"):
        return ("table", text, "", 0)
    if text.upper() == text and fold(text) == "noi dung":
        return ("toc", text, "", 0)
    if match := _FOOTNOTE_RE.match(text):
        return ("footnote", match[2], match[1].translate(_SUPERSCRIPT_TO_DIGIT), 0)
    if match := _SUBNUMBERED_RE.match(text):
        if text[len(match[1])] == ".":
            return ("sub", match[2], match[1], match[1].count(".") + 1)
    if match := _NUMBERED_RE.match(text):
        return ("num", match[2], match[1], 1)
    if _POINT_RE.match(text):
        return ("point", text, "", 0)
    if match := _DASH_RE.match(text):
        return ("dash", match[1], "", 0)
    if match := _PLUS_RE.match(text):
        return ("plus", match[1], "", 0)
    if _ARROW_RE.match(text):
        return ("arrow", text, "", 0)
    if match := _LEAD_RE.match(text):
        return ("lead", match[1], "", 0)
    if _PART_RE.match(text):
        return ("part", text, "", 2)
    if _ROMAN_RE.match(text):
        return ("part", text, "", 3)
    return ("para", text, "", 0)


HEADING_KINDS = {"num", "sub", "part", "lead"}


class _Joiner:
    """The rules that say whether the next line goes on the block being read."""

    def __init__(self, lines, wrapped, docx=False):
        self.lines = lines
        self.wrapped = wrapped
        self.docx = docx
        lengths = [len(line.text) for line in lines if len(line.text) >= 40]
        self.width = statistics.median(lengths) if wrapped and lengths else 0

    def short(self, line):
        return len(line.text) < 0.75 * self.width

    def breaks(self, line):
        """Whether ``line`` starts a block of its own whatever came before."""
        return line.gap or line.style != "" or _classify(line)[0] != "para"

    def joins(self, index, kind, head):
        lines = self.lines
        if index + 1 >= len(lines):
            return False
        cur, nxt = lines[index], lines[index + 1]
        if self.docx or cur.style or self.breaks(nxt):
            return False
        if kind != "caption" and self.caption_starts(index + 1):
            return False
        text = cur.text
        if _TERMINAL_RE.search(text):
            return False
        low = _starts_low(nxt.text)
        if _SOFT_TERMINAL_RE.search(text):
            return low
        if low:
            return True
        if not self.wrapped:
            return kind not in HEADING_KINDS and kind != "caption" and len(text) > 150
        if kind in HEADING_KINDS:
            return self.heading_goes_on(index, head)
        if kind == "caption":
            if cur.trailing >= 2:
                return nxt.trailing >= 2 or self.tail(nxt)
            return not self.short(cur) and self.tail(nxt)
        if text.endswith((",", "-")):
            return True
        return cur.trailing < 2 and not self.short(cur)

    def tail(self, line):
        """A short last line of a caption wrapped at its last words."""
        return self.short(line) and not _TERMINAL_RE.search(line.text)

    def heading_goes_on(self, index, head):
        cur, nxt = self.lines[index], self.lines[index + 1]
        last_word = cur.text.rsplit(" ", 1)[-1].lower()
        if last_word in _OPEN_ENDINGS or cur.text.endswith((",", "-")):
            return True
        # "... của Ban Thường vụ Tỉnh ủy" / "Cao Bằng về ...": the issuing body is cut in two.
        if starts_with_citation(head) and not re.search(r"\s(về|thực hiện)\s", head):
            return True
        return not self.short(cur) and self.short(nxt) and self._ends_after(index + 1)

    def _ends_after(self, index):
        """Whether the line at ``index`` is the last of its paragraph."""
        after = self.lines[index + 1] if index + 1 < len(self.lines) else None
        return after is None or self.breaks(after) or not _starts_low(after.text)

    def caption_starts(self, index):
        """Whether the line at ``index`` may open a photo caption."""
        line = self.lines[index]
        if line.style == "caption":
            return True
        kind = _classify(line)[0]
        if line.gap and kind == "lead" and not line.style:
            return True  # an italic caption, "*Bí thư Thành ủy trao Huy hiệu ... cho" wrapped
        if line.style or kind != "para":
            return False
        if line.gap:
            return True
        return (
            self.wrapped
            and line.tight
            and line.indent > 0
            and line.after_stop
            and line.text[:1].isupper()
        )


def _is_wrapped(lines):
    """Whether the lines were hard-wrapped at a page width (000, 001) or are whole paragraphs."""
    lengths = sorted(len(line.text) for line in lines)
    if len(lengths) < 20:
        return False
    return lengths[int(len(lengths) * 0.95)] <= 120


def _top_lines(lines):
    """The indexes of the lines that open the issue's numbered items.

    Item bodies number their own points (1. to 8. inside item 1 of 000, restarted 1., 2. inside
    the parts of a plan), and an issue may skip a number (000 goes 1, 2, 3, 5). A line "N. ..."
    opens an item when N goes beyond the last item's number and either it is the first one, its
    heading cites a document, it is the news section, or its first sub-heading is "N.1.";
    failing those, when it continues the sequence (see below). A Word "Heading 1" or a Markdown
    "# " heading always opens an item.
    """
    kinds = [_classify(line) for line in lines]
    start = next((i for i, k in enumerate(kinds) if k[0] in {"toc", "table", "num"}), len(lines))
    numbered = [i for i in range(start, len(lines)) if kinds[i][0] in {"num", "sub"}]
    tops = set()
    last = 0
    for position, i in enumerate(numbered):
        kind, text, number, _depth = kinds[i]
        if kind != "num":
            continue
        if lines[i].style == "h1":
            tops.add(i)
            continue
        if int(number) <= last:
            continue
        following = kinds[numbered[position + 1]] if position + 1 < len(numbered) else None
        opens_section = (
            following is not None and following[0] == "sub" and following[2].split(".")[0] == number
        )
        if last == 0 or starts_with_citation(text) or _NEWS_RE.match(fold(text)) or opens_section:
            tops.add(i)
            last = int(number)
    # Without those signs a heading still opens an item when it continues the sequence: it
    # carries the number after the item before it, no item further on carries that number, it
    # reads as a heading (no full stop) and it is not the first of a run of points (1., 2., ...).
    taken = {int(kinds[i][2]) for i in tops if kinds[i][2]}
    previous = None
    for position, i in enumerate(numbered):
        kind, text, number, _depth = kinds[i]
        if i in tops:
            previous = int(number) if number else previous
            continue
        if kind != "num" or previous is None or int(number) != previous + 1:
            continue
        if int(number) in taken or len(text) > 200 or _TERMINAL_RE.search(text):
            continue
        if _SOFT_TERMINAL_RE.search(text):
            continue
        after = numbered[position + 1] if position + 1 < len(numbered) else None
        if after is not None and after not in tops and kinds[after][0] == "num":
            if int(kinds[after][2]) == int(number) + 1:
                continue
        tops.add(i)
        previous = int(number)
    return tops


def _blocks(lines, *, docx=False):
    """Join ``lines`` into blocks: paragraphs, headings, list items, footnotes, captions."""
    joiner = _Joiner(lines, wrapped=not docx and _is_wrapped(lines), docx=docx)
    tops = _top_lines(lines)
    blocks = []
    index = 0
    previous_caption = False
    while index < len(lines):
        line = lines[index]
        kind, text, number, depth = _classify(line)
        if kind in {"para", "lead"} and joiner.caption_starts(index):
            if not (line.gap and previous_caption and not line.style):
                caption = _read(joiner, index, "caption", line.text)
                if _is_caption(caption, joiner):
                    blocks.append(caption)
                    index += len(caption.lines)
                    previous_caption = True
                    continue
        # A numbered point of a body is a paragraph; only an item's heading reads like one.
        rules = "point" if kind == "num" and index not in tops else kind
        block = _read(joiner, index, rules, text)
        block.kind, block.number, block.depth = kind, number, depth
        block.top = index in tops
        blocks.append(block)
        index += len(block.lines)
        previous_caption = kind == "caption"
    return blocks


def _read(joiner, index, kind, text):
    """The block of ``kind`` starting at ``index``, its wrapped lines joined."""
    taken = [joiner.lines[index]]
    while joiner.joins(index + len(taken) - 1, kind, text):
        nxt = joiner.lines[index + len(taken)]
        # A number or word cut at its hyphen ("35-" / "CT/TW") is joined without a space.
        glue = "" if re.search(r"\w-$", text) else " "
        text = f"{text}{glue}{nxt.text}"
        taken.append(nxt)
    return Block(kind=kind, text=text, lines=taken)


def _is_caption(block, joiner):
    if block.first.style == "caption":
        return True
    if len(block.lines) > 3 or len(block.text) > 300:
        return False
    ends = bool(_TERMINAL_RE.search(block.text))
    if block.first.gap:
        return not ends or len(block.lines) <= 2
    return not ends and (len(block.lines) == 1 or joiner.short(block.lines[-1]))


# Finding the structure ---------------------------------------------------------------------------


def _structure(blocks):
    """The cover and the numbered items of an issue, from its blocks."""
    start = next(
        (i for i, b in enumerate(blocks) if b.kind in {"toc", "table", "num"}),
        len(blocks),
    )
    parsed = ParsedIssue(entries=[])
    for block in blocks[:start]:
        _read_cover(block.text, parsed)
    body = [b for b in blocks[start:] if b.kind not in {"toc", "table"}]
    tops = [i for i, b in enumerate(body) if b.top]
    if not tops:
        return parsed
    for n, i in enumerate(tops):
        end = tops[n + 1] if n + 1 < len(tops) else len(body)
        parsed.entries.append(_entry(body[i], body[i + 1 : end], number=n + 1))
    return parsed


def _read_cover(text, parsed):
    text = text.strip()
    if match := _MONTH_RE.match(text):
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


def _plain(text):
    """A heading as readable plain text: Markdown marks and <i> tags removed."""
    text = re.sub(r"</?i>", "", text)
    text = re.sub(r"\*+([^*]+?)\*+", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _entry(head, blocks, *, number):
    title = _plain(head.text)
    if _NEWS_RE.match(fold(title)):
        return _news_entry(title, blocks)
    if starts_with_citation(title):
        try:
            citation = parse_citation(title)
        except CitationError as exc:
            raise BulletinImportError(
                _("Item %(number)d (“%(title)s”): %(error)s")
                % {"number": number, "title": title[:80], "error": exc}
            ) from exc
        entry = ParsedEntry(kind=EntryKind.DOCUMENT, title=title, citation=citation)
    else:
        entry = ParsedEntry(kind=EntryKind.ARTICLE, title=title)
    entry.body, entry.footnotes = _body(blocks)
    return entry


def _news_entry(title, blocks):
    entry = ParsedEntry(kind=EntryKind.NEWS, title=title)
    starts = [i for i, b in enumerate(blocks) if b.kind == "sub" and b.depth == 2]
    intro = blocks[: starts[0]] if starts else blocks
    entry.body, entry.footnotes = _body(intro)
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        content = blocks[i + 1 : end]
        body, footnotes = _body(content)
        entry.footnotes.extend(footnotes)
        captions = [b for b in content if b.kind == "caption"]
        entry.news_items.append(
            ParsedNewsItem(
                title=_plain(blocks[i].text),
                body=body,
                captions=[_plain(b.text) for b in captions],
                event_date=_event_date(content),
                pictures={
                    n: b.first.pictures[0]
                    for n, b in enumerate(captions)
                    if getattr(b.first, "pictures", None)
                },
            )
        )
    return entry


def _event_date(blocks):
    first = next((b for b in blocks if b.kind != "caption"), None)
    if first is None or not (match := _EVENT_DATE_RE.match(first.text)):
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


# Rendering HTML -----------------------------------------------------------------------------------


def _inline(text, marks, known=()):
    """Escaped HTML of a line of text: Markdown emphasis, <i>, and the markers of the footnotes
    ``known`` to the item (a "²" that is not one, as in "33m²", stays as printed)."""
    text = html.escape(text, quote=False)
    text = re.sub(r"&lt;i&gt;(.+?)&lt;/i&gt;", r"<em>\1</em>", text)
    text = re.sub(r"\*\*\*(\S(?:.*?\S)?)\*\*\*", r"<strong><em>\1</em></strong>", text)
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"<em>\1</em>", text)

    def footnote_ref(match):
        printed = match[1].translate(_SUPERSCRIPT_TO_DIGIT)
        if printed not in known:
            return match[0]
        number = marks.setdefault(printed, len(marks) + 1)
        return f'<sup class="footnote-ref">{number}</sup>'

    return _FOOTNOTE_MARK_RE.sub(footnote_ref, text)


def _body(blocks):
    """The HTML body of an item and its footnotes, numbered in the order they are cited."""
    marks = {}
    out = []
    footnote_blocks = []
    open_list = None  # "ul" or "ol" while list items are being written
    nested = False

    def close_lists():
        nonlocal open_list, nested
        if nested:
            out.append("</ul></li>")
            nested = False
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    known = {block.number for block in blocks if block.kind == "footnote"}
    for block in blocks:
        kind = block.kind
        if kind == "footnote":
            footnote_blocks.append(block)
            continue
        text = _inline(block.text, marks, known)
        if kind in {"dash", "number"}:
            tag = "ul" if kind == "dash" else "ol"
            if nested:
                out.append("</ul></li>")
                nested = False
            if open_list != tag:
                close_lists()
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"<li>{text}</li>")
            continue
        if kind == "plus":
            if open_list == "ul" and not nested:
                out[-1] = out[-1].removesuffix("</li>")
                out.append("<ul>")
                nested = True
            elif not open_list:
                out.append("<ul>")
                open_list = "ul"
            out.append(f"<li>{text}</li>")
            continue
        close_lists()
        if kind == "sub":
            tag = "h3" if block.depth <= 2 else "h4"
            prefix = f"{block.number}. " if block.number else ""
            out.append(f"<{tag}>{prefix}{text}</{tag}>")
        elif kind == "part":
            tag = "h3" if block.depth <= 2 else "h4"
            out.append(f"<{tag}>{text}</{tag}>")
        elif kind == "num":
            out.append(f"<p>{block.number}. {text}</p>")
        elif kind == "lead":
            out.append(f'<p class="lead-in">{text}</p>')
        elif kind == "caption":
            out.append(f'<p class="caption-pending">{text}</p>')
        else:
            out.append(f"<p>{text}</p>")
    close_lists()
    footnotes = []
    for block in footnote_blocks:
        number = marks.get(block.number)
        if number is None:
            number = marks[block.number] = len(marks) + 1
        footnotes.append((number, _inline(block.text, {})))
    footnotes.sort(key=lambda item: item[0])
    return "".join(out), [text for _number, text in footnotes]


# Parsing and importing ----------------------------------------------------------------------------


def parse(data, *, filename):
    """Parse the bytes (or text) of a file into a ``ParsedIssue`` without touching the database."""
    extension = Path(filename).suffix.lower()
    scan = None
    if extension not in SUPPORTED_EXTENSIONS:
        raise BulletinImportError(
            _(
                "Files of type “%(extension)s” cannot be imported: use a .txt, .md, .docx or "
                ".pdf file, or a scan in PNG, JPEG or TIFF."
            )
            % {"extension": extension or filename}
        )
    if extension in WORD_EXTENSIONS:
        if isinstance(data, str):
            raise BulletinImportError(_("A Word file must be given as bytes."))
        if not data:
            raise BulletinImportError(_("The file is empty."))
        lines = _docx_lines(data)
        blocks = _blocks(lines, docx=True)
    elif extension in PDF_EXTENSIONS | SCAN_EXTENSIONS:
        if isinstance(data, str):
            raise BulletinImportError(_("A PDF file must be given as bytes."))
        lines, scan = _read_printed(data, filename)
        # The reader joined the printed lines into paragraphs: no rule may join them again.
        blocks = _blocks(_printed_lines(lines), docx=True)
    else:
        text = data if isinstance(data, str) else decode_text(data)
        if not text.strip():
            raise BulletinImportError(_("The file is empty."))
        if "\x00" in text:
            raise BulletinImportError(_("This is not a text file (it holds binary data)."))
        blocks = _blocks(_lines(text))
    parsed = _structure(blocks)
    parsed.scan = scan
    if not parsed.entries:
        raise BulletinImportError(
            _(
                "No numbered items were found. The contents of an issue are numbered items "
                "(“1. Chỉ thị số ...”, “2. ...”), each starting on a line of its own."
            )
        )
    return parsed


def _month_year(parsed, month, year):
    month = int(month) if month not in (None, "") else None
    year = int(year) if year not in (None, "") else None
    if parsed.month is not None:
        if (month is not None and month != parsed.month) or (
            year is not None and year != parsed.year
        ):
            raise BulletinImportError(
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
        raise BulletinImportError(
            _(
                "The cover of this issue does not print its month and year "
                "(“Tháng 6 năm 2024”): give the month and the year."
            )
        )
    if not 1 <= month <= 12:
        raise BulletinImportError(_("The month must be between 1 and 12."))
    if year not in YEARS:
        raise BulletinImportError(
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return month, year


def import_bulletin(
    data,
    *,
    filename,
    month=None,
    year=None,
    replace=False,
    dry_run=False,
    user=None,
):
    """Import the bytes (or text) of a file as a draft issue; return an ``ImportResult``.

    Raises ``BulletinImportError`` and writes nothing when the file cannot be read, has no
    numbered items, lacks its month, or when the publisher already has an issue that month
    (unless ``replace`` and that issue is still a draft: the old issue and its contents are
    deleted, its registry documents kept).
    With ``dry_run`` nothing is written and ``result.issue`` is an unsaved issue.
    """
    parsed = parse(data, filename=filename)
    month, year = _month_year(parsed, month, year)
    issue = Issue(month=month, year=year, status=Status.DRAFT, created_by=user, updated_by=user)
    if parsed.committee:
        issue.committee = parsed.committee
    if parsed.board:
        issue.board = parsed.board
    result = ImportResult(issue=issue, parsed=parsed, dry_run=dry_run)
    existing = Issue.objects.filter(
        committee=issue.committee, board=issue.board, month=month, year=year
    ).first()
    if existing and not replace:
        raise BulletinImportError(
            _(
                "There is already an issue for %(month)d/%(year)d (“%(issue)s”, number %(pk)d). "
                "Nothing was imported; choose “replace” to import it anew."
            )
            % {"month": month, "year": year, "issue": existing, "pk": existing.pk}
        )
    if existing and existing.status != Status.DRAFT:
        # An import must never wipe out what was reviewed or published, nor its history.
        raise BulletinImportError(
            _(
                "The issue for %(month)d/%(year)d is no longer a draft (%(status)s): only a draft "
                "can be replaced by an import. Nothing was imported."
            )
            % {"month": month, "year": year, "status": existing.get_status_display()}
        )
    if dry_run:
        result.replaced = existing is not None
        return result
    try:
        with transaction.atomic():
            if existing:
                existing.delete()
                result.replaced = True
            issue.save()
            _write(issue, parsed, result)
    except IntegrityError as exc:
        raise BulletinImportError(
            _(
                "There is already an issue for %(month)d/%(year)d. Nothing was imported; "
                "choose “replace” to import it anew."
            )
            % {"month": month, "year": year}
        ) from exc
    return result


def _write(issue, parsed, result):
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
        for news_position, news in enumerate(item.news_items, start=1):
            news_item = NewsItem(
                section=entry,
                position=news_position,
                title=news.title,
                body=news.body,
                event_date=news.event_date,
            )
            news_item.save()
            Photo.objects.bulk_create(
                Photo(
                    news_item=news_item,
                    position=n,
                    caption=caption,
                    image=_photo_file(news.pictures.get(n - 1)),
                )
                for n, caption in enumerate(news.captions, start=1)
            )


def _photo_file(picture):
    """The picture found above a caption in a printed PDF, checked and re-encoded like an
    upload; a picture that fails the checks is left out and the caption waits for its photo."""
    if picture is None:
        return None
    try:
        return clean_image(ContentFile(picture.data, name=picture.filename))
    except ValidationError:
        return None


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


def import_text(text, *, filename="bulletin.txt", **options):
    """Import ``text`` (already decoded) and return the draft issue."""
    return import_bulletin(text, filename=filename, **options).issue


def import_file(path, **options):
    """Import the file at ``path`` and return the draft issue (unsaved for a dry run)."""
    return read_file(path, **options).issue


def read_file(path, **options):
    """Import the file at ``path`` and return the ``ImportResult``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BulletinImportError(
            _("The file %(name)s cannot be read: %(error)s")
            % {"name": path.name, "error": exc.strerror}
        ) from exc
    return import_bulletin(data, filename=path.name, **options)
