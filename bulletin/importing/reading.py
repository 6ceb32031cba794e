"""Reading a file into lines: decoding, size limits, and what the layout says about each line.

The reader is chosen by the file's extension and, for printed issues, by its content: a text
dump, a Word file (``word``), a PDF (``pdf_reader``, its pages without text through ``ocr``) or
pictures of pages (``ocr``). Word, PDF and scan readers give whole paragraphs with their look.

A text dump of a printed issue is what the board's extraction tools leave of it: lines
hard-wrapped at the page width with an empty line between them, page numbers alone on a line,
a whitespace-only line or several empty lines where a photo stood, stray leading spaces where a
paragraph starts. ``read_lines`` keeps that evidence on each ``Line`` for the later stages.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from . import ocr, pdf_reader, word
from .blocks import classify
from .errors import ImportRefused
from .layout import measure_body_size, read_layout
from .lines import Line

TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
WORD_EXTENSIONS = {".docx"}
PDF_EXTENSIONS = {".pdf"}
SCAN_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
PRINTED_EXTENSIONS = PDF_EXTENSIONS | SCAN_EXTENSIONS
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | WORD_EXTENSIONS | PRINTED_EXTENSIONS
_PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# A printed caption is one or two sentences; a centred italic passage longer than this is a
# quotation set apart, not a caption.
MAX_PRINTED_CAPTION_CHARS = 300
# A heading set larger than the body, without bold, as some looks print them.
LARGER_THAN_BODY = 1.08
_LIST_MARKER_RE = re.compile(r"^(?:[-+•]|=>|->|→)\s+")


@dataclass
class Reading:
    """What the reading stage found in a file."""

    lines: list
    # Whole paragraphs with their look (Word, PDF, scan): the text rules must not join lines.
    typeset: bool = False
    scan: object = None  # the ocr.ScanReading (report, page images) when pages were recognised


def read_file(data, *, filename) -> Reading:
    """The ``Reading`` of a file (bytes, or text already decoded) named ``filename``."""
    extension = Path(filename).suffix.lower()
    if extension in PRINTED_EXTENSIONS:
        if isinstance(data, str):
            raise ImportRefused(_("A PDF file or a scan must be given as bytes."))
        return read_printed(data, extension=extension)
    if extension in WORD_EXTENSIONS:
        return Reading(read_lines(data, filename=filename), typeset=True)
    return Reading(read_lines(data, filename=filename))


def needs_recognition(data, *, filename) -> bool:
    """Whether reading the file means text recognition (seconds a page): pictures of pages, or
    a PDF with pages without text. Refuses a PDF that cannot be read at all."""
    extension = Path(filename).suffix.lower()
    if extension not in PRINTED_EXTENSIONS or isinstance(data, str) or not data:
        return False
    if _is_pdf(data):
        return bool(pdf_reader.scanned_page_numbers(data))
    return True


def _is_pdf(data):
    return data[:1024].lstrip().startswith(b"%PDF-")


def read_printed(data, *, extension=".pdf") -> Reading:
    """A printed issue: a PDF (pages with text read from their glyphs, pages without text by
    recognition) or pictures of pages. The content decides, so a scan saved as ".pdf" or a PDF
    named ".jpg" is still read."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    if not _is_pdf(data) and (data.startswith(_PICTURE_SIGNATURES) or extension in SCAN_EXTENSIONS):
        suffix = extension if extension in SCAN_EXTENSIONS else ".png"
        scan = ocr.read_scan(data, filename=f"scan{suffix}")
        return Reading(printed_conventions(scan.lines), typeset=True, scan=scan)
    pages = pdf_reader.read_pdf_pages(data)
    scanned = [number for number, page in enumerate(pages, start=1) if page is None]
    scan = None
    if scanned:
        text_pages = [page for page in pages if page is not None]
        scan = ocr.recognise_pages(
            data,
            filename="scan.pdf",
            numbers=scanned,
            body_size=measure_body_size(text_pages) if text_pages else 0.0,
        )
        recognised = iter(scan.layout_pages)
        pages = [page if page is not None else next(recognised) for page in pages]
    if not any(page["rows"] for page in pages):
        raise ImportRefused(_("The PDF holds no text and no pictures of pages: nothing to read."))
    lines = printed_conventions(read_layout(pages))
    if scan is not None:
        scan.lines = lines
    return Reading(lines, typeset=True, scan=scan)


def printed_conventions(lines):
    """The look of printed paragraphs told in the terms the later stages understand.

    A centred italic paragraph is a photo caption; a bold or larger paragraph that the text
    rules read as a plain paragraph (no number, marker or part title) is a lead-in heading; a
    bold run opening a list item becomes ``**`` marks (the text rules split a run-in heading
    only off a paragraph, and ``bold_lead`` stays for those). The cover (before the first page
    break) is left as printed; contents lines stay flagged.
    """
    sizes = sorted(line.size for line in lines if line.size)
    body_size = sizes[len(sizes) // 2] if sizes else 0
    on_cover = True
    for line in lines:
        on_cover = on_cover and not line.page_break
        if line.contents or on_cover or line.style:
            continue
        larger = body_size and line.size > LARGER_THAN_BODY * body_size
        if (
            line.centred
            and line.italic
            and not line.bold
            and len(line.text) <= MAX_PRINTED_CAPTION_CHARS
        ):
            line.style = "caption"
        elif (line.bold or larger) and classify(line)[0] == "para":
            line.style = "lead"
        elif line.bold_lead and not line.bold and (marker := _LIST_MARKER_RE.match(line.text)):
            lead = line.text[marker.end() : line.bold_lead].strip()
            if lead and "*" not in line.text:
                rest = line.text[line.bold_lead :]
                line.text = f"{line.text[: marker.end()]}**{lead}**{rest}"
                line.bold_lead = 0
    return lines


# A printed issue is 30 to 60 pages, some 200 KB of text: 5 million characters is far beyond any
# issue and still small enough to read in a second or two.
MAX_TEXT_CHARS = 5_000_000
# Lines longer than this are not a printed page's lines nor a paragraph anyone typed.
MAX_LINE_CHARS = 20_000

_TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]*]*$")
_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
# "# 1. Chỉ thị ...", "## 2.1. Mục tiêu": a Markdown file may mark its headings.
_MARKDOWN_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")
# Closing quotes that extraction tools print as look-alike modifier letters (ˮ U+02EE,
# ʺ U+02BA) or a Hebrew gershayim: unambiguous when a “ is open before them.
_LOOKALIKE_CLOSING_RE = re.compile("“([^“”\n]*?)[\u02ee\u02ba\u05f4]")
_LOOKALIKE_APOSTROPHE_RE = re.compile(r"(?<=\w)[\u02bc\u02b9](?=\w|\s|$)")


def read_lines(data, *, filename):
    """The lines of a file (bytes, or text already decoded) named ``filename``."""
    extension = Path(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportRefused(
            _(
                "Files of type “%(extension)s” cannot be imported: use a .txt, .md, .docx or "
                ".pdf file, or a scan in PNG, JPEG or TIFF."
            )
            % {"extension": extension or filename}
        )
    if extension in PRINTED_EXTENSIONS:
        return read_file(data, filename=filename).lines
    if extension in WORD_EXTENSIONS:
        if isinstance(data, str):
            raise ImportRefused(_("A Word file must be given as bytes."))
        return word.read_word_lines(data)
    text = data if isinstance(data, str) else decode_text(data)
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    if "\x00" in text:
        raise ImportRefused(_("This is not a text file (it holds binary data)."))
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused(
            _(
                "The text is %(size)s characters long; an issue holds at most %(limit)s. "
                "Check that this is the text of one issue."
            )
            % {"size": f"{len(text):,}", "limit": f"{MAX_TEXT_CHARS:,}"}
        )
    return text_lines(text)


def decode_text(data):
    """The text of an uploaded text file: UTF-8, or UTF-16 with its byte-order mark."""
    if not data or not data.strip():
        raise ImportRefused(_("The file is empty."))
    if len(data) > 4 * MAX_TEXT_CHARS:
        raise ImportRefused(
            _("The file is larger than %(limit)d MB: it cannot be one issue.")
            % {"limit": 4 * MAX_TEXT_CHARS // 1_000_000}
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                _("The file says it is UTF-16 but cannot be read as such.")
            ) from exc
    if b"\x00" in data and (
        data[1::2].count(0) > len(data) // 4 or data[::2].count(0) > len(data) // 4
    ):
        raise ImportRefused(
            _(
                "The file looks like UTF-16 text without its byte-order mark. Save it as UTF-8 "
                "and try again."
            )
        )
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise ImportRefused(
            _("This is not a text file (it holds binary data). Import a .txt, .md or .docx file.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _(
                "The file is not UTF-8 text (byte %(position)d cannot be read): it is probably in "
                "an old Vietnamese encoding such as TCVN3 or VNI. Save it as UTF-8 and try again."
            )
            % {"position": exc.start}
        ) from exc


def normalise(text):
    """NFC text with plain line ends, plain spaces and look-alike punctuation made plain."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _LOOKALIKE_CLOSING_RE.sub(r"“\1”", text)
    return _LOOKALIKE_APOSTROPHE_RE.sub("’", text)


def text_lines(text):
    """The non-empty lines of ``text`` with what the layout says about them."""
    lines = []
    empties = 0
    whitespace = False
    after_page = False
    previous_stops = False
    for raw in normalise(text).split("\n"):
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
        if len(raw) > MAX_LINE_CHARS:
            raise ImportRefused(
                _(
                    "Line %(number)d is %(length)s characters long: this is not the text of a "
                    "printed issue."
                )
                % {"number": len(lines) + 1, "length": f"{len(raw):,}"}
            )
        stripped = raw.strip()
        style = ""
        if heading := _MARKDOWN_HEADING_RE.match(stripped):
            style = {1: "h1", 2: "h2"}.get(len(heading[1]), "h3")
            stripped = heading[2]
        gap = (whitespace or empties >= 2) and not after_page
        tight = empties == 0 and not whitespace and not after_page
        text = " ".join(stripped.split())
        lines.append(
            Line(
                text=text,
                indent=len(raw) - len(raw.lstrip()),
                gap=gap,
                tight=tight and bool(lines),
                after_stop=previous_stops,
                trailing=len(raw) - len(raw.rstrip()),
                style=style,
                page_break=after_page,
            )
        )
        previous_stops = bool(_TERMINAL_RE.search(text))
        empties, whitespace, after_page = 0, False, False
    return lines
