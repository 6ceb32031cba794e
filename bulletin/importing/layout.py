"""The layout stage of reading printed pages: positioned words into the importer's lines.

Whatever put the words on the page (a PDF's glyphs, text recognition's boxes), the look of the
page says what they are, and this module reads it the way a person would, from the document's
own evidence rather than from any one stylesheet:

- words at one height are a printed line (``rows_of``); a gutter running down part of a page
  makes two columns, read left column first (``split_columns``);
- a printed line belongs to the paragraph above it when that line was full (the first word of
  the next line would not have fitted in what is left of it), the next line starts where the
  paragraph's lines start, the spacing is the usual one for that size and the font goes on;
  centred lines of one font (a heading or a caption set in several lines) belong together;
- bold or larger-than-body lines are headings, kept whole however many lines they take;
- small raised digits are footnote marks; small text at the foot of a page, starting with a
  number, is footnotes, put back after the line that carries their mark;
- text repeated at the same height on many pages is a running header or footer, a number alone
  at the top or bottom of a page is its page number: both are dropped;
- the first page is the cover (its lines are never joined); lines with dot leaders and a page
  number, and the "NỘI DUNG"/"MỤC LỤC" title, are the table of contents;
- pictures become ``Picture``s on the line that follows them (their caption).

``read_layout(pages)`` takes one dictionary per page: ``rows`` (from ``rows_of``), ``pictures``
(``(top, x0, x1, Picture)``), ``rules`` (horizontal rules, ``(x0, x1, y)``), ``number`` (from 1)
and ``width``; positions in points from the top left corner.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from .lines import Line, Picture

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Bullet glyphs a list item may be printed with: the first level reads as "-", the inner as "+".
_OUTER_BULLETS = "•●▪■-–—"
_INNER_BULLETS = "◦○▫□+"
_TEXT_MARKERS = "-–—+"  # list markers that are also characters of running text
# Dot leaders and the page number of a contents line ("Tin hoạt động ........ 12").
_LEADER_RE = re.compile(r"\s*(?:(?:\.\s?){5,}|…{2,}|(?:·\s?){5,}|(?:_\s?){5,})\s*(\d{1,3})?\s*$")
_CONTENTS_TITLE_RE = re.compile(r"^(nội dung|mục lục)$", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(r"^[-–—\s]*(?:trang\s+)?\d{1,4}[-–—\s]*$", re.IGNORECASE)
_FOOTNOTE_START_RE = re.compile(rf"^(?:(\d{{1,3}})[.)]?(?=\s)|([{_SUPERSCRIPT_CHARS}]+))\s*(\S.*)$")
_ITEM_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\)|[a-zđ]\))$")
# Dot leaders as text recognition reads them: dots, then noise and perhaps the page number.
_SCANNED_LEADER_RE = re.compile(r"\s*(?:\.\s?){8,}.*$")
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    fontname: str = ""


@dataclass
class Row:
    """A printed line: words at one height within one column."""

    words: list
    page: int
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    bold_lead: int = 0
    text: str = ""
    region: tuple = (0.0, 0.0)  # left and right edge of the text block the row stands in
    column: str = "full"  # or "left", "right" in a two-column part of a page
    picture: Picture | None = None  # a picture standing here instead of text
    # How uneven positions are: 1 for glyphs placed by a typesetter, more for recognised words.
    slack: float = 1.0
    marks: set = field(default_factory=set)  # footnote marks set as small raised digits

    @property
    def x0(self):
        return self.words[0].x0

    @property
    def x1(self):
        return self.words[-1].x1

    @property
    def top(self):
        return min(w.top for w in self._main())

    @property
    def bottom(self):
        return max(w.bottom for w in self._main())

    def _main(self):
        return [w for w in self.words if w.size >= 0.8 * self.size] or self.words

    @property
    def continuation_x(self):
        """Where the text of a wrapped line of this paragraph starts: after a hanging marker
        ("•", "1.", "(2)") that is the second word, otherwise the line's own start."""
        if len(self.words) > 1 and (
            self.words[0].text in _OUTER_BULLETS + _INNER_BULLETS
            or _ITEM_MARKER_RE.match(self.words[0].text)
        ):
            return self.words[1].x0
        return self.x0


@dataclass
class _Paragraph:
    rows: list = field(default_factory=list)
    pictures: list = field(default_factory=list)
    contents: bool = False
    cover: bool = False
    footnote: bool = False


def rows_of(words, page):
    """Words grouped into printed lines, top to bottom.

    A word joins a line when its middle lies within the band of the line's largest word so far,
    a band that does not grow with each word: otherwise two columns whose lines sit at slightly
    different heights would chain lines together."""
    rows = []
    bands = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        middle = (word.top + word.bottom) / 2
        for index in range(len(rows) - 1, max(len(rows) - 5, -1), -1):
            top, bottom, size = bands[index]
            if top <= middle <= bottom:
                rows[index].words.append(word)
                if word.size > 1.25 * size:
                    bands[index] = (word.top, word.bottom, word.size)
                break
        else:
            rows.append(Row(words=[word], page=page))
            bands.append((word.top, word.bottom, word.size))
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
        row.size = Counter(w.size for w in row.words for _ch in w.text).most_common(1)[0][0]
    return rows


def split_columns(rows, width):
    """Rows of a page, two-column parts split at the gutter and read column by column."""
    # A gutter: a vertical strip in the middle part of the page that no word crosses, with many
    # lines starting to the right of it (on a one-column page only centred lines do).
    body = [r for r in rows if len(r.words) > 1]
    low, high = int(width * 0.35), int(width * 0.65)
    counts = Counter()
    for row in body:
        counts.update(_gutters_left_of_text(row, low, high))
    best, best_count = max(counts.items(), key=lambda item: (item[1], -item[0]), default=(None, 0))
    if best is None or best_count < max(4, 0.25 * len(body)):
        return rows
    ordered, band = [], []

    def flush():
        left = [r for r in band if r.x1 <= best]
        right = [r for r in band if r.x0 >= best]
        for row in left:
            row.column = "left"
        for row in right:
            row.column = "right"
        ordered.extend(left + right)
        band.clear()

    for row in rows:
        if _splits_at(row, best):
            left = [w for w in row.words if w.x1 <= best]
            right = [w for w in row.words if w.x0 >= best]
            band.append(Row(words=left, page=row.page, size=row.size, slack=row.slack))
            band.append(Row(words=right, page=row.page, size=row.size, slack=row.slack))
        elif row.x1 <= best or row.x0 >= best:
            band.append(row)
        else:
            flush()
            ordered.append(row)
    flush()
    for row in ordered:
        if row.words:
            row.size = Counter(w.size for w in row.words for _ch in w.text).most_common(1)[0][0]
    return [row for row in ordered if row.words]


def _gutters_left_of_text(row, low, high):
    """The gutter positions (every 2 pt from ``low`` to ``high``) that no word of the row
    crosses and that have text of the row to their right (a contents line's leaders and page
    number are not a column)."""
    if _LEADER_RE.search(row.text):
        return set()
    margin = max(4.0, row.size * 0.4)
    text_starts = [w.x0 for w in row.words if any(ch.isalpha() for ch in w.text)]
    if not text_starts:
        return set()
    rightmost = max(text_starts)
    gutters = set(range(low + (low % 2), min(high, int(rightmost)) + 1, 2))
    for word in row.words:
        crossed = range(int(word.x0 - margin) + 1, int(word.x1 + margin) + 1)
        gutters.difference_update(crossed)
    return gutters


def _splits_at(row, gutter):
    margin = max(4.0, row.size * 0.4)
    if _LEADER_RE.search(row.text):
        return False
    if any(w.x0 - margin < gutter < w.x1 + margin for w in row.words):
        return False
    return any(w.x1 <= gutter for w in row.words) and any(w.x0 >= gutter for w in row.words)


# Printed lines to paragraphs ---------------------------------------------------------------


def _text(words, size):
    """The words of a row as text: small raised digits become superscripts, glued to the word
    before them; a gap wider than a tenth of the font size is a space."""
    baseline = max(w.bottom for w in words if w.size >= 0.8 * size) if words else 0
    parts = []
    previous = None
    for word in words:
        text = word.text
        raised = word.size < 0.8 * size and word.bottom < baseline - 0.15 * size
        if raised and text.isdigit():
            text = text.translate(SUPERSCRIPTS)
        if previous is not None:
            glued = word.x0 - previous.x1 < 0.1 * max(size, 1) or text[0] in _SUPERSCRIPT_CHARS
            if not glued:
                parts.append(" ")
        parts.append(text)
        previous = word
    return "".join(parts)


def _finish_row(row):
    row.text = _text(row.words, row.size)
    row.bold_lead = 0
    baseline = max(w.bottom for w in row.words if w.size >= 0.8 * row.size)
    row.marks = {
        w.text.translate(SUPERSCRIPTS)
        for w in row.words
        if w.text.isdigit() and w.size < 0.8 * row.size and w.bottom < baseline - 0.15 * row.size
    }
    main = [w for w in row.words if w.size >= 0.8 * row.size] or row.words
    # Mostly bold or italic: an arrow or a number may be set upright in an emphasised line.
    total = sum(len(w.text) for w in main)
    row.bold = sum(len(w.text) for w in main if w.bold) >= 0.7 * total
    row.italic = sum(len(w.text) for w in main if w.italic) >= 0.7 * total
    marker_first = main[0].text in _OUTER_BULLETS + _INNER_BULLETS
    starts_bold = main[0].bold or (marker_first and len(main) > 1 and main[1].bold)
    if starts_bold and not main[-1].bold:
        # A run-in heading: the bold words at the start (after a list marker), then plain text.
        lead = 0
        seen_bold = False
        for word in main:
            if word.bold:
                seen_bold = True
            elif seen_bold or not marker_first:
                break
            lead += 1
        row.bold_lead = len(_text(main[:lead], row.size))


def _drop_repeated(pages):
    """Drop running headers and footers (the same text at the same height on many pages) and
    page numbers (a number alone as the first or last row of a page)."""
    keys = Counter()
    for page in pages:
        seen = {(round(r.top / 4), re.sub(r"\d+", "#", r.text)) for r in page["rows"]}
        keys.update(seen)
    threshold = max(3, 0.4 * len(pages))
    for page in pages:
        rows = page["rows"]
        kept = []
        for index, row in enumerate(rows):
            key = (round(row.top / 4), re.sub(r"\d+", "#", row.text))
            if len(pages) >= 3 and keys[key] >= threshold:
                continue
            edge = index == 0 or index == len(rows) - 1
            if edge and _PAGE_NUMBER_RE.match(row.text):
                continue
            kept.append(row)
        page["rows"] = kept


def measure_body_size(pages):
    """The size of the body text: the size most characters are set in, the cover left out."""
    sizes = Counter()
    for page in pages[1:] or pages:
        for row in page["rows"]:
            for word in row.words:
                sizes[round(word.size * 2) / 2] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _set_regions(pages, body_size):
    """The left and right edge of the text block each row stands in, from the body-size rows of
    the whole document: per column and per odd or even page, as printed pages may mirror their
    margins. The left edge is the leftmost start that recurs (list items and first lines are
    indented), the right one the edge most full lines reach."""
    groups = {}
    for page in pages:
        parity = page["number"] % 2
        for row in page["rows"]:
            groups.setdefault((parity, row.column), []).append(row)
    edges = {}
    for key, members in groups.items():
        body = [r for r in members if abs(r.size - body_size) < 0.5] or members
        lefts = Counter(round(r.x0) for r in body)
        recurring = [x for x, n in lefts.items() if n >= max(2, 0.05 * len(body))]
        left = min(recurring or lefts)
        rights = sorted(r.x1 for r in body)
        edges[key] = (left, rights[int(len(rights) * 0.9)] if len(rights) >= 5 else rights[-1])
    for page in pages:
        parity = page["number"] % 2
        for row in page["rows"]:
            row.region = edges[(parity, row.column)]


def _footnote_rows(page, body_size):
    """The rows at the foot of a page that are its footnotes: smaller than the body, under the
    last body row, the first starting with a number."""
    rows = page["rows"]
    start = len(rows)
    while start > 0 and rows[start - 1].size < 0.92 * body_size:
        start -= 1
    if start == len(rows) or start == 0:
        return []
    if not _FOOTNOTE_START_RE.match(rows[start].text):
        return []
    ruled = any(rows[start - 1].bottom <= y <= rows[start].top + 2 for _x0, _x1, y in page["rules"])
    if not ruled and rows[start].size > 0.85 * body_size:
        return []
    notes = rows[start:]
    page["rows"] = rows[:start]
    return notes


def _pitch(pages, body_size):
    """The usual distance between the baselines of two lines of one body paragraph."""
    pitches = Counter()
    for page in pages:
        rows = page["rows"]
        for a, b in zip(rows, rows[1:], strict=False):
            if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5:
                pitch = round(b.bottom - a.bottom, 1)
                if 0 < pitch < 3 * body_size:
                    pitches[pitch] += 1
    return pitches.most_common(1)[0][0] if pitches else body_size * 1.3


def _margins(row):
    left, right = row.region
    return row.x0 - left, right - row.x1


def _symmetric(row):
    before, after = _margins(row)
    return abs(before - after) < row.slack * max(3.0, 0.02 * (row.region[1] - row.region[0]))


def _centred(row):
    """Whether a row stands in the middle of its text block, clear of both edges."""
    return _symmetric(row) and min(_margins(row)) > 0.25 * row.size


def _is_full(row, following):
    """Whether ``row`` was filled: the next line's first word would not have fitted after it."""
    left, right = row.region
    first = following.words[0]
    if first.text in _OUTER_BULLETS + _INNER_BULLETS and len(following.words) > 1:
        first = following.words[1]
    needed = (first.x1 - first.x0) + 0.25 * row.size
    return right - row.x1 < needed


def _same_font(a, b):
    return a.bold == b.bold and a.italic == b.italic and abs(a.size - b.size) < 0.05 * a.size


def _font_runs_on(last, row):
    """Whether the font the last row ends in is the one the next row starts in: a bold run-in
    heading that goes on to the next line, or a line of plain text after one."""
    end = last.words[-1]
    start = next((w for w in row.words if w.text not in _OUTER_BULLETS + _INNER_BULLETS), None)
    return (
        start is not None
        and (end.bold, end.italic) == (start.bold, start.italic)
        and abs(end.size - start.size) < 0.05 * end.size
    )


def _starts_list_item(row):
    return row.words[0].text[:1] in _OUTER_BULLETS + _INNER_BULLETS and (
        len(row.words[0].text) == 1 or row.words[0].text[1] == " "
    )


def _continues_at(paragraph, row):
    """Whether ``row`` starts where the next printed line of ``paragraph`` would: under the line
    before, or for the second line at the text block's edge (the first line may be indented) or
    under the text of a hanging list item. In a new column or page, the same distance from its
    edge."""
    rows = paragraph.rows
    tolerance = 0.3 * row.size * row.slack
    last = rows[-1]
    shift = row.region[0] - last.region[0]
    if len(rows) > 1:
        return abs(row.x0 - shift - last.x0) <= tolerance
    first = rows[0]
    return any(
        abs(row.x0 - shift - x) <= tolerance
        for x in (first.region[0], first.continuation_x, min(first.x0, first.region[0]))
    )


def _joins(paragraph, row, pitch, body_size, new_region):
    last = paragraph.rows[-1]
    if paragraph.cover or paragraph.footnote or last.picture or row.picture:
        return False
    if _LEADER_RE.search(last.text):
        return False  # a contents line ends at its leaders
    if not _same_font(last, row) and not _font_runs_on(last, row):
        return False
    if _starts_list_item(row):
        # A bullet always starts an item. A dash may be the text's own ("2021 - 2026" broken
        # before the dash): it starts an item after a line that ended a sentence or a clause.
        glyph = row.words[0].text[0]
        if glyph not in _TEXT_MARKERS or re.search(r"[.;:!?…][\"'”’)]*$", last.text):
            return False
    if not new_region:
        scale = row.size / body_size if body_size else 1
        spread = 1.08 if row.slack == 1 else 1.3
        if not 0 < row.bottom - last.bottom <= spread * pitch * scale:
            return False
    # A centred heading or caption set in several lines: each line in the middle, some of them
    # nearly full, their starts not aligned as the lines of a left-aligned paragraph are.
    aligned = abs(row.x0 - last.x0) <= 0.1 * row.size * row.slack
    centred = _centred(last) or _centred(row) or not aligned
    if _symmetric(last) and _symmetric(row) and centred:
        return not new_region or _is_full(last, row)
    if not _continues_at(paragraph, row):
        return False
    if not new_region and _under_hanging_text(paragraph, row):
        return True
    return _is_full(last, row)


def _under_hanging_text(paragraph, row):
    """Whether ``row`` stands under the text of a hanging number or bullet that opens the
    paragraph ("1.  Giới thiệu ..." then "    Nam toàn diện ..."): it goes on that item even
    after a line that looks short, as in a table of contents whose titles are set narrower than
    the page, clear of the page numbers."""
    first = paragraph.rows[0]
    hanging = first.continuation_x - first.x0
    return hanging > 0.5 * first.size and abs(row.x0 - first.continuation_x) <= (
        0.3 * row.size * row.slack
    )


def read_layout(pages):
    for page in pages:
        for row in page["rows"]:
            _finish_row(row)
    _drop_repeated(pages)
    body_size = measure_body_size(pages)
    for page in pages:
        width = page["width"]
        page["rows"] = split_columns(page["rows"], width)
        for row in page["rows"]:
            _finish_row(row)
    _set_regions(pages, body_size)
    for page in pages:
        page["notes"] = _footnote_rows(page, body_size) if page["number"] > 1 else []
    pitch = _pitch(pages, body_size)

    paragraphs = []
    pending_notes = []  # (page, footnote paragraphs) waiting for the paragraph they follow
    current = None
    previous_region = None
    for index, page in enumerate(pages):
        items = _with_pictures(page["rows"], page["pictures"], index)
        for row in items:
            region = (index, row.region)
            new_region = previous_region is not None and region != previous_region
            if row.picture is not None:
                if current is not None:
                    paragraphs.append(current)
                    current = None
                paragraphs.append(_Paragraph(rows=[row], pictures=[row.picture]))
                continue
            if current is not None and _joins(current, row, pitch, body_size, new_region):
                current.rows.append(row)
            else:
                if current is not None:
                    paragraphs.append(current)
                    current = None
                    _flush_notes(paragraphs, pending_notes, index)
                current = _Paragraph(rows=[row], cover=index == 0 and len(pages) > 1)
            previous_region = (index, row.region)
        if page["notes"]:
            pending_notes.append((index, _footnotes(page["notes"])))
    if current is not None:
        paragraphs.append(current)
    _flush_notes(paragraphs, pending_notes, len(pages))
    return _to_lines(paragraphs, body_size)


def _with_pictures(rows, pictures, page):
    """The rows of a page in reading order with each picture before the first row under it in
    its column."""
    items = list(rows)
    for top, x0, x1, picture in pictures:
        marker = Row(words=[Word("", x0, x1, top, top, 0, False, False)], page=page)
        marker.picture = picture
        position = next(
            (
                i
                for i, row in enumerate(items)
                if row.picture is None and row.top >= top and row.x0 < x1 and row.x1 > x0
            ),
            len(items),
        )
        items.insert(position, marker)
    return items


def _flush_notes(paragraphs, pending, page_index):
    """Footnotes go after the paragraph that was open at the foot of their page."""
    while pending and pending[0][0] < page_index:
        paragraphs.extend(pending.pop(0)[1])


def _footnotes(rows):
    """Footnote rows split into notes: a note starts with its number after a line that was not
    full (the last line of the note before)."""
    notes = []
    for row in rows:
        starts = _FOOTNOTE_START_RE.match(row.text) and (
            not notes or not _is_full(notes[-1].rows[-1], row)
        )
        if starts or not notes:
            notes.append(_Paragraph(rows=[row], footnote=True))
        else:
            notes[-1].rows.append(row)
    return notes


def _join_texts(rows):
    text = ""
    for row in rows:
        piece = row.text
        if not text:
            text = piece
        elif re.search(r"\w[-/]$", text):
            text += piece  # "388-" / "KH/TU", "cam/" / "dioxin": cut after a hyphen or a slash
        else:
            text += " " + piece
    return text


def _to_lines(paragraphs, body_size):
    lines = []
    notes = set()  # indexes of footnote lines
    marks = []  # for each line, the footnote marks it carries
    pictures = []
    last_page = 0
    for paragraph in paragraphs:
        if paragraph.pictures:
            pictures.extend(paragraph.pictures)
            continue
        first = paragraph.rows[0]
        text = re.sub(r"\s+", " ", _join_texts(paragraph.rows)).strip()
        if not text:
            continue
        contents = False
        if not paragraph.cover:
            leaders = _LEADER_RE if first.slack == 1 else _SCANNED_LEADER_RE
            if leaders.search(text):
                text, contents = leaders.sub("", text).strip(), True
                if not text and lines:
                    # The leaders went to a line of their own: they end the entry above.
                    lines[-1].contents = True
                    continue
            elif _CONTENTS_TITLE_RE.match(text):
                contents = True
        if paragraph.footnote:
            match = _FOOTNOTE_START_RE.match(text)
            number = match[1] or match[2].translate(str.maketrans(_SUPERSCRIPT_CHARS, "0123456789"))
            text = f"{number.translate(SUPERSCRIPTS)} {match[3]}"
        marker = ""
        if _starts_list_item(first):
            glyph = first.words[0].text[0]
            marker = "+" if glyph in _INNER_BULLETS else "-"
            text = f"{marker} {text[1:].lstrip()}"
        left = first.region[0]
        previous_text = lines[-1].text if lines else ""
        lines.append(
            Line(
                text=text,
                indent=max(0, round((first.x0 - left) / max(first.size * 0.5, 1))),
                gap=bool(pictures),
                after_stop=bool(_TERMINAL_RE.search(previous_text)),
                bold=all(r.bold for r in paragraph.rows)
                and not first.bold_lead
                and not paragraph.footnote,
                bold_lead=first.bold_lead,
                italic=all(r.italic for r in paragraph.rows),
                centred=all(_symmetric(r) for r in paragraph.rows)
                and any(_centred(r) for r in paragraph.rows)
                and not paragraph.cover,
                size=first.size,
                page_break=first.page != last_page,
                pictures=pictures,
                contents=contents,
            )
        )
        if paragraph.footnote:
            notes.add(len(lines) - 1)
        marks.append(set().union(*(row.marks for row in paragraph.rows)))
        pictures = []
        last_page = paragraph.rows[-1].page
    return _with_notes_after_their_marks(lines, notes, marks)


def _with_notes_after_their_marks(lines, notes, marks):
    """Each footnote right after the nearest line before it that carries its mark (a raised
    digit, not a "²" set as a glyph as in "33m²").

    A note that did not fit on the page of its mark is printed at the foot of a later page,
    perhaps in the next item; its mark says where it belongs."""
    placed = {}
    for index in sorted(notes):
        mark = lines[index].text.split(" ", 1)[0]
        owner = next(
            (i for i in range(index - 1, -1, -1) if i not in notes and mark in marks[i]), None
        )
        placed.setdefault(owner if owner is not None else index, []).append(lines[index])
    ordered = []
    for i, line in enumerate(lines):
        if i in notes:
            if i in placed and placed[i] and placed[i][0] is line:
                ordered.extend(placed.pop(i))
            continue
        ordered.append(line)
        ordered.extend(placed.pop(i, []))
    return ordered
