"""Search the way Vietnamese type: without diacritics, with typos.

One entry point, :func:`search`, used by the search view and the document filter. Every model
keeps a folded ``search_text`` (``richtext.fold``: lower case, no tone marks, đ → d), and the query
is folded the same way, so "Đảng", "đảng" and "dang" are the same word.

- PostgreSQL: full-text search with the ``bantin`` text search configuration (simple + unaccent,
  created by ``bulletin/migrations/0003_search.py`` with GIN indexes), ranked with ``ts_rank``;
  when nothing matches, trigram word similarity (pg_trgm) finds close spellings.
- SQLite: every word of the query must appear in the folded text; when nothing matches, each
  unknown word is replaced by its close spellings (difflib) from a small vocabulary of the
  visible content.

What is searched is registered by the apps (``register`` in their ``AppConfig.ready``): this
module knows no model. Results only ever come from ``visible_to(user)`` querysets. Snippets are
highlighted in Python on the original text, so both databases show the same thing.
"""

import difflib
import functools
import html
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .richtext import fold

CONFIG = "bantin"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
PER_KIND = 50
SNIPPET_CHARS = 240
VOCABULARY_ROWS = 3000
VOCABULARY_SECONDS = 600

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Source:
    """One kind of searchable content, registered by the app that owns it.

    ``visible(user)`` gives the rows the user may see (with what the result needs selected);
    ``title(obj)`` and ``text(obj)`` the plain heading and text shown; ``issue(obj)`` the issue
    the result belongs to, if any; ``scope(queryset, scope)`` narrows the rows to a scope (a
    committee, opaque to this module), None for content every scope shares. Each row has a
    folded ``search_text`` column."""

    kind: str
    label: str
    visible: object
    title: object
    text: object
    issue: object = None
    scope: object = None

    def issue_of(self, obj):
        return self.issue(obj) if self.issue else None


SOURCES = {}


def register(source):
    SOURCES[source.kind] = source


@dataclass
class Result:
    kind: str
    title: str
    url: str
    snippet: str
    score: float
    issue: object = None

    @property
    def kind_label(self):
        return SOURCES[self.kind].label


@dataclass
class Results:
    query: str
    results: list = field(default_factory=list)
    corrected: bool = False
    terms: list = field(default_factory=list)

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)


def query_words(query):
    """The folded words of a query, without repeats, at most MAX_WORDS."""
    words = []
    for word in _WORD_RE.findall(fold(query or "")[:MAX_QUERY_LENGTH]):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def is_postgresql():
    return connection.vendor == "postgresql"


def _sources(user, scope=None):
    """The registered searchable querysets, already limited to what ``user`` may see and, when
    ``scope`` is given, to that scope."""
    sources = {}
    for kind, source in SOURCES.items():
        queryset = source.visible(user)
        if scope is not None and source.scope is not None:
            queryset = source.scope(queryset, scope)
        sources[kind] = queryset
    return sources


# The app that knows scopes names the reader's default one: ``resolver(user, requested)``
# answers the scope asked for by its key (``?committee=``) or the reader's own, or None.
_SCOPE_RESOLVERS = []


def register_scope_resolver(resolver):
    _SCOPE_RESOLVERS.append(resolver)


def reader_scope(user, requested=None):
    for resolver in _SCOPE_RESOLVERS:
        scope = resolver(user, requested)
        if scope is not None:
            return scope
    return None


def _to_result(kind, obj, score, terms):
    source = SOURCES[kind]
    return Result(
        kind=kind,
        title=source.title(obj),
        url=obj.get_absolute_url(),
        snippet=highlight(source.text(obj), terms),
        score=score,
        issue=source.issue_of(obj),
    )


# SQLite and any other database: folded substring match.


def _word_pattern(word):
    return rf"(?<!\w){re.escape(word)}(?!\w)"


def _all_words(queryset, alternatives):
    """Rows whose folded text holds every word (any of its alternatives) as a whole word. The
    cheap ``contains`` narrows first; the regular expression then checks word boundaries."""
    for options in alternatives:
        contains = Q()
        whole = Q()
        for option in options:
            contains |= Q(search_text__contains=option)
            whole |= Q(search_text__regex=_word_pattern(option))
        queryset = queryset.filter(contains).filter(whole)
    return queryset


def _score(search_text, terms):
    count = sum(len(re.findall(_word_pattern(term), search_text)) for term in terms)
    return count / (1 + len(search_text) / 2000)


def _title_bonus(title, words):
    """Matches in the heading count most: a directive's number beats a passing mention."""
    title_words = set(_WORD_RE.findall(fold(title)))
    hits = sum(word in title_words for word in words)
    return 3 * hits + (5 if hits == len(words) else 0)


def _vocabulary(sources):
    words = set()
    for queryset in sources.values():
        for text in queryset.values_list("search_text", flat=True)[:VOCABULARY_ROWS]:
            words.update(w for w in _WORD_RE.findall(text) if len(w) > 1)
    return words


def _corrections(words, vocabulary):
    """For each word, itself if it is known, else its close spellings from ``vocabulary``
    (difflib; only words of similar length and the same first letter are compared, which keeps
    it fast on a large vocabulary). None when nothing would change."""
    alternatives = []
    for word in words:
        if word in vocabulary or word.isdigit():
            alternatives.append([word])
            continue
        candidates = [w for w in vocabulary if w[:1] == word[:1] and abs(len(w) - len(word)) <= 2]
        close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
        alternatives.append(close or [word])
    if all(a == [w] for a, w in zip(alternatives, words, strict=True)):
        return None
    return alternatives


def _search_folded(sources, words):
    alternatives = [[w] for w in words]
    found = _run_folded(sources, alternatives)
    corrected = False
    if not found:
        better = _corrections(words, _vocabulary(sources))
        if better:
            alternatives = better
            found = _run_folded(sources, alternatives)
            corrected = True
    terms = [t for options in alternatives for t in options]
    return found, corrected, terms


def _run_folded(sources, alternatives):
    terms = [t for options in alternatives for t in options]
    found = []
    for kind, queryset in sources.items():
        for obj in _all_words(queryset, alternatives)[: PER_KIND * 4]:
            found.append((kind, obj, _score(obj.search_text, terms)))
    return found


# PostgreSQL: full-text search, then trigram similarity.


def _trigram_word_similar(queryset, text):
    """``text <% search_text``: pg_trgm's word similarity above its threshold, using the GIN
    trigram index. Registered here because django.contrib.postgres is not an installed app."""
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.db.models import TextField

    if "trigram_word_similar" not in TextField.get_lookups():
        TextField.register_lookup(TrigramWordSimilar)
    return queryset.filter(search_text__trigram_word_similar=text)


def _stored_vector(queryset):
    """The ``search_vector`` column that bulletin/migrations/0003_search.py adds on PostgreSQL
    (generated from ``search_text``; not a model field, so the ORM never writes it)."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import RawSQL

    table = connection.ops.quote_name(queryset.model._meta.db_table)
    return RawSQL(f"{table}.search_vector", [], output_field=SearchVectorField())


def _search_postgresql(sources, words):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    def ranked(query):
        found = []
        for kind, queryset in sources.items():
            vector = _stored_vector(queryset)
            rows = (
                queryset.annotate(search=vector)
                .filter(search=query)
                .annotate(rank=SearchRank(vector, query))
                .order_by("-rank")[:PER_KIND]
            )
            found.extend((kind, obj, obj.rank) for obj in rows)
        return found

    found = ranked(SearchQuery(" ".join(words), config=CONFIG, search_type="plain"))
    if found:
        return found, False, words
    # Typos: correct each unknown word against the words of the index, then search again.
    better = _corrections(words, _pg_vocabulary(sources))
    if better:
        found = ranked(
            SearchQuery(
                " & ".join("(" + " | ".join(options) + ")" for options in better),
                config=CONFIG,
                search_type="raw",
            )
        )
        if found:
            return found, True, [t for options in better for t in options]
    # Still nothing: trigram word similarity on the whole text.
    text = " ".join(words)
    for kind, queryset in sources.items():
        rows = (
            _trigram_word_similar(queryset, text)
            .annotate(similarity=TrigramWordSimilarity(text, F("search_text")))
            .order_by("-similarity")[:PER_KIND]
        )
        found.extend((kind, obj, obj.similarity) for obj in rows)
    terms = list(words)
    for _kind, obj, _score in found:
        terms.extend(_close_words(obj.search_text, words))
    return found, True, list(dict.fromkeys(terms))


def _pg_vocabulary(sources):
    """Every word of the search index (ts_stat over the stored vectors), cached for a while:
    it only serves to correct typos, the results themselves come from visible rows."""
    vocabulary = cache.get("search-vocabulary")
    if vocabulary is None:
        tables = [queryset.model._meta.db_table for queryset in sources.values()]
        union = " UNION ALL ".join(f"SELECT search_vector FROM {table}" for table in tables)
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM ts_stat(%s) WHERE length(word) > 1", [union])
            vocabulary = {row[0] for row in cursor.fetchall() if _WORD_RE.fullmatch(row[0])}
        cache.set("search-vocabulary", vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def _close_words(search_text, words):
    vocabulary = set(_WORD_RE.findall(search_text))
    close = []
    for word in words:
        close.extend(difflib.get_close_matches(word, vocabulary, n=2, cutoff=0.7))
    return close


def search(query, user, scope=None):
    """Search entries, documents and news visible to ``user`` (within ``scope``, when given);
    best results first."""
    words = query_words(query)
    results = Results(query=query or "")
    if not words:
        return results
    sources = _sources(user, scope)
    if is_postgresql():
        found, corrected, terms = _search_postgresql(sources, words)
    else:
        found, corrected, terms = _search_folded(sources, words)
    ranked = [_to_result(kind, obj, score, terms) for kind, obj, score in found]
    for result in ranked:
        result.score += _title_bonus(result.title, terms)
    ranked.sort(key=lambda result: result.score, reverse=True)
    results.results = ranked
    results.corrected = corrected
    results.terms = terms
    return results


def matching_documents(queryset, query):
    """Narrow a document queryset to those matching ``query`` (the registry's text filter)."""
    words = query_words(query)
    if not words:
        return queryset
    if is_postgresql():
        from django.contrib.postgres.search import SearchQuery

        found = queryset.annotate(search=_stored_vector(queryset)).filter(
            search=SearchQuery(" ".join(words), config=CONFIG, search_type="plain")
        )
        if found.exists():
            return found
        return _trigram_word_similar(queryset, " ".join(words))
    return _all_words(queryset, [[w] for w in words])


# Highlighting on the original text.


# Characters that fold to zero (a loose combining mark) or two (dotted capital I) characters.
_UNEVEN_FOLD = re.compile("[\u0300-\u036f\u0130]")


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    # A text has a few hundred distinct characters: folding each once keeps snippets cheap.
    return fold(char)


def _folded_with_map(text):
    """The folded text and, for each of its characters, the index of the original one."""
    whole = fold(text)
    if len(whole) == len(text) and not _UNEVEN_FOLD.search(text):
        # NFC Vietnamese folds one character to one: the positions are the same.
        return whole, range(len(text))
    folded = []
    index = []
    for position, char in enumerate(text):
        folded_char = _fold_char(char)
        folded.append(folded_char)
        index.extend([position] * len(folded_char))
    return "".join(folded), index


def highlight(text, terms, length=SNIPPET_CHARS):
    """An escaped snippet of ``text`` around the first match, matches wrapped in <mark>."""
    text = html.unescape(text or "")
    folded, index = _folded_with_map(text)
    spans = []
    for term in terms:
        if not term:
            continue
        for match in re.finditer(_word_pattern(term), folded):
            start = index[match.start()]
            end = index[match.end() - 1] + 1
            spans.append((start, end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    first = merged[0][0] if merged else 0
    begin = max(0, first - length // 3)
    if begin:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and begin - space < 20 else begin
    finish = min(len(text), begin + length)
    # Never cut a highlighted word or, nearby, any word.
    for start, end in merged:
        if start < finish < end:
            finish = end
    space = text.find(" ", finish)
    space = len(text) if space == -1 else space
    if space - finish < 20:
        finish = space
    pieces = ["…" if begin else ""]
    cursor = begin
    for start, end in merged:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(escape(text[cursor:finish]))
    if finish < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))
