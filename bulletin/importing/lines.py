"""What the reading stage hands on: the lines of an issue with what their look says about them.

Every reader (text, Word, printed PDF, scan) produces these, so the later stages never need to
know where a line came from.
"""

from dataclasses import dataclass, field


@dataclass
class Picture:
    data: bytes
    filename: str


@dataclass
class Line:
    text: str
    indent: int = 0
    gap: bool = False  # a photo's place before it
    tight: bool = False
    after_stop: bool = False  # the previous line ended a sentence
    trailing: int = 0
    style: str = ""  # h1, h2, h3, bullet, plus, number, caption
    bold: bool = False  # the whole line is bold
    bold_lead: int = 0  # characters of a leading bold run followed by plain text (run-in heading)
    italic: bool = False  # the whole line is italic
    centred: bool = False
    size: float = 0.0  # font size in pt, 0 unknown
    page_break: bool = False  # a page break before this line
    pictures: list = field(default_factory=list)  # Picture(data, filename) standing right before
    contents: bool = False  # part of a typed/printed table of contents: skipped like "NỘI DUNG"
