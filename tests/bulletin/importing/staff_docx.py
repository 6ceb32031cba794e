"""Word files typed the way the board's office staff type an issue, built from a sample.

A sample's text is parsed into its structure (cover, items, bodies, news, captions, footnotes)
and that structure is typed again with python-docx: the Normal style only in Times New Roman 14,
the cover centred and bold, a "NỘI DUNG" list with dotted tab leaders (or typed dots) to page
numbers, bold headings with their numbers typed, run-in headings as a bold run then plain text,
"- " and "+ " bullets typed, each caption centred and italic under a small generated picture,
footnote markers raised, a page break before each item. ``styled=True`` types the same with
Word's Heading, List Bullet and Caption styles instead.
"""

import io
import re
from html.parser import HTMLParser

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt
from PIL import Image

SUPERSCRIPT_TO_DIGIT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# "4.3. Đối tượng: ..." : a sub-heading whose label is followed by its text on the same line.
RUN_IN_RE = re.compile(r"^(\d+(?:\.\d+)*\.\s[^:]{1,60}:)\s(.{40,})$")


def picture_bytes(n):
    """A small picture, PNG or JPEG in turn, a different colour each time."""
    buffer = io.BytesIO()
    colour = (40 * n % 256, 90, 160)
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG" if n % 2 else "JPEG")
    return buffer.getvalue()


class _BodyReader(HTMLParser):
    """The blocks of an imported body: (kind, list depth, runs of (text, bold, italic, raised))."""

    def __init__(self):
        super().__init__()
        self.blocks = []
        self.runs = None
        self.kind = ""
        self.bold = self.italic = self.raised = 0
        self.lists = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"ul", "ol"}:
            # The marker printed is the list's own ("+" lists stand at the top level too).
            self.lists.append("plus" if "list-plus" in (attrs.get("class") or "") else "dash")
            self._flush()
        elif tag in {"p", "h3", "h4", "li"}:
            self._flush()
            self.runs = []
            css = attrs.get("class") or ""
            if tag == "li":
                self.kind = self.lists[-1] if self.lists else "dash"
            elif "caption" in css:
                self.kind = "caption"
            elif "lead-in" in css:
                self.kind = "lead"
            else:
                self.kind = "heading" if tag in {"h3", "h4"} else "para"
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "sup":
            self.raised += 1

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"}:
            self.lists.pop()
        elif tag in {"p", "h3", "h4", "li"}:
            self._flush()
        elif tag == "strong":
            self.bold -= 1
        elif tag == "em":
            self.italic -= 1
        elif tag == "sup":
            self.raised -= 1

    def _flush(self):
        """End the block being read: an <li>'s own text ends where its nested list starts."""
        if self.runs:
            self.blocks.append((self.kind, self.runs))
        self.runs = None

    def handle_data(self, data):
        if self.runs is None:
            if not data.strip():
                return
            # Text after a nested list closed: a paragraph of its own.
            self.runs, self.kind = [], "para"
        self.runs.append((data, self.bold > 0, self.italic > 0, self.raised > 0))


def body_blocks(html):
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    return reader.blocks


class StaffTypist:
    """Types one issue into a python-docx document."""

    def __init__(self, *, styled=False, contents=True, pictures=True, dotted_news=True):
        self.styled = styled
        self.contents = contents
        self.pictures = pictures
        self.dotted_news = dotted_news
        self.document = docx.Document()
        normal = self.document.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(14)
        self.picture_count = 0

    # Typing helpers ---------------------------------------------------------------------------

    def paragraph(self, runs=(), *, style=None, centred=False, bold=False, italic=False):
        paragraph = self.document.add_paragraph(style=style)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, run_bold, run_italic, raised in runs:
            run = paragraph.add_run(text)
            run.bold = bold or run_bold or None
            run.italic = italic or run_italic or None
            if raised:
                run.font.superscript = True
        return paragraph

    def text(self, text, **options):
        return self.paragraph([(text, False, False, False)], **options)

    def heading(self, text, level):
        if self.styled:
            return self.document.add_heading(text, level=level)
        if match := RUN_IN_RE.match(text):
            return self.paragraph(
                [(match[1], True, False, False), (" " + match[2], False, False, False)]
            )
        return self.text(text, bold=True)

    def picture(self):
        self.picture_count += 1
        self.document.add_picture(io.BytesIO(picture_bytes(self.picture_count)), width=Cm(8))
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    # The issue --------------------------------------------------------------------------------

    def cover(self, parsed, month, year):
        for line in (parsed.committee or "THÀNH ỦY CAO BẰNG", parsed.board or "BAN TUYÊN GIÁO"):
            self.text(line, centred=True, bold=True)
        self.text("TÀI LIỆU", centred=True, bold=True)
        self.text("PHỤC VỤ SINH HOẠT CHI BỘ", centred=True, bold=True)
        if month and year:
            self.text(f"Tháng {month} năm {year}", centred=True, bold=True, italic=True)
        self.text("SỬ DỤNG VÀ BẢO QUẢN TRONG NỘI BỘ CỦA ĐẢNG", centred=True, bold=True)
        self.document.add_section(WD_SECTION.NEW_PAGE)

    def contents_list(self, parsed):
        self.text("NỘI DUNG", centred=True, bold=True)
        page = 3
        for number, entry in enumerate(parsed.entries, start=1):
            if self.dotted_news and entry.kind == "news":
                # Some staff type the leader dots themselves.
                self.text(f"{number}. {entry.title} ........ {page}")
            else:
                paragraph = self.text(f"{number}. {entry.title}\t{page}")
                paragraph.paragraph_format.tab_stops.add_tab_stop(
                    Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
                )
            page += 4
        self.document.add_page_break()

    def body(self, html):
        for kind, runs in body_blocks(html):
            text = "".join(run[0] for run in runs).strip()
            if not text:
                continue
            if kind == "heading":
                number = re.match(r"^(\d+(?:\.\d+)+)\.\s", text)
                self.heading(text, 2 if number and number[1].count(".") == 1 else 3)
            elif kind == "caption":
                if self.pictures:
                    self.picture()
                if self.styled:
                    self.text(text, style="Caption")
                else:
                    self.text(text, centred=True, italic=True)
            elif kind in {"dash", "plus"}:
                if self.styled:
                    style = "List Bullet" if kind == "dash" else "List Bullet 2"
                    self.paragraph(runs, style=style)
                else:
                    mark = "- " if kind == "dash" else "+ "
                    self.paragraph([(mark, False, False, False), *runs])
            elif kind == "lead":
                self.paragraph([("*", False, False, False), *runs])
            else:
                self.paragraph(runs)

    def footnotes(self, notes):
        for number, note in enumerate(notes, start=1):
            runs = body_blocks(f"<p>{note}</p>")[0][1] if note else []
            self.paragraph([(str(number), False, False, True), (" ", False, False, False), *runs])

    def issue(self, parsed, *, month=None, year=None):
        self.cover(parsed, month, year)
        if self.contents:
            self.contents_list(parsed)
        for number, entry in enumerate(parsed.entries, start=1):
            if number > 1:
                self.document.add_page_break()
            self.heading(f"{number}. {entry.title}", 1)
            self.body(entry.body)
            for k, item in enumerate(entry.news_items, start=1):
                title = f"{number}.{k}. {item.title}"
                if self.styled:
                    self.document.add_heading(title, level=2)
                else:
                    self.text(title, bold=True)
                self.body(item.body)
            self.footnotes(entry.footnotes)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def staff_docx(parsed, *, month=None, year=None, **options):
    """The bytes of a .docx typing ``parsed`` (a ``ParsedIssue``) the way staff type it."""
    return StaffTypist(**options).issue(parsed, month=month, year=year)
