"""The HTML of an item's body from its blocks: the markup the sanitizer in richtext allows.

Printed list markers are kept as classes ("-" items in ``ul.list-dash``, "+" items in
``ul.list-plus``) and nesting follows the markers: a marker seen before in the open lists closes
the lists inside it, a new marker opens a list inside the current item.
"""

import html
import re

from django.utils.translation import gettext as _

from .blocks import LIST_KINDS, SUPERSCRIPT_DIGITS, SUPERSCRIPT_TO_DIGIT

_FOOTNOTE_MARK_RE = re.compile(rf"(?<=\S)([{SUPERSCRIPT_DIGITS}]+)")
_LIST_TAGS = {
    "dash": '<ul class="list-dash">',
    "plus": '<ul class="list-plus">',
    "number": "<ol>",
}
_CLOSING = {"dash": "</ul>", "plus": "</ul>", "number": "</ol>"}
# Blocks rendered as running text, whose Word bold is carried onto the page.
_EMPHASISED_KINDS = LIST_KINDS | {"para", "point", "arrow", "num"}
# Blocks that may stand between two items of one list without ending it.
_INSIDE_LISTS = {"para", "point", "arrow"}


def inline(text, marks, known=()):
    """Escaped HTML of a line of text: Markdown emphasis, <i>, and the markers of the footnotes
    ``known`` to the item (a "²" that is not one, as in "33m²", stays as printed)."""
    text = html.escape(text, quote=False)
    text = re.sub(r"&lt;i&gt;(.+?)&lt;/i&gt;", r"<em>\1</em>", text)
    text = re.sub(r"\*\*\*(\S(?:.*?\S)?)\*\*\*", r"<strong><em>\1</em></strong>", text)
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"<em>\1</em>", text)

    def footnote_ref(match):
        printed = match[1].translate(SUPERSCRIPT_TO_DIGIT)
        if printed not in known:
            return match[0]
        number = marks.setdefault(printed, len(marks) + 1)
        return f'<sup class="footnote-ref">{number}</sup>'

    return _FOOTNOTE_MARK_RE.sub(footnote_ref, text)


class _Lists:
    """The lists open while a body is written, outermost first."""

    def __init__(self, out):
        self.out = out
        self.open = []  # the list kinds, outermost first

    def item(self, kind, text):
        if kind in self.open:
            while self.open[-1] != kind:
                self.out.append("</li>" + _CLOSING[self.open.pop()])
            self.out.append(f"</li><li>{text}")
        else:
            self.out.append(f"{_LIST_TAGS[kind]}<li>{text}")
            self.open.append(kind)

    def close_inner(self):
        """Close the lists inside the outermost one, keeping its current item open."""
        while len(self.open) > 1:
            self.out.append("</li>" + _CLOSING[self.open.pop()])

    def close(self):
        while self.open:
            self.out.append("</li>" + _CLOSING[self.open.pop()])


def _resumes_nested(blocks, index, lists):
    """Whether the list goes on, at a nested level, after the paragraph at ``index``.

    "- A" / "+ x" / a paragraph / "+ y": the "+" items after the paragraph still belong under
    "A", so the paragraph is part of item A too rather than the end of the list.
    """
    if len(lists.open) < 2:
        return False
    for block in blocks[index + 1 : index + 4]:
        if block.kind in LIST_KINDS:
            return block.kind in lists.open[1:]
        if block.kind not in _INSIDE_LISTS:
            return False
    return False


def _emphasised(block, html_text):
    """A paragraph's or list item's HTML with the bold a Word file printed it in: the whole of
    it, or the bold lead-in of a line ("- **Về kinh tế:** ...") that was not taken for a run-in
    heading. Text files carry their bold as ``**`` marks, so their lines have neither flag."""
    lines = block.lines
    if lines and all(line.bold for line in lines):
        return f"<strong>{html_text}</strong>"
    if len(lines) != 1 or not lines[0].bold_lead or not lines[0].text.endswith(block.text):
        return html_text
    # The block's text may have lost the line's marker or number ("- ", "1. ").
    marker = len(lines[0].text) - len(block.text)
    lead = block.text[: max(0, lines[0].bold_lead - marker)].rstrip()
    escaped = html.escape(lead, quote=False)
    if not lead or not html_text.startswith(escaped):
        return html_text
    return f"<strong>{escaped}</strong>{html_text[len(escaped) :]}"


def body_html(blocks, notes=None):
    """The HTML body of an item and its footnotes, numbered in the order they are cited.

    What the rendering had to guess is appended to ``notes``.
    """
    marks = {}
    out = []
    footnote_blocks = []
    lists = _Lists(out)
    known = {block.number for block in blocks if block.kind == "footnote"}
    for index, block in enumerate(blocks):
        kind = block.kind
        if kind == "footnote":
            footnote_blocks.append(block)
            continue
        text = inline(block.text, marks, known)
        if kind in _EMPHASISED_KINDS:
            text = _emphasised(block, text)
        if kind in LIST_KINDS:
            lists.item(kind, text)
            continue
        if kind in _INSIDE_LISTS and _resumes_nested(blocks, index, lists):
            lists.close_inner()
            out.append(f"<p>{text}</p>")
            if notes is not None:
                notes.append(_("a list interrupted by a paragraph: its level was guessed"))
            continue
        lists.close()
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
    lists.close()
    footnotes = []
    for block in footnote_blocks:
        number = marks.get(block.number)
        if number is None:
            number = marks[block.number] = len(marks) + 1
        footnotes.append((number, inline(block.text, {})))
    footnotes.sort(key=lambda item: item[0])
    return "".join(out), [text for _number, text in footnotes]
