"""Reading a file into lines: decoding, size limits, and what the layout says about each line.

A text dump of a printed issue is what the board's extraction tools leave of it: lines
hard-wrapped at the page width with an empty line between them, page numbers alone on a line,
a whitespace-only line or several empty lines where a photo stood, stray leading spaces where a
paragraph starts. ``read_lines`` keeps that evidence on each ``Line`` for the later stages.
"""

import codecs
import re
import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _

from . import word
from .errors import ImportRefused
from .lines import Line

TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
WORD_EXTENSIONS = {".docx"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | WORD_EXTENSIONS

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
            _("Files of type “%(extension)s” cannot be imported: use a .txt, .md or .docx file.")
            % {"extension": extension or filename}
        )
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
