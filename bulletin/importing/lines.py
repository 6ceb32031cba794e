"""A line of a printed issue with what its layout and typography say about it.

Every reader (plain text, Markdown, Word) produces these; every later stage only reads them. The
typography fields are evidence only a Word file gives: plain text leaves their defaults, and the
later stages fall back on line widths and punctuation then.
"""

from dataclasses import dataclass, field


@dataclass
class Picture:
    """A picture found in a Word file, already checked and re-encoded."""

    data: bytes
    filename: str


@dataclass
class Line:
    text: str
    indent: int = 0
    gap: bool = False  # a photo's place (a whitespace-only line or several empty lines) before it
    tight: bool = False  # directly under the previous line, without the usual empty line
    after_stop: bool = False  # the previous line ended a sentence
    trailing: int = 0  # spaces at the end of the line as extracted
    style: str = ""  # from Word or Markdown: h1, h2, h3, bullet, plus, number, caption
    bold: bool = False  # the whole line is bold
    bold_lead: int = 0  # characters of a leading bold run followed by plain text (run-in heading)
    italic: bool = False  # the whole line is italic
    centred: bool = False
    size: float = 0.0  # font size in points, 0 when unknown
    page_break: bool = False  # a page break stands before this line
    pictures: list = field(default_factory=list)  # Picture objects standing right before it
    contents: bool = False  # part of a typed table of contents, skipped like "NỘI DUNG"
