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
  ``SearchQuery`` of the folded words and phrases and ordered by ``SearchRank`` plus the rank of
  the exact words. When nothing matches, unknown words are corrected against the index's words,
  then ``TrigramWordSimilarity`` on ``search_text`` (GIN trigram index) finds close spellings.
- SQLite: every word (and phrase) must appear as a whole word in ``search_text``; when nothing
  matches, each unknown word is replaced by its close spellings (difflib) from a small
  vocabulary of the visible content.

Why the folding is done in Python and the vector built with the ``simple`` configuration over
already-folded columns, rather than with ``unaccent`` in a text search configuration: one
``fold`` serves the query and the rows on both databases (unaccent's rules and ours differ on
a few letters), SQLite needs the folded text anyway, and a ``GeneratedField`` may only use
immutable expressions, which ``to_tsvector('simple', …)`` is. How the PostgreSQL-only column
and indexes live in models that SQLite also creates is told in ``core.postgres``.

Both databases then score the rows they found the same way, in :func:`search`: the database's
relevance, plus a bonus for query words in the heading (a document's citation and subject
count as its heading), plus a larger one for each word found with the diacritics it was typed
with. Results only ever come from ``visible_to(user)`` querysets. Snippets are highlighted in
Python on the original text, so both databases show the same thing.
"""

import difflib
import functools
import html
import operator
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .richtext import fold

CONFIG = "simple"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_PHRASES = 4
PER_KIND = 50
SNIPPET_CHARS = 240
VOCABULARY_ROWS = 3000
VOCABULARY_SECONDS = 600
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


def _title_bonus(search_title, words):
    """Matches in the heading count most: a directive's number beats a passing mention."""
    title_words = set(search_title.split())
    hits = sum(word in title_words for word in words)
    return TITLE_WORD_BONUS * hits + (WHOLE_TITLE_BONUS if hits == len(words) else 0)


def _exact_bonus(search_original, exact):
    if not exact:
        return 0
    original_words = set(search_original.split())
    return EXACT_WORD_BONUS * sum(word in original_words for word in exact)


# SQLite and any other database: folded whole-word match.


def _word_pattern(word):
    return rf"(?<!\w){re.escape(word)}(?!\w)"


def _all_words(queryset, alternatives, phrases=()):
    """Rows whose folded text holds every word (any of its alternatives) and every phrase as
    whole words. The cheap ``contains`` narrows first; the regular expression then checks word
    boundaries (the columns are words separated by single spaces)."""
    for options in [*alternatives, *([" ".join(phrase)] for phrase in phrases)]:
        contains = Q()
        whole = Q()
        for option in options:
            contains |= Q(search_text__contains=option)
            whole |= Q(search_text__regex=_word_pattern(option))
        queryset = queryset.filter(contains).filter(whole)
    return queryset


def _score(search_text, terms):
    """A relevance between 0 and 1, as PostgreSQL's (normalised) rank: each term counts less
    with every repeat, so that a long text full of "và" and "của" cannot outweigh a heading."""
    counts = [len(re.findall(_word_pattern(term), search_text)) for term in terms]
    return sum(count / (count + 2) for count in counts) / max(len(counts), 1)


def _vocabulary(sources):
    words = set()
    for queryset in sources.values():
        for text in queryset.values_list("search_text", flat=True)[:VOCABULARY_ROWS]:
            words.update(w for w in text.split() if len(w) > 1)
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


def _search_folded(sources, parsed):
    alternatives = [[w] for w in parsed.words]
    found = _run_folded(sources, alternatives, parsed.phrases)
    corrected = False
    if not found:
        better = _corrections(parsed.words, _vocabulary(sources))
        if better:
            alternatives = better
            found = _run_folded(sources, alternatives, parsed.phrases)
            corrected = True
    terms = [t for options in alternatives for t in options]
    return found, corrected, terms


def _run_folded(sources, alternatives, phrases):
    terms = [t for options in alternatives for t in options]
    found = []
    for kind, queryset in sources.items():
        for obj in _all_words(queryset, alternatives, phrases)[: PER_KIND * 4]:
            found.append((kind, obj, _score(obj.search_text, terms)))
    return found


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


def _ranked(sources, query, exact):
    """The best PER_KIND rows of each kind; their relevance is the folded rank alone (as
    SQLite's), the exact words only help choose which rows make the cut (``search`` scores
    them again)."""
    # Normalisation 32 (rank / (rank + 1)) keeps the rank between 0 and 1, like SQLite's.
    rank = SearchRank(F("search_vector"), query, weights=FOLDED_WEIGHTS, normalization=32)
    order = F("rank")
    if exact:
        order = order + SearchRank(
            F("search_vector"), _any_of(exact), weights=EXACT_WEIGHTS, normalization=32
        )
    found = []
    for kind, queryset in sources.items():
        rows = queryset.filter(search_vector=query).annotate(rank=rank).order_by(order.desc())
        found.extend((kind, obj, obj.rank) for obj in rows[:PER_KIND])
    return found


def _trigram_similar(queryset, text):
    """Rows with a word close to ``text`` (pg_trgm's ``<%``, using the trigram index)."""
    return queryset.filter(search_text__trigram_word_similar=text).annotate(
        similarity=TrigramWordSimilarity(text, "search_text")
    )


def _search_postgresql(sources, parsed):
    words = parsed.words
    found = _ranked(sources, _folded_query([[w] for w in words], parsed.phrases), parsed.exact)
    if found:
        return found, False, words
    # Typos: correct each unknown word against the words of the index, then search again.
    better = _corrections(words, _pg_vocabulary(sources))
    if better:
        found = _ranked(sources, _folded_query(better, parsed.phrases), parsed.exact)
        if found:
            return found, True, [t for options in better for t in options]
    if parsed.phrases:
        # A quoted phrase asks for those words in that order: close spellings would not be it.
        return found, False, words
    # Still nothing: trigram word similarity on the whole text.
    text = " ".join(words)
    for kind, queryset in sources.items():
        rows = _trigram_similar(queryset, text).order_by("-similarity")[:PER_KIND]
        found.extend((kind, obj, obj.similarity) for obj in rows)
    terms = list(words)
    for _kind, obj, _score in found:
        terms.extend(_close_words(obj.search_text, words))
    return found, True, list(dict.fromkeys(terms))


def _pg_vocabulary(sources):
    """Every folded word of the search index (``ts_stat`` over the heading and text parts of
    the stored vectors, weights A and B), cached for a while: it only serves to correct typos,
    the results themselves come from visible rows."""
    vocabulary = cache.get("search-vocabulary")
    if vocabulary is None:
        statements = [
            queryset.model._default_manager.order_by()
            .values("search_vector")
            .query.sql_with_params()
            for queryset in sources.values()
        ]
        union = " UNION ALL ".join(sql for sql, params in statements if not params)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM ts_stat(%s, 'ab') "
                "WHERE length(word) > 1 AND word ~ '^[a-z0-9]+$'",
                [union],
            )
            vocabulary = {row[0] for row in cursor.fetchall()}
        cache.set("search-vocabulary", vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def _close_words(search_text, words):
    vocabulary = set(search_text.split())
    close = []
    for word in words:
        close.extend(difflib.get_close_matches(word, vocabulary, n=2, cutoff=0.7))
    return close


def search(query, user, scope=None):
    """Search entries, documents and news visible to ``user`` (within ``scope``, when given);
    best results first."""
    parsed = parse_query(query)
    results = Results(query=query or "")
    if not parsed.words:
        return results
    sources = _sources(user, scope)
    if is_postgresql():
        found, corrected, terms = _search_postgresql(sources, parsed)
    else:
        found, corrected, terms = _search_folded(sources, parsed)
    ranked = []
    for kind, obj, relevance in found:
        result = _to_result(kind, obj, relevance, terms)
        result.score += _title_bonus(obj.search_title, terms) + _exact_bonus(
            obj.search_original, parsed.exact
        )
        ranked.append(result)
    ranked.sort(key=lambda result: result.score, reverse=True)
    results.results = ranked
    results.corrected = corrected
    results.terms = terms
    return results


def matching_documents(queryset, query):
    """Narrow a document queryset to those matching ``query`` (the registry's text filter)."""
    parsed = parse_query(query)
    if not parsed.words:
        return queryset
    if is_postgresql():
        found = queryset.filter(
            search_vector=_folded_query([[w] for w in parsed.words], parsed.phrases)
        )
        if found.exists():
            return found
        return _trigram_similar(queryset, " ".join(parsed.words))
    return _all_words(queryset, [[w] for w in parsed.words], parsed.phrases)


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
