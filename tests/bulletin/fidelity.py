"""How much of a source text survives, in order, in a produced text (an import, a PDF).

``in_order_ratio(source, produced)`` is the share of the source's words that the produced text
holds in the same order: the length of the longest common subsequence of the two word sequences
divided by the number of source words. Both sides are NFC-normalised and lower-cased, and a word
is a run of letters and digits, so punctuation, Markdown marks, list dashes and HTML tags do not
count. Page numbers and the table of contents are layout, not text: ``source_text`` drops them.
"""

import difflib
import html
import re
import unicodedata

_WORD_RE = re.compile(r"[^\W_]+")
_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
_TAG_RE = re.compile(r"<[^>]+>")


def words(text):
    """The words of ``text``, NFC-normalised and lower-cased."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text).lower())


def source_text(text, *, drop_footnotes=False):
    """The text of a sample without its page numbers, its Markdown table of contents and the
    "NỘI DUNG" title line; with ``drop_footnotes``, without the footnote lines ("¹ ...")."""
    kept = []
    for line in unicodedata.normalize("NFC", text).splitlines():
        stripped = line.strip()
        if _PAGE_NUMBER_RE.match(line) or stripped.startswith("|") or stripped == "NỘI DUNG":
            continue
        if drop_footnotes and re.match(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s", stripped):
            continue
        kept.append(line)
    return "\n".join(kept)


def html_text(fragment):
    """The text of an HTML fragment, each block on its own line."""
    return html.unescape(_TAG_RE.sub(" ", fragment or ""))


def in_order_ratio(source, produced):
    """The share (0 to 1) of ``source``'s words found in ``produced`` in the same order."""
    source_words = words(source)
    if not source_words:
        return 1.0
    produced_words = words(produced)
    matcher = difflib.SequenceMatcher(None, source_words, produced_words, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(source_words)


def missing_words(source, produced, limit=40):
    """The first source words not matched in order, for a readable failure message."""
    source_words = words(source)
    produced_words = words(produced)
    matcher = difflib.SequenceMatcher(None, source_words, produced_words, autojunk=False)
    missing = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in {"delete", "replace"}:
            missing.append(" ".join(source_words[i1:i2]))
    return missing[:limit]
