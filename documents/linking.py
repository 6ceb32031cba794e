"""Derived HTML of a body: cited documents become links to the registry, glossary abbreviations
become ``<abbr title>``. Run once when a text is saved (``Entry.save``, ``NewsItem.save``), never
on a request.

Only text between tags is touched, never attributes, and nothing inside an existing link or
abbreviation, so running it twice gives the same HTML.
"""

import re

from django.utils.html import escape

from core.richtext import html_to_text, strip_tags

from .citations import find_citations
from .models import Abbreviation, Document

_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
# Text inside these is left alone.
_SKIP_TAGS = {"a", "abbr"}


def resolve(citation):
    """The registry row a citation names, or None."""
    documents = Document.objects.filter(doc_type=citation.doc_type, number__iexact=citation.number)
    if citation.issued_on:
        documents = documents.filter(issued_on=citation.issued_on)
    return documents.order_by("-issued_on").first()


def cited_documents(text):
    """Registry rows cited in ``text`` (plain or HTML), in order, without repeats."""
    plain = html_to_text(text)
    result = []
    for citation in find_citations(plain):
        document = resolve(citation)
        if document and document not in result:
            result.append(document)
    return result


def _link_text(text):
    pieces = []
    last = 0
    for citation in find_citations(text):
        document = resolve(citation)
        if document is None:
            continue
        pieces.append(text[last : citation.start])
        pieces.append(
            f'<a class="citation" href="{escape(document.get_absolute_url())}">'
            f"{text[citation.start : citation.end]}</a>"
        )
        last = citation.end
    pieces.append(text[last:])
    return "".join(pieces)


def _abbreviation_re(abbreviations):
    if not abbreviations:
        return None
    words = sorted(abbreviations, key=len, reverse=True)
    return re.compile(r"(?<![\w/-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w/-])")


def _abbr_text(text, pattern, abbreviations):
    if pattern is None:
        return text
    return pattern.sub(lambda m: f'<abbr title="{escape(abbreviations[m[1]])}">{m[1]}</abbr>', text)


def _glossary():
    return dict(Abbreviation.objects.values_list("abbreviation", "meaning"))


def _transform(html, function):
    """Apply ``function`` to the text between tags, outside links and abbreviations."""
    out = []
    skip_depth = 0
    for part in _TAG_RE.split(html):
        if part.startswith("<"):
            match = _TAG_NAME_RE.match(part)
            if match and match[2].lower() in _SKIP_TAGS:
                skip_depth += -1 if match[1] else 1
                skip_depth = max(skip_depth, 0)
            out.append(part)
        elif part and not skip_depth:
            out.append(function(part))
        else:
            out.append(part)
    return "".join(out)


_FOOTNOTE_REF_RE = re.compile(r'<sup class="footnote-ref"[^>]*>(.*?)</sup>', re.DOTALL)


def link_footnotes(html, prefix):
    """Footnote markers become links to the notes below the entry, and targets of their
    back-links: ``#fn-<prefix>-<n>`` and ``#fnref-<prefix>-<n>``."""
    counter = 0

    def replace(match):
        nonlocal counter
        counter += 1
        label = strip_tags(match[1], "").strip() or str(counter)
        return (
            f'<sup class="footnote-ref" id="fnref-{prefix}-{counter}">'
            f'<a href="#fn-{prefix}-{counter}">{label}</a></sup>'
        )

    return _FOOTNOTE_REF_RE.sub(replace, html)


def render_body(html, glossary=None, footnote_prefix=None):
    """The body as shown on the site: citations linked, abbreviations explained, footnote
    markers linked to their notes."""
    if not html:
        return ""
    if footnote_prefix is not None:
        html = link_footnotes(html, footnote_prefix)
    html = _transform(html, _link_text)
    glossary = _glossary() if glossary is None else glossary
    # The text between tags is HTML-escaped: "GD&ĐT" stands there as "GD&amp;ĐT".
    abbreviations = {escape(abbreviation): meaning for abbreviation, meaning in glossary.items()}
    pattern = _abbreviation_re(abbreviations)
    return _transform(html, lambda text: _abbr_text(text, pattern, abbreviations))
