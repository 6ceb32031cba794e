"""The structure of a parsed issue that must not depend on how it was printed."""

import re

from .printer import body_blocks


def _words(text, count=6):
    return " ".join(re.findall(r"[^\W_]+", text.lower())[:count])


def body_shape(body):
    """Sub-headings, list items (with their markers' nesting), lead-ins and captions."""
    shape = []
    for kind, text, marker, depth in body_blocks(body):
        if kind == "h":
            shape.append(("heading", text))
        elif kind == "li":
            shape.append(("item", marker, depth, _words(text)))
        elif kind in {"lead", "caption"}:
            shape.append((kind, text))
    return shape


def issue_shape(parsed):
    entries = []
    for entry in parsed.entries:
        citation = entry.citation
        entries.append(
            {
                "kind": str(entry.kind),
                "title": entry.title,
                "citation": citation
                and (
                    citation.doc_type,
                    citation.number,
                    citation.issued_on,
                    citation.issuer,
                    citation.subject,
                ),
                "body": body_shape(entry.body),
                "captions": [caption.text for caption in entry.captions],
                "footnotes": [_words(text, 12) for text in entry.footnotes],
                "news": [
                    (item.title, [c.text for c in item.captions], body_shape(item.body))
                    for item in entry.news_items
                ],
            }
        )
    return {"month": (parsed.month, parsed.year), "entries": entries}
