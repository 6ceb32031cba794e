"""Search the way Vietnamese type: without diacritics, with typos, "in quotes".

One entry point, :func:`search`, used by the search view and the document filter. What is
searched is registered by the apps (``register`` in their ``AppConfig.ready``): this module knows
no model. Every searchable model is a ``core.models.Searchable``, whose derived columns are
computed by :func:`search_columns` when a row is saved:

- ``search_title``: the heading folded (``richtext.fold``: lower case, no tone marks, đ → d);
- ``search_text``: heading and text folded;
- ``search_original``: heading and text lower-cased, diacritics kept;

each a list of words separated by spaces. The query is folded the same way, so "Đảng", "đảng"
and "dang" are the same word: folded text gives recall. The words typed *with* diacritics also
count exactly: "chỉ thị" puts rows that say "chỉ thị" before rows that only fold to it ("chí",
"thì"): the original text gives precision. A phrase in quotes matches only as a phrase.

- PostgreSQL (``django.contrib.postgres``): the generated, GIN-indexed ``search_vector``
  (``to_tsvector('simple', …)`` of the three columns, weights A, B and D) is matched with a
  ``SearchQuery`` of the folded words and phrases (through its GIN index) and ordered by
  ``SearchRank`` plus the rank of the exact words, both computed on the small
  ``search_rank_vector`` (the heading and the opening of the text), the best PER_KIND of each
  kind in one query. When nothing matches, unknown words are
  corrected against the index's words, then ``TrigramWordSimilarity`` on ``search_text`` (GIN
  trigram index) finds close spellings.
- SQLite: the FTS5 index of ``core.sqlite_search`` (kept in step with the rows by triggers) must
  hold every word (and phrase) in ``search_text``; its BM25 gives the relevance, and it tells
  which query words are in the heading and which typed words are among the original ones, so
  no row's text is read. When nothing matches, each unknown word is replaced by its close
  spellings (difflib) from the index's words.

Typo correction on both reads the index's vocabulary once per content state
(``core.pagecache``), not per query.

Why the folding is done in Python and the vector built with the ``simple`` configuration over
already-folded columns, rather than with ``unaccent`` in a text search configuration: one
``fold`` serves the query and the rows on both databases (unaccent's rules and ours differ on
a few letters), SQLite needs the folded text anyway, and a ``GeneratedField`` may only use
immutable expressions, which ``to_tsvector('simple', …)`` is. How the PostgreSQL-only column
and indexes live in models that SQLite also creates is told in ``core.postgres``.

Both databases then score the rows they found the same way, in :func:`search`: the database's
relevance, plus a bonus for query words in the heading (a document's citation and subject
count as its heading), plus a larger one for each word found with the diacritics it was typed
with. Finding and scoring reads only ids, relevance and headings; :class:`Results` fetches the
rows of the slice shown (the search page shows one page) and highlights only those. Results
only ever come from ``visible_to(user)`` querysets, built in one place (``_sources``), for
finding and for showing. Snippets are highlighted in Python on the original text, so both
databases show the same thing.
"""

import difflib
import functools
import html
import operator
import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import pagecache, sqlite_search
from .richtext import fold

CONFIG = "simple"
SEARCH_COLUMNS = (
    "search_title",
    "search_text",
    "search_original",
    "search_vector",
    "search_rank_vector",
)
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_PHRASES = 4
PER_KIND = 50
SNIPPET_CHARS = 240
# A snippet never cuts a word: it may end this many characters past its length.
SNIPPET_SLACK = 20
# How much of a long text is folded at first to find its first match.
SNIPPET_PIECE = 1500
# The vocabulary is keyed by the content state; this only bounds how long an old one stays.
VOCABULARY_SECONDS = 24 * 3600
# ts_rank weights of the vector's parts, in PostgreSQL's order {D, C, B, A}: heading (A) counts
# most, text (B) less; the original words (D) only break ties of the folded ones.
FOLDED_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
EXACT_WEIGHTS = [1.0, 0.0, 0.0, 0.0]
# Bonuses added to the database's relevance (a fraction, rarely above 1): each query word in
# the heading, all of them there, and each word found with the diacritics it was typed with.
# A word typed with its marks is the clearest wish a reader can express, so it weighs most.
TITLE_WORD_BONUS = 3
WHOLE_TITLE_BONUS = 5
EXACT_WORD_BONUS = 10

# Letters and digits: "29-CT/TU" is three words, as PostgreSQL's parser reads "29 ct tu".
_WORD_RE = re.compile(r"[^\W_]+")
_QUOTED_RE = re.compile(r'"([^"]*)"')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def _words(text):
    return _WORD_RE.findall(text)


def search_columns(heading, text):
    """``(search_title, search_text, search_original)`` of a row whose plain heading and text
    are given (see ``core.models.Searchable``)."""
    heading = unicodedata.normalize("NFC", heading or "")
    whole = f"{heading} {unicodedata.normalize('NFC', text or '')}"
    return (
        " ".join(_words(fold(heading))),
        " ".join(_words(fold(whole))),
        " ".join(_words(unicodedata.normalize("NFC", whole.lower()))),
    )


@dataclass(frozen=True)
class Source:
    """One kind of searchable content, registered by the app that owns it.

    ``visible(user)`` gives the rows the user may see (with what the result needs selected), rows
    of a ``core.models.Searchable`` model; ``title(obj)`` and ``text(obj)`` the plain heading
    and text shown; ``issue(obj)`` the issue the result belongs to, if any; ``scope(queryset,
    scope)`` narrows the rows to a scope (a committee, opaque to this module), None for content
    every scope shares."""

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


@dataclass(frozen=True)
class Found:
    """A matching row as the database gives it, before any bonus: what ranking needs, and no
    more (never the long texts)."""

    kind: str
    pk: int
    relevance: float
    # How many of the query's terms are in the heading, how many words typed with diacritics
    # are in the original text.
    title_hits: int
    exact_hits: int = 0


@dataclass(frozen=True)
class Hit:
    """A row found and scored, before anything is fetched to show it."""

    kind: str
    pk: int
    score: float


class Results:
    """The hits of a search, best first, read a slice at a time (the search page shows one page
    of them): only the rows of the slice are fetched, from the same visible querysets, and only
    their snippets are highlighted. ``len()`` is the number of hits."""

    def __init__(self, query, hits=(), querysets=None, terms=(), corrected=False):
        self.query = query
        self.hits = list(hits)
        self.querysets = querysets or {}
        self.terms = list(terms)
        self.corrected = corrected

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._results(self.hits[index])
        return self._results([self.hits[index]])[0]

    def __iter__(self):
        return iter(self.results)

    @property
    def results(self):
        return self[:]

    def _results(self, hits):
        wanted = defaultdict(list)
        for hit in hits:
            wanted[hit.kind].append(hit.pk)
        rows = {}
        for kind, pks in wanted.items():
            # Everything the result shows, not the long search columns.
            shown = self.querysets[kind].filter(pk__in=pks).defer(*SEARCH_COLUMNS)
            for obj in shown:
                rows[kind, obj.pk] = obj
        # A row deleted (or hidden) since it was found is left out rather than shown.
        return [
            _to_result(hit, rows[hit.kind, hit.pk], self.terms)
            for hit in hits
            if (hit.kind, hit.pk) in rows
        ]


@dataclass(frozen=True)
class ParsedQuery:
    """``words``: the folded words, without repeats, at most MAX_WORDS; ``phrases``: the
    folded quoted phrases of two words or more; ``exact``: the words typed with diacritics,
    lower-cased as typed."""

    words: list
    phrases: list
    exact: list


def parse_query(query):
    """The :class:`ParsedQuery` of what was typed (straight or curly quotes alike)."""
    text = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY_LENGTH]).translate(_QUOTES)
    phrases = []
    for quoted in _QUOTED_RE.findall(text):
        phrase = _words(fold(quoted))
        if len(phrase) > 1 and phrase not in phrases and len(phrases) < MAX_PHRASES:
            phrases.append(phrase)
    words = list(dict.fromkeys(_words(fold(text))))[:MAX_WORDS]
    exact = [
        word
        for word in dict.fromkeys(_words(text.lower()))
        if fold(word) != word and fold(word) in words
    ]
    return ParsedQuery(words=words, phrases=phrases, exact=exact)


def query_words(query):
    """The folded words of a query, without repeats, at most MAX_WORDS."""
    return parse_query(query).words


def is_postgresql():
    return connection.vendor == "postgresql"


def _sources(user, scope=None):
    """The registered searchable querysets, already limited to what ``user`` may see and, when
    ``scope`` is given, to that scope: the one place where each source's rows are chosen, for
    finding them and for showing them."""
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


def _to_result(hit, obj, terms):
    source = SOURCES[hit.kind]
    return Result(
        kind=hit.kind,
        title=source.title(obj),
        url=obj.get_absolute_url(),
        snippet=highlight(source.text(obj), terms),
        score=hit.score,
        issue=source.issue_of(obj),
    )


def _title_hits(search_title, terms):
    title_words = set(search_title.split())
    return sum(term in title_words for term in terms)


def _vocabulary(build):
    """Every folded word of the index, for typo correction, built by ``build()`` once per
    content state (``core.pagecache``): a saved or deleted row starts a new one. The words of
    rows the reader may not see are in it: they only serve to correct a typo, the results
    themselves come from visible rows."""
    # This process's copy of the current one only (pagecache.state_memo), shared by the other
    # processes through the cache.
    memo = pagecache.state_memo(_vocabulary_memo)
    vocabulary = memo.get(connection.vendor)
    if vocabulary is None:
        key = f"search-vocabulary:{connection.vendor}:{pagecache.current_state()}"
        vocabulary = cache.get(key)
        if vocabulary is None:
            vocabulary = build()
            cache.set(key, vocabulary, VOCABULARY_SECONDS)
        memo[connection.vendor] = vocabulary
    return vocabulary


_vocabulary_memo = {}
# The words ts_stat's vocabulary holds (see _pg_vocabulary): any other may still be indexed.
_VOCABULARY_WORD = re.compile(r"[a-z0-9]{2,}")


def _cannot_match(words, vocabulary):
    """Whether a word the index has never seen makes the query match nothing: then PostgreSQL
    need not read every row's vector to find out (it does, on a table this small)."""
    return any(
        _VOCABULARY_WORD.fullmatch(word) and not word.isdigit() and word not in vocabulary
        for word in words
    )


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


# SQLite: the FTS5 index of core.sqlite_search.


def _fts_query(alternatives, phrases):
    """Every word (one of its alternatives) and every phrase in the folded text."""
    parts = [
        "(" + " OR ".join(sqlite_search.quote([option]) for option in options) + ")"
        for options in alternatives
    ]
    parts += [sqlite_search.quote(phrase) for phrase in phrases]
    return "search_text : (" + " AND ".join(parts) + ")"


def _column_flags(model, prefix, column, words):
    """One boolean per word: is it among the words of ``column``? Answered by the index, so the
    query never reads the row itself (SQLite stores the long texts before most columns, and
    reading past them for every match cost more than the whole search)."""
    return {
        f"{prefix}_{n}": sqlite_search.Matches(model, f"{column} : " + sqlite_search.quote([w]))
        for n, w in enumerate(words)
    }


def _run_sqlite(sources, alternatives, phrases, exact):
    query = _fts_query(alternatives, phrases)
    terms = [t for options in alternatives for t in options]
    found = []
    for kind, queryset in sources.items():
        model = queryset.model
        title_flags = _column_flags(model, "title", "search_title", terms)
        exact_flags = _column_flags(model, "exact", "search_original", exact)
        rows = list(
            queryset.filter(sqlite_search.Matches(model, query))
            .annotate(**title_flags, **exact_flags)
            .order_by()
            .values_list("pk", *title_flags, *exact_flags)
        )
        if not rows:
            continue
        relevance = sqlite_search.relevance(model, query)
        candidates = []
        for pk, *flags in rows:
            in_title, in_original = flags[: len(terms)], flags[len(terms) :]
            candidates.append(
                Found(
                    kind,
                    pk,
                    relevance.get(pk, 0),
                    sum(map(bool, in_title)),
                    sum(map(bool, in_original)),
                )
            )
        # The best PER_KIND of each kind, as PostgreSQL's ranked query keeps.
        candidates.sort(key=lambda row: _score(row, terms), reverse=True)
        found.extend(candidates[:PER_KIND])
    return found


def _search_sqlite(sources, parsed):
    alternatives = [[w] for w in parsed.words]
    found = _run_sqlite(sources, alternatives, parsed.phrases, parsed.exact)
    corrected = False
    if not found:
        models = [queryset.model for queryset in sources.values()]
        better = _corrections(parsed.words, _vocabulary(lambda: sqlite_search.vocabulary(models)))
        if better:
            alternatives = better
            found = _run_sqlite(sources, alternatives, parsed.phrases, parsed.exact)
            corrected = True
    terms = [t for options in alternatives for t in options]
    return found, corrected, terms


# PostgreSQL: full-text search on the generated vector, then trigram similarity.


def _any_of(words):
    return functools.reduce(
        operator.or_, (SearchQuery(word, config=CONFIG, search_type="plain") for word in words)
    )


def _folded_query(alternatives, phrases):
    """Every word (one of its alternatives) and every phrase, as a ``SearchQuery``."""
    parts = [_any_of(options) for options in alternatives]
    parts += [
        SearchQuery(" ".join(phrase), config=CONFIG, search_type="phrase") for phrase in phrases
    ]
    return functools.reduce(operator.and_, parts)


# Plain index scans go too: a GIN index is only ever read by a bitmap scan, and with sequential
# scans alone forbidden the planner read the entries in issue order through a btree, testing
# every entry's vector, to merge-join them with their issues (7 of the 12 ms of a five-word
# search on the 20-year archive; the 40 ranking queries of bench/search_archive.py, two runs:
# mean 9.3 ms and p95 17.7 to 18.1 ms before, mean 7.8 ms and p95 12.1 to 12.9 ms after).
_PLANNER_SETTINGS = ("enable_seqscan", "enable_indexscan")


@contextmanager
def _index_scans():
    """Within the block, PostgreSQL finds matching rows through the vector's GIN index.

    On tables of a few thousand rows the planner prefers reading the whole table and testing
    each row's vector, not counting that each vector is a ~10 KB compressed value read apart
    from the row (TOAST): 15 to 30 ms a table for a common word, against about 1 ms through
    the index (EXPLAIN ANALYZE on the 20-year archive of bench/search_archive.py).

    The settings are the session's, set and put back in one statement each, without a
    transaction of its own: on a loaded server each round trip costs. When a query fails
    inside the caller's transaction, that transaction's rollback puts them back (the
    connection accepts no statement until then)."""
    current = ", ".join(f"current_setting('{name}')" for name in _PLANNER_SETTINGS)
    off = ", ".join(f"set_config('{name}', 'off', false)" for name in _PLANNER_SETTINGS)
    back = "SELECT " + ", ".join(f"set_config('{name}', %s, false)" for name in _PLANNER_SETTINGS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {current}, {off}")
        previous = list(cursor.fetchone()[: len(_PLANNER_SETTINGS)])
        try:
            yield
        except Exception:
            if not connection.in_atomic_block:
                cursor.execute(back, previous)
            raise
        cursor.execute(back, previous)


def _exact_hits(queryset, pks, exact):
    """For each of ``pks``, how many of the ``exact`` words its original text holds, asked of
    the whole vector, for these rows only."""
    flags = {
        f"exact_{n}": ExpressionWrapper(
            Q(search_vector=SearchQuery(word, config=CONFIG, search_type="plain")),
            output_field=BooleanField(),
        )
        for n, word in enumerate(exact)
    }
    rows = queryset.filter(pk__in=pks).annotate(**flags).order_by().values_list("pk", *flags)
    return {pk: sum(map(bool, hits)) for pk, *hits in rows}


def _ranked(sources, query, exact, terms):
    """The best PER_KIND rows of each kind; their relevance is the folded rank alone (as
    SQLite's), the exact words only help choose which rows make the cut (``search`` scores
    them again). Only the ranking columns are read: the page shown fetches its rows.

    What matches is decided by the whole vector (``search_vector``, through its GIN index),
    the rank computed on the small one (``search_rank_vector``: the heading and the opening
    of the text, see ``core.models.Searchable``), so no long vector is read to rank."""
    # Normalisation 32 (rank / (rank + 1)) keeps the rank between 0 and 1, like SQLite's.
    rank = SearchRank(F("search_rank_vector"), query, weights=FOLDED_WEIGHTS, normalization=32)
    order = F("rank")
    if exact:
        order = order + SearchRank(
            F("search_rank_vector"), _any_of(exact), weights=EXACT_WEIGHTS, normalization=32
        )
    # One query for every kind (each its best PER_KIND), one round trip.
    ranked = [
        queryset.filter(search_vector=query)
        .annotate(rank=rank, search_kind=Value(kind))
        .order_by(order.desc())
        .values_list("search_kind", "pk", "rank", "search_title")[:PER_KIND]
        for kind, queryset in sources.items()
    ]
    with _index_scans():
        rows = list(ranked[0].union(*ranked[1:], all=True))
    exact_hits = defaultdict(int)
    if exact:
        for kind, queryset in sources.items():
            pks = [pk for row_kind, pk, *_ in rows if row_kind == kind]
            for pk, hits in _exact_hits(queryset, pks, exact).items():
                exact_hits[kind, pk] = hits
    # The heading is read itself: short, and stored in the row.
    return [
        Found(kind, pk, relevance, _title_hits(title, terms), exact_hits[kind, pk])
        for kind, pk, relevance, title in rows
    ]


def _trigram_similar(queryset, text):
    """Rows with a word close to ``text`` (pg_trgm's ``<%``, using the trigram index)."""
    return queryset.filter(search_text__trigram_word_similar=text).annotate(
        similarity=TrigramWordSimilarity(text, "search_text")
    )


def _search_postgresql(sources, parsed):
    words = parsed.words
    vocabulary = _vocabulary(lambda: _pg_vocabulary(sources))
    found = []
    if not _cannot_match(words, vocabulary):
        query = _folded_query([[w] for w in words], parsed.phrases)
        found = _ranked(sources, query, parsed.exact, words)
        if found:
            return found, False, words
    # Typos: correct each unknown word against the words of the index, then search again.
    better = _corrections(words, vocabulary)
    if better:
        terms = [t for options in better for t in options]
        found = _ranked(sources, _folded_query(better, parsed.phrases), parsed.exact, terms)
        if found:
            return found, True, terms
    if parsed.phrases:
        # A quoted phrase asks for those words in that order: close spellings would not be it.
        return found, False, words
    # Still nothing: trigram word similarity on the whole text.
    text = " ".join(words)
    terms = list(words)
    similar = []
    for kind, queryset in sources.items():
        rows = (
            _trigram_similar(queryset, text)
            .order_by("-similarity")
            .values_list("pk", "similarity", "search_title", "search_text")
        )
        for pk, similarity, title, search_text in rows[:PER_KIND]:
            similar.append((kind, pk, similarity, title))
            terms.extend(_close_words(search_text, words))
    terms = list(dict.fromkeys(terms))
    found = [
        Found(kind, pk, similarity, _title_hits(title, terms))
        for kind, pk, similarity, title in similar
    ]
    return found, True, terms


def _pg_vocabulary(sources):
    """Every folded word of the search index (``ts_stat`` over the heading and text parts of
    the stored vectors, weights A and B)."""
    statements = [
        queryset.model._default_manager.order_by().values("search_vector").query.sql_with_params()
        for queryset in sources.values()
    ]
    union = " UNION ALL ".join(sql for sql, params in statements if not params)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat(%s, 'ab') WHERE length(word) > 1 AND word ~ '^[a-z0-9]+$'",
            [union],
        )
        return {row[0] for row in cursor.fetchall()}


def _close_words(search_text, words):
    vocabulary = set(search_text.split())
    close = []
    for word in words:
        close.extend(difflib.get_close_matches(word, vocabulary, n=2, cutoff=0.7))
    return close


def _score(found, terms):
    """The database's relevance plus the bonuses: words in the heading, words found with the
    diacritics they were typed with."""
    whole_title = WHOLE_TITLE_BONUS if found.title_hits == len(terms) else 0
    return (
        found.relevance
        + TITLE_WORD_BONUS * found.title_hits
        + whole_title
        + EXACT_WORD_BONUS * found.exact_hits
    )


def search(query, user, scope=None):
    """Search entries, documents and news visible to ``user`` (within ``scope``, when given);
    best results first.

    Finds and ranks every match in the database, reading only the ranking columns; the
    :class:`Results` fetch and highlight the rows of the slice that is shown."""
    parsed = parse_query(query)
    if not parsed.words:
        return Results(query=query or "")
    sources = _sources(user, scope)
    if is_postgresql():
        found, corrected, terms = _search_postgresql(sources, parsed)
    else:
        found, corrected, terms = _search_sqlite(sources, parsed)
    hits = [Hit(row.kind, row.pk, _score(row, terms)) for row in found]
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return Results(
        query=query or "", hits=hits, querysets=sources, terms=terms, corrected=corrected
    )


def matching_documents(queryset, query):
    """Narrow a document queryset to those matching ``query`` (the registry's text filter)."""
    parsed = parse_query(query)
    if not parsed.words:
        return queryset
    alternatives = [[w] for w in parsed.words]
    if is_postgresql():
        found = queryset.filter(search_vector=_folded_query(alternatives, parsed.phrases))
        if found.exists():
            return found
        return _trigram_similar(queryset, " ".join(parsed.words))
    return queryset.filter(
        sqlite_search.Matches(queryset.model, _fts_query(alternatives, parsed.phrases))
    )


# Highlighting on the original text.


@functools.lru_cache(maxsize=256)
def _terms_pattern(terms):
    """Any of ``terms`` as a whole word (longest first), or None when there is none."""
    if not terms:
        return None
    words = sorted(set(terms), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)")


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


def _match_spans(text, pattern, length):
    """The spans of ``text`` matching ``pattern`` from the first one to a snippet's length
    further on: all a snippet can show. A long text is folded a piece at a time (cut at a
    space, so no word is cut), from its start until the piece holds the first match and a
    snippet's length after it: most snippets never fold more than the first piece."""
    piece = SNIPPET_PIECE
    while True:
        cut = len(text) if piece >= len(text) else text.rfind(" ", 0, piece)
        cut = len(text) if cut <= 0 else cut
        folded, index = _folded_with_map(text[:cut])
        spans = []
        for match in pattern.finditer(folded):
            start = index[match.start()]
            end = index[match.end() - 1] + 1
            if spans and start > spans[0][0] + length:
                break
            spans.append((start, end))
        # Room for the snippet after the first match, and for the word that ends it.
        if cut == len(text) or (spans and cut > spans[0][0] + length + 2 * SNIPPET_SLACK):
            return spans
        piece *= 2


def highlight(text, terms, length=SNIPPET_CHARS):
    """An escaped snippet of ``text`` around the first match, matches wrapped in <mark>."""
    text = html.unescape(text or "")
    pattern = _terms_pattern(tuple(term for term in terms if term))
    spans = _match_spans(text, pattern, length) if pattern else []
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
        begin = space + 1 if space >= 0 and begin - space < SNIPPET_SLACK else begin
    finish = min(len(text), begin + length)
    # Never cut a highlighted word or, nearby, any word.
    for start, end in merged:
        if start < finish < end:
            finish = end
    space = text.find(" ", finish)
    space = len(text) if space == -1 else space
    if space - finish < SNIPPET_SLACK:
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
