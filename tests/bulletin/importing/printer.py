"""Print a parsed issue back as a text dump, the way the board's extraction tools leave one.

Used by the metamorphic tests: the same issue printed at another line width must import to the
same structure. The dump has the habits of the real ones: lines wrapped at ``width`` (full lines
run near the width, the last line of a paragraph or heading is short), an empty line after every
printed line, a stray leading space on some new paragraphs, page numbers alone on a line about
every 45 lines, whitespace-only lines where a photo stood before its caption and one after it,
footnotes right after the paragraph that cites them.
"""

import html
import re
from html.parser import HTMLParser

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARKERS = {"list-dash": "-", "list-plus": "+"}


class _BodyReader(HTMLParser):
    """The blocks of a body's HTML as (kind, text, marker, depth)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.lists = []  # markers of the open lists
        self.text = []
        self.kind = None
        self.in_sup = False

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text and self.kind:
            marker = self.lists[-1] if self.kind == "li" else ""
            self.blocks.append((self.kind, text, marker, len(self.lists)))
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"p", "h3", "h4"}:
            self.flush()
            self.kind = {"lead-in": "lead", "caption-pending": "caption"}.get(
                attrs.get("class"), "p" if tag == "p" else "h"
            )
        elif tag in {"ul", "ol"}:
            self.flush()
            self.lists.append(_MARKERS.get(attrs.get("class"), "1." if tag == "ol" else "-"))
        elif tag == "li":
            self.flush()
            self.kind = "li"
        elif tag == "sup":
            self.in_sup = True

    def handle_endtag(self, tag):
        if tag in {"p", "h3", "h4", "li"}:
            self.flush()
            self.kind = "li" if self.lists else None
        elif tag in {"ul", "ol"}:
            self.flush()
            self.lists.pop()
            self.kind = "li" if self.lists else None
        elif tag == "sup":
            self.in_sup = False

    def handle_data(self, data):
        self.text.append(data.translate(SUPERSCRIPTS) if self.in_sup else data)


def body_blocks(body):
    reader = _BodyReader()
    reader.feed(body or "")
    reader.flush()
    return reader.blocks


def wrap(text, width):
    """Greedy wrap at spaces: every line but the last runs as near ``width`` as words allow.

    A spaced dash stays with the word before it, as typesetters keep it ("2022 -" / "2025").
    """
    lines, current = [], ""
    for word in re.sub(r" ([-–]) ", "\u00a0\\1 ", text).split(" "):
        word = word.replace("\u00a0", " ")
        if not word:
            continue
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


class Printer:
    def __init__(self, width, *, stray_phase=0):
        self.width = width
        # Which paragraphs get a stray leading space (every third, counted from this phase):
        # the same text printed again has them elsewhere.
        self.stray_phase = stray_phase
        self.out = []
        self.since_page = 0
        self.page = 1
        self.paragraphs = 0

    def line(self, text, *, page_allowed=True):
        if page_allowed and self.since_page >= 45:
            self.page += 1
            self.out.append(f"{self.page:>40}")
            self.out.append("")
            self.since_page = 0
        self.out.append(text + " ")
        self.out.append("")
        self.since_page += 1

    def paragraph(self, text, *, prefix=""):
        self.paragraphs += 1
        lines = wrap(prefix + text, self.width)
        for n, line in enumerate(lines):
            # A stray leading space on some new paragraphs, as extraction leaves them.
            stray = " " if n == 0 and (self.paragraphs + self.stray_phase) % 3 == 0 else ""
            self.line(stray + line)

    def caption(self, text):
        # The photo's place: whitespace-only lines, then the caption, no page break in between.
        self.out += ["  ", "", " ", ""]
        for line in wrap(text, self.width):
            self.line(line, page_allowed=False)
        # ... and a whitespace-only line after it, as the dumps close a photo's place.
        self.out += [" ", ""]

    def body(self, body, footnotes):
        notes = {
            str(n): html.unescape(re.sub(r"<[^>]+>", "", text))
            for n, text in enumerate(footnotes, start=1)
        }
        for kind, text, marker, _depth in body_blocks(body):
            if kind == "caption":
                self.caption(text)
                continue
            prefix = {"lead": "* ", "li": f"{marker} " if marker != "1." else ""}.get(kind, "")
            self.paragraph(text, prefix=prefix)
            for mark in re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text):
                number = mark.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
                if number in notes:
                    self.paragraph(notes.pop(number), prefix=f"{mark} ")

    def issue(self, parsed):
        for cover in (parsed.committee, parsed.board, "TÀI LIỆU PHỤC VỤ SINH HOẠT CHI BỘ"):
            if cover:
                self.line(cover)
        self.line(f"Tháng {parsed.month} năm {parsed.year}")
        self.line("NỘI DUNG")
        for number, entry in enumerate(parsed.entries, start=1):
            self.paragraph(entry.title, prefix=f"{number}. ")
            self.body(entry.body, entry.footnotes)
            for sub, item in enumerate(entry.news_items, start=1):
                self.paragraph(item.title, prefix=f"{number}.{sub}. ")
                self.body(item.body, [])
        return "\n".join(self.out) + "\n"


def print_issue(parsed, width, *, stray_phase=0):
    return Printer(width, stray_phase=stray_phase).issue(parsed)
