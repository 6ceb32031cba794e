"""Joining lines into blocks: paragraphs, headings, list items, footnotes, captions.

Which lines belong together is decided from evidence in the text, never from known lines:

- how full a line is against the document's usual full line: justified lines run near the full
  width, so a full line goes on and a short one ends its paragraph or heading;
- terminal punctuation, and whether the next line starts a sentence (a capital) or goes on with
  one (a lower-case word, a number); a capital is taken to open a sentence when it is on a
  word the document writes in lower case inside its lines, not on a name ("Năm 2023 ..."
  against "Trung học phổ thông", "của Bộ" / "Chính trị");
- brackets and quotation marks left open at the end of a line: the phrase goes on;
- the grammar of a citation heading ("<type> số <number>, ngày <date> của <issuer> về
  <subject>"): it goes on at least until its subject starts, then until its short last line;
- printed numbering ("2.1.", "1.1" without a final dot, "4. 2." with a stray space), list
  markers ("-", "+") and run-in headings ("4.3. Đối tượng thi đua: Các cơ quan ...");
- in Word files, the typography the reader puts on each line (bold, italic, centred, pictures).

Joining is linear in the number of lines: each line is classified once, each join looks at
most a few lines ahead, and the words' casing is counted once, when a heading first needs it.
"""

import re
import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.richtext import fold
from documents.citations import TYPE_LABELS, starts_with_citation

from .errors import ImportRefused

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# More top-level items than any issue has: a file numbering beyond it is not an issue's text, and
# merging its numbered lines silently into a few items would hide that.
MAX_ITEMS = 500
# A heading running on for more lines than this is reported as unsure; it never runs beyond
# MAX_HEADING_LINES, so a misread heading cannot swallow the text after it.
LONG_HEADING_LINES = 4
# A caption is a sentence or two under a photo: longer text after a photo's place is a paragraph.
MAX_CAPTION_CHARS = 320
MAX_CAPTION_LINES = 5
MAX_HEADING_LINES = 6
# The words' casing is learnt from this many lines at most: a 60-page issue prints under 3,000,
# and the way a text writes its words shows long before its end.
CASING_LINES = 6_000

# A line that ends a sentence; closing quotes, brackets and Markdown stars may follow the mark.
TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]*]*$")
SOFT_TERMINAL_RE = re.compile(r"[:;][\"'”’)\]*]*$")
# A sentence ending inside a line: a heading is one phrase and never holds one.
_INNER_STOP_RE = re.compile(r"\w{2,}[.!?…][\"”’)]*\s+(\w)")
_NUMBERED_RE = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
# Any printed number opening a line, for the cap on items ("10000. ...").
_ANY_NUMBER_RE = re.compile(r"^(\d{1,7})\.\s")
# "2.1.", "2.1.1." and the printed variants "4. 2." (a stray space) and "1.1" (no final dot).
_SUBNUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\s?\d{1,2})+)(\.?)\s+(\S.*)$")
_POINT_RE = re.compile(r"^\(\d{1,2}\)\s*\S")
_DASH_RE = re.compile(r"^[-–—]\s+(\S.*)$")
_PLUS_RE = re.compile(r"^\+\s+(\S.*)$")
_ARROW_RE = re.compile(r"^=>\s*\S")
_LEAD_RE = re.compile(r"^\*(?!\*)\s*([^*]+)$")
_PART_RE = re.compile(r"^(?:Phần\s+(?:\d+|thứ\s+\S+)|Nội dung\s+[IVXL]+)\s*:", re.IGNORECASE)
_ROMAN_RE = re.compile(r"^[IVX]{1,4}\s*[-.]\s+\S")
_FOOTNOTE_RE = re.compile(rf"^([{SUPERSCRIPT_DIGITS}]+)\s+(\S.*)$")
# "Đối tượng thi đua: Các cơ quan ...": a short label ending in a colon, then running text.
_RUN_IN_RE = re.compile(r"^([^:]{3,200}?:)\s+(\S.*)$")
# A dash that only goes on a wrapped line: "giai đoạn 2022 -" / "- 2025", "thương mại" /
# "- dịch vụ": a bullet starts a new item with a capital, a range or a compound goes on.
_DASH_THEN_RE = re.compile(r"^[-–]\s*(\w)")
_NEWS_RE = re.compile(r"^tin hoat dong\b")
_WORD_RE = re.compile(r"[^\W\d_]+")
# The last characters a word ending a sentence or a clause can have (see TERMINAL_RE).
_STOP_ENDINGS = frozenset(".!?…:;\"'”’)]*")
# Words a heading line cannot end with: the heading goes on on the next line.
_OPEN_ENDINGS = {
    "về",
    "của",
    "và",
    "cho",
    "tại",
    "với",
    "trong",
    "đối",
    "các",
    "những",
    "số",
    "ngày",
    "việc",
    "đến",
    "giai",
}
_SUBJECT_RE = re.compile(r"(?:^|\s)(?:về|thực hiện)(?:\s|$)", re.IGNORECASE)
# A document cited inside a heading ("... thực hiện Nghị quyết số 42-NQ/TW, ngày ... về ..."):
# the heading's subject is not complete before that document's own "về".
_NESTED_CITATION_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, TYPE_LABELS), key=len, reverse=True)) + r")\s+số\b",
    re.IGNORECASE,
)

HEADING_KINDS = {"num", "sub", "part", "lead"}
LIST_KINDS = {"dash", "plus", "number"}


@dataclass
class Block:
    kind: str
    text: str
    lines: list = field(default_factory=list)
    number: str = ""
    depth: int = 0
    top: bool = False
    pictures: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the importer was unsure of, for the report

    @property
    def first(self):
        return self.lines[0]


def _dash_goes_on_text(text):
    """ "- 2025", "- dịch vụ": after the dash a number or a lower-case word, not a new item."""
    match = _DASH_THEN_RE.match(text)
    return bool(match) and (match[1].isdigit() or match[1].islower())


def _has_inner_stop(text):
    return any(match[1].isupper() for match in _INNER_STOP_RE.finditer(text))


def _first_letter(text):
    for char in text:
        if char.isalpha():
            return char
        if char.isdigit():
            return "0"
    return ""


def starts_low(text):
    """Whether ``text`` goes on a sentence: a lower-case word, a number, a bracket."""
    first = _first_letter(text)
    return bool(first) and (first.islower() or first == "0") or text[:1] == "("


def _sub_number(printed):
    """ "4. 2" -> "4.2"."""
    return re.sub(r"\s", "", printed)


def classify(line):
    """The kind of block a line starts, with its printed number and depth if any."""
    text = line.text
    style = line.style
    if line.contents:
        return ("toc", text, "", 0)
    if style == "h1" and fold(text) == "noi dung":
        return ("toc", text, "", 0)
    if style == "h1":
        match = _NUMBERED_RE.match(text)
        return ("num", match[2] if match else text, match[1] if match else "", 1)
    if style in {"h2", "h3"}:
        if match := _SUBNUMBERED_RE.match(text):
            return ("sub", match[3], _sub_number(match[1]), int(style[1]))
        match = _NUMBERED_RE.match(text)
        return ("sub", match[2] if match else text, match[1] if match else "", int(style[1]))
    if style == "bullet":
        return ("dash", text, "", 0)
    if style in {"plus", "number", "caption", "lead"}:
        return (style, text, "", 0)
    if text.startswith("|"):
        return ("table", text, "", 0)
    if text.upper() == text and fold(text) == "noi dung":
        return ("toc", text, "", 0)
    if match := _FOOTNOTE_RE.match(text):
        return ("footnote", match[2], match[1].translate(SUPERSCRIPT_TO_DIGIT), 0)
    if match := _SUBNUMBERED_RE.match(text):
        number = _sub_number(match[1])
        # Without its final dot "1.1 Mục tiêu" is a heading only when it reads like one (a
        # capital after the number, or bold in Word); "1.5 triệu" is a quantity.
        if match[2] or match[3][:1].isupper() or line.bold:
            return ("sub", match[3], number, number.count(".") + 1)
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


class Joiner:
    """The rules that say whether the next line goes on the block being read."""

    def __init__(self, lines, *, wrapped, from_word=False):
        self.lines = lines
        self.kinds = [classify(line) for line in lines]
        self.wrapped = wrapped
        self.from_word = from_word
        lengths = [len(line.text) for line in lines if len(line.text) >= 40]
        self.width = statistics.median(lengths) if wrapped and lengths else 0
        self._casing = None  # see opens_sentence; counted only when a heading needs it
        if wrapped:
            self._mend_wrapped_markers()

    def _mend_wrapped_markers(self):
        """A line the wrap happened to start with a number goes on its sentence.

        "... tăng trưởng năm" / "2024. Ngoài ra ...": a line opened by a number that cannot
        be a heading's (three digits and more) goes on the line before it when that line is
        full and does not end a sentence.
        """
        for index in range(1, len(self.lines)):
            kind, _text, number, _depth = self.kinds[index]
            if kind != "num" or len(number) < 3 or self.lines[index].style:
                continue
            before = self.lines[index - 1]
            if self.full(before) and not (
                TERMINAL_RE.search(before.text) or SOFT_TERMINAL_RE.search(before.text)
            ):
                self.kinds[index] = ("para", self.lines[index].text, "", 0)

    def short(self, line):
        return len(line.text) < 0.75 * self.width

    def full(self, line):
        return bool(self.width) and len(line.text) >= 0.88 * self.width

    def dash_goes_on(self, index):
        """Whether the dash line at ``index`` goes on the line before it rather than a list.

        "giai đoạn 2022 -" / "- 2025", "thương mại" / "- dịch vụ": a dash after a line that does
        not end a clause, and either ends with a dash itself or goes on with a number or a
        lower-case word, is part of the text; before a capital it opens an item.
        """
        if index == 0 or self.from_word:
            return False
        cur, nxt = self.lines[index - 1], self.lines[index]
        if nxt.style or nxt.gap or nxt.pictures or not _DASH_RE.match(nxt.text):
            return False
        text = cur.text
        if TERMINAL_RE.search(text) or SOFT_TERMINAL_RE.search(text):
            return False
        if text.endswith(("-", "–")):
            return True
        return _dash_goes_on_text(nxt.text) and (not self.wrapped or not self.short(cur))

    def breaks(self, index):
        """Whether the line at ``index`` starts a block of its own whatever came before."""
        line = self.lines[index]
        if line.gap or line.pictures or line.style != "":
            return True
        kind = self.kinds[index][0]
        if kind == "dash" and self.dash_goes_on(index):
            return False
        return kind != "para"

    def joins(self, index, state):
        """Whether the line after ``index`` goes on the block described by ``state``."""
        lines = self.lines
        if index + 1 >= len(lines):
            return False
        cur, nxt = lines[index], lines[index + 1]
        kind = state.kind
        if self.from_word or cur.style or self.breaks(index + 1):
            return False
        if kind != "caption" and self.caption_starts(index + 1):
            return False
        if kind in HEADING_KINDS and len(state.lines) >= MAX_HEADING_LINES:
            return False
        text = cur.text
        if TERMINAL_RE.search(text):
            # A justified line runs to the margin whether or not a sentence ends there: inside
            # a list item a full line ending in a full stop does not end the item.
            return kind in LIST_KINDS and self.full(cur) and not nxt.indent
        low = starts_low(nxt.text)
        if SOFT_TERMINAL_RE.search(text):
            # "... giai đoạn 2021 - 2025;" / "Kế hoạch số 76-KH/TU ...": a list item runs on
            # over its clauses until the next marker, as it does over its full stops.
            return low or (kind in LIST_KINDS and self.full(cur) and not nxt.indent)
        if low:
            return True
        if not self.wrapped:
            return kind not in HEADING_KINDS and kind != "caption" and len(text) > 150
        if (kind in HEADING_KINDS or kind == "caption") and len(state.lines) < MAX_HEADING_LINES:
            # A bracket or quotation opened and not closed yet: the phrase cannot end here
            # ("... Thành ủy Cao Bằng (Việt" / "Nam) và ...", "chuyên đề “Cuộc đời ..."). Only
            # a phrase's first lines are looked at, so reading a run of lines stays linear,
            # and never a line ending a sentence inside it: a bracket a typo left open does
            # not make a paragraph a title.
            if not self.short(cur) and not _has_inner_stop(nxt.text) and state.opens_unclosed():
                return True
        if kind in HEADING_KINDS:
            return self.heading_goes_on(index, state)
        if kind == "caption":
            if cur.trailing >= 2:
                return nxt.trailing >= 2 or self.tail(nxt)
            if self.tail(nxt):
                return not self.short(cur)
            return self.phrase_goes_on(
                index, MAX_CAPTION_LINES - len(state.lines), stop_anywhere=True
            )
        if text.endswith((",", "-")):
            return True
        return cur.trailing < 2 and not self.short(cur)

    def tail(self, line):
        """A short last line of a caption wrapped at its last words."""
        return self.short(line) and not TERMINAL_RE.search(line.text)

    def heading_goes_on(self, index, state):
        cur = self.lines[index]
        if len(state.lines) >= MAX_HEADING_LINES:
            return False
        last_word = cur.text.rsplit(" ", 1)[-1].lower()
        if last_word in _OPEN_ENDINGS or cur.text.endswith((",", "-", "–")):
            return True
        # "... của Ban Thường vụ Tỉnh ủy" / "Cao Bằng về ...": the issuing body is cut in two.
        if state.citation and state.awaiting_subject:
            return True
        # A citation's subject runs on to the heading's last line, which may end with a stop.
        room = MAX_HEADING_LINES - len(state.lines)
        return self.phrase_goes_on(index, room, citation=state.citation)

    def phrase_goes_on(self, index, room, *, stop_anywhere=False, citation=False):
        """Whether the phrase (a heading, a caption) whose line ``index`` is read goes on.

        A full line goes on, unless the lines after it start a paragraph: a heading or a caption
        is one phrase running on to its last line, which is not full; a paragraph holds
        sentences and ends with a stop or a colon. At most ``room`` lines are looked at.
        """
        cur = self.lines[index]
        if not self.full(cur):
            return False
        nxt = index + 1
        for ahead in range(nxt, nxt + room):
            if ahead >= len(self.lines):
                return ahead > nxt
            line = self.lines[ahead]
            if ahead > nxt and (
                self.breaks(ahead)
                or line.indent > self.lines[ahead - 1].indent
                or (
                    not self.lines[ahead - 1].text.endswith((",", "-", "–"))
                    and self.opens_sentence(ahead)
                )
            ):
                # Full lines without a stop up to the next block (a photo's place, a heading,
                # an indented line, a line opening a sentence) are the phrase's: a paragraph
                # would have ended with a stop or a colon before it.
                return True
            if line.indent > cur.indent or _has_inner_stop(line.text):
                return False
            if SOFT_TERMINAL_RE.search(line.text):
                return False
            if TERMINAL_RE.search(line.text):
                # The phrase may end with a full stop on its last line, unless the line after
                # the full one opens a sentence (a capital on a word written in lower case):
                # then that stop is a paragraph's. Further on than that line, a caption is
                # read to the stop, and a citation heading too; other headings are not.
                if self.opens_sentence(nxt):
                    return False
                further = stop_anywhere or citation
                return (further or ahead == nxt) and self.ends_after(ahead)
            if not self.full(line):
                return self.ends_after(ahead)
        return False

    def opens_sentence(self, index):
        """Whether the line at ``index`` opens a sentence by its capital: its first word (and
        the word after it) is one the document writes in lower case inside its lines ("Năm
        2023 tình hình ..."), not a name it writes with a capital ("Trung học phổ thông"), nor
        the rest of a name the line before began ("của Bộ" / "Chính trị ...")."""
        text = self.lines[index].text
        words = _WORD_RE.findall(text)
        # The line itself must start with the word: "2024; Nghị quyết ..." goes on a sentence.
        if not _WORD_RE.match(text) or not words[0][:1].isupper() or words[0].isupper():
            return False
        if len(text.split()) < 2 or len(words) > 1 and words[1][:1].isupper():
            # A name, each of its words with a capital ("Lưu Khánh Hạ"), or the name's last
            # word alone on a line ("huyện Nguyên" / "Bình."): no sentence is seen opening.
            return False
        if self._casing is None:
            self._casing = _mid_line_casing(self.lines)
        word, pair, after = _opening_keys(self.lines, index)
        if after and self._casing.get(after, (0, 0))[1]:
            return False
        # The pair of words when the document has it inside a line, else the first word alone.
        for key in (pair, word):
            lower, capital = self._casing.get(key, (0, 0)) if key else (0, 0)
            if lower or capital:
                return lower >= 2 and lower >= 2 * capital
        return False

    def ends_after(self, index):
        """Whether the line at ``index`` is the last of its paragraph."""
        if index + 1 >= len(self.lines):
            return True
        return self.breaks(index + 1) or not starts_low(self.lines[index + 1].text)

    def caption_starts(self, index):
        """Whether the line at ``index`` may open a photo caption."""
        line = self.lines[index]
        if line.style == "caption":
            return True
        kind = self.kinds[index][0]
        if line.centred and line.italic and (line.pictures or line.gap):
            return kind in {"para", "lead"}
        if line.gap and kind == "lead" and not line.style:
            return True  # an italic caption, "*Bí thư Thành ủy trao Huy hiệu ... cho" wrapped
        if line.style or kind != "para":
            return False
        if line.gap or line.pictures:
            return True
        return (
            self.wrapped
            and line.tight
            and line.indent > 0
            and line.after_stop
            and line.text[:1].isupper()
        )


class _Reading:
    """The block being read: its lines, its text parts, and what its heading has said so far."""

    def __init__(self, kind, line, text):
        self.kind = kind
        self.lines = [line]
        self.parts = [text]
        self.citation = kind in HEADING_KINDS and starts_with_citation(text)
        self.awaiting_subject = self.citation
        self._follow_subject(start=1)

    def add(self, line):
        previous = self.parts[-1]
        text = line.text
        if _dash_goes_on_text(text) and previous.endswith(("-", "–")):
            # "2022 -" / "- 2025": one dash, printed on both lines.
            text = text[1:].lstrip()
            glue = " "
        elif re.search(r"\w-$", previous):
            # A number or word cut at its hyphen ("35-" / "CT/TW") is joined without a space.
            glue = ""
        else:
            glue = " "
        self.parts.append(glue)
        self.parts.append(text)
        self.lines.append(line)
        self._follow_subject()

    def opens_unclosed(self):
        """Whether the text so far has a bracket or a quotation left open.

        Printed issues mix straight and curly quotes ("Tôi yêu Tổ quốc tôi”), so any two double
        quotes make a pair.
        """
        text = "".join(self.parts)
        quotes = sum(text.count(mark) for mark in '"“”')
        return text.count("(") > text.count(")") or quotes % 2 == 1

    def _follow_subject(self, start=0):
        """Whether a citation heading still awaits its subject: a "về" starts it, a document
        cited after that ("thực hiện Nghị quyết số ...") awaits its own."""
        if not self.citation:
            return
        # The whole heading so far (six lines at most): a cited type may be cut by the wrap.
        text = "".join(self.parts)
        subjects = list(_SUBJECT_RE.finditer(text))
        nested = [m.start() for m in _NESTED_CITATION_RE.finditer(text, start)]
        if nested and (not subjects or nested[-1] > subjects[-1].start()):
            self.awaiting_subject = True
        elif subjects:
            # "... của Thành ủy Cao Bằng thực hiện" at the end of a line: what is done follows.
            self.awaiting_subject = subjects[-1].end() >= len(text.rstrip())

    def block(self):
        return Block(kind=self.kind, text="".join(self.parts), lines=self.lines)


def _mid_line_casing(lines):
    """How often the words that open lines are written in lower case and with a capital inside
    a line, after a word that does not end a sentence: each such word alone, with the word
    after it ("pair") and with the word before it ("after"), as [lower, capital] counts.

    Only the keys a line's opening could ask are kept, and only the first ``CASING_LINES``
    lines are read, so the counts stay small whatever the file.
    """
    lines = lines[:CASING_LINES]
    counts = {}
    for index in range(len(lines)):
        for key in _opening_keys(lines, index):
            if key:
                counts[key] = [0, 0]
    openers = {key[1] for key in counts if key[0] == "word"}
    for line in lines:
        tokens = line.text.split()
        words = [_leading_word(token) for token in tokens]
        for position in range(1, len(tokens)):
            word = words[position].lower()
            if word not in openers or (len(word) > 1 and words[position].isupper()):
                continue  # not asked, or an abbreviation ("HĐND"): no casing to learn
            before = tokens[position - 1]
            if before[-1] in _STOP_ENDINGS and (
                TERMINAL_RE.search(before) or SOFT_TERMINAL_RE.search(before)
            ):
                continue
            case = 0 if words[position][0].islower() else 1
            counts[("word", word)][case] += 1
            if position + 1 < len(tokens) and (
                pair := counts.get(("pair", word, words[position + 1].lower()))
            ):
                pair[case] += 1
            previous = before if before.isalpha() else "".join(_WORD_RE.findall(before)[-1:])
            if after := counts.get(("after", previous.lower(), word)):
                after[case] += 1
    return counts


def _leading_word(token):
    """The letters a token starts with ("Nam)" -> "Nam"), or "" for "(Việt", "2024;"."""
    if token.isalpha():
        return token
    match = _WORD_RE.match(token)
    return match[0] if match else ""


def _opening_keys(lines, index):
    """The keys ``Joiner.opens_sentence`` asks of the line at ``index``: its first word alone,
    with the word after it, and after the last word of the line before (None when missing)."""
    text = lines[index].text
    if not _WORD_RE.match(text):
        return None, None, None
    words = _WORD_RE.findall(text)
    first = words[0].lower()
    pair = ("pair", first, words[1].lower()) if len(words) > 1 else None
    before = _WORD_RE.findall(lines[index - 1].text) if index else []
    after = ("after", before[-1].lower(), first) if before else None
    return ("word", first), pair, after


def is_wrapped(lines):
    """Whether the lines were hard-wrapped at a page width (000, 001) or are whole paragraphs."""
    lengths = sorted(len(line.text) for line in lines)
    if len(lengths) < 20:
        return False
    return lengths[int(len(lengths) * 0.95)] <= 120


def top_lines(lines, kinds):
    """The indexes of the lines that open the issue's numbered items.

    Item bodies number their own points (1. to 8. inside item 1 of 000, restarted 1., 2. inside
    the parts of a plan), and an issue may skip a number (000 goes 1, 2, 3, 5). A line "N. ..."
    opens an item when N goes beyond the last item's number and either it is the first one, its
    heading cites a document, it is the news section, or its first sub-heading is "N.1.";
    failing those, when it continues the sequence (see below). A Word "Heading 1" or a Markdown
    "# " heading always opens an item.
    """
    start = next((i for i, k in enumerate(kinds) if k[0] in {"toc", "table", "num"}), len(lines))
    numbered = [i for i in range(start, len(lines)) if kinds[i][0] in {"num", "sub"}]
    _refuse_beyond_the_cap(lines)
    tops = set()
    last = 0
    for position, i in enumerate(numbered):
        kind, text, number, _depth = kinds[i]
        if kind != "num":
            continue
        if lines[i].style == "h1":
            tops.add(i)
            # Points numbered 1., 2. in the body after it are not items of their own.
            last = int(number) if number else last
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
        if int(number) in taken or len(text) > 200 or TERMINAL_RE.search(text):
            continue
        if SOFT_TERMINAL_RE.search(text):
            continue
        after = numbered[position + 1] if position + 1 < len(numbered) else None
        if after is not None and after not in tops and kinds[after][0] == "num":
            if int(kinds[after][2]) == int(number) + 1:
                continue
        tops.add(i)
        previous = int(number)
    if len(tops) > MAX_ITEMS:
        raise _too_many_items(len(tops))
    return tops


def _refuse_beyond_the_cap(lines):
    """Refuse a file numbering its lines beyond the cap on items, rather than merge them.

    What counts is a run of lines numbered one after the other (1., 2., 3., ...) going beyond
    the cap: a year that a wrap put at the start of a line ("2024. Ngoài ra") is no such run.
    """
    run = 0
    previous = None
    for line in lines:
        if not (match := _ANY_NUMBER_RE.match(line.text)):
            continue
        number = int(match[1])
        run = run + 1 if previous is not None and number == previous + 1 else 1
        previous = number
        if run > MAX_ITEMS:
            count = sum(1 for line in lines if _ANY_NUMBER_RE.match(line.text))
            raise _too_many_items(count)


def _too_many_items(count):
    return ImportRefused(
        _(
            "The file numbers %(count)d items; an issue holds at most %(limit)d. Check that "
            "this is the text of one issue, or split it."
        )
        % {"count": count, "limit": MAX_ITEMS}
    )


def read_blocks(lines, *, from_word=False):
    """Join ``lines`` into blocks: paragraphs, headings, list items, footnotes, captions."""
    joiner = Joiner(lines, wrapped=not from_word and is_wrapped(lines), from_word=from_word)
    tops = top_lines(lines, joiner.kinds)
    blocks = []
    index = 0
    previous_caption = False
    while index < len(lines):
        line = lines[index]
        kind, text, number, depth = joiner.kinds[index]
        if kind == "dash" and joiner.dash_goes_on(index):
            kind, text = "para", line.text
        if kind in {"para", "lead"} and joiner.caption_starts(index):
            if not (line.gap and previous_caption and not line.style):
                caption = _read(joiner, index, "caption", line.text)
                if _is_caption(caption, joiner):
                    caption.pictures = list(line.pictures)
                    if _may_go_on(caption, joiner, index + len(caption.lines)):
                        caption.notes.append(
                            _("a photo caption that may go on in the next paragraph")
                        )
                    blocks.append(caption)
                    index += len(caption.lines)
                    previous_caption = True
                    continue
        if split := _run_in(line, kind, text, index in tops):
            # "4.3. Đối tượng thi đua: Các cơ quan ...": the label is the heading, the rest of
            # the line and the lines after it are a paragraph.
            label_kind, label, rest = split
            heading = Block(kind=label_kind, text=label, lines=[line], number=number, depth=depth)
            heading.pictures = list(line.pictures)
            blocks.append(heading)
            paragraph = _read(joiner, index, "para", rest)
            paragraph.kind = "para"
            blocks.append(paragraph)
            index += len(paragraph.lines)
            previous_caption = False
            continue
        if kind == "para" and line.bold and not line.italic and joiner.short(line):
            kind = "part"  # a whole bold short line in Word: an unnumbered heading
        # A numbered point of a body is a paragraph; only an item's heading reads like one.
        rules = "point" if kind == "num" and index not in tops else kind
        block = _read(joiner, index, rules, text)
        block.kind, block.number, block.depth = kind, number, depth
        block.top = index in tops
        block.pictures = list(line.pictures)
        if rules in HEADING_KINDS and len(block.lines) > LONG_HEADING_LINES:
            block.notes.append(
                _("a heading of %(count)d lines: check where it ends") % {"count": len(block.lines)}
            )
        elif rules in HEADING_KINDS and _may_go_on(block, joiner, index + len(block.lines)):
            block.notes.append(_("a heading whose last line is full: check where it ends"))
        blocks.append(block)
        index += len(block.lines)
        previous_caption = kind == "caption"
    return blocks


def _run_in(line, kind, text, top):
    """The kind, label and text of a run-in heading, or None."""
    if top or kind not in {"sub", "para", "part"}:
        return None
    if line.bold_lead:
        prefix = len(line.text) - len(text)
        label = text[: line.bold_lead - prefix].strip()
        rest = text[line.bold_lead - prefix :].strip()
        if not label or not rest:
            return None
        if kind != "sub" and not label.endswith((":", ".")):
            # "**Gồm 78** bài viết ...": words set in bold inside a sentence, not a run-in
            # heading, which ends with a colon or a stop ("Đối với cá nhân: ghi rõ ...").
            return None
        return ("sub" if kind == "sub" else "lead", label, rest)
    if kind == "part" and not line.style:
        # "Phần thứ ba: Dấu ấn đối ngoại Việt Nam: Gồm 52 bài viết ...": the part's title ends
        # at its second colon, the running text follows.
        label, colon, after = text.partition(":")
        match = _RUN_IN_RE.match(after.strip())
        if colon and match and len(match[1].split()) <= 25:
            return (kind, f"{label}: {match[1]}", match[2])
        return None
    if kind != "sub" or line.style:
        return None
    match = _RUN_IN_RE.match(text)
    if not match or len(match[1].split()) > 10:
        return None
    return (kind, match[1], match[2])


def _read(joiner, index, kind, text):
    """The block of ``kind`` starting at ``index``, its wrapped lines joined."""
    state = _Reading(kind, joiner.lines[index], text)
    while joiner.joins(index + len(state.lines) - 1, state):
        state.add(joiner.lines[index + len(state.lines)])
    return state.block()


def _is_caption(block, joiner):
    first = block.first
    if first.style == "caption":
        return True
    if first.centred and first.italic:
        return len(block.lines) <= MAX_CAPTION_LINES
    if len(block.lines) > MAX_CAPTION_LINES or len(block.text) > MAX_CAPTION_CHARS:
        return False
    ends = bool(TERMINAL_RE.search(block.text))
    if first.gap or first.pictures:
        # After a photo's place a caption may end with a stop, but it is one sentence.
        return not ends or len(block.lines) <= 2 or not _has_inner_stop(block.text)
    return not ends and (len(block.lines) == 1 or joiner.short(block.lines[-1]))


def _may_go_on(block, joiner, after):
    """A heading or caption whose last line is full, without a stop, and with running text
    after it: where it ends is a guess."""
    last = block.lines[-1]
    if not joiner.wrapped or not joiner.full(last) or TERMINAL_RE.search(last.text):
        return False
    return after < len(joiner.lines) and not joiner.breaks(after)
