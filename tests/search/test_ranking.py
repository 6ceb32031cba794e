"""Ranking on the database under test (CI runs this file on SQLite and on PostgreSQL): the
samples plus two generated issues, queried the way members type.

Queries are taken from the data itself (a plan's subject, a document's subject, headings),
so that the same tests hold on other issues than the samples; a few are written by hand."""

import re
from collections import Counter

import pytest

from core.richtext import fold
from core.search import SOURCES, search
from documents.models import Document, DocumentType
from tests.factories import make_user

from .archive import build_archive

pytestmark = pytest.mark.django_db

WORD_RE = re.compile(r"[^\W_]+")


@pytest.fixture
def member():
    return make_user(group="Đảng viên")


@pytest.fixture
def rows(member):
    """Every row the member may find, by the address a result links to."""
    assert len(build_archive()) >= 5
    return {
        obj.get_absolute_url(): obj for source in SOURCES.values() for obj in source.visible(member)
    }


@pytest.fixture
def frequency(rows):
    """In how many rows each folded word appears."""
    counts = Counter()
    for obj in rows.values():
        counts.update(set(obj.search_text.split()))
    return counts


def words_of(text):
    """The words of ``text`` as typed (diacritics kept) and folded, aligned."""
    typed = WORD_RE.findall(text)
    return typed, [fold(word) for word in typed]


def rarest_window(text, size, frequency):
    """The ``size`` consecutive words of ``text`` (letters only) that are the rarest in the
    archive: what someone who remembers the subject would type. Returns (typed, folded)."""
    typed, folded = words_of(text)
    starts = [
        i
        for i in range(len(folded) - size + 1)
        if all(word.isalpha() for word in folded[i : i + size])
    ]
    best = min(starts, key=lambda i: sum(frequency[word] for word in folded[i : i + size]))
    return " ".join(typed[best : best + size]), " ".join(folded[best : best + size])


def position(results, urls):
    """The 0-based rank of the first result linking to one of ``urls`` (None if absent)."""
    for index, result in enumerate(results):
        if result.url in urls:
            return index
    return None


def document_and_summaries(document):
    return {document.get_absolute_url(), *(e.get_absolute_url() for e in document.entries.all())}


def test_four_words_of_a_plans_subject_find_the_plan_in_the_top_3(rows, frequency, member):
    plans = Document.objects.filter(doc_type=DocumentType.PLAN)
    assert plans.count() >= 3
    for plan in plans:
        for query in rarest_window(plan.subject, 4, frequency):
            results = search(query, member)
            rank = position(results, document_and_summaries(plan))
            assert rank is not None and rank < 3, (query, [r.title for r in results][:5])


def test_ten_words_without_diacritics_find_their_document_first_or_second(rows, frequency, member):
    documents = [d for d in Document.objects.all() if len(WORD_RE.findall(d.subject)) >= 10]
    assert len(documents) >= 3
    for document in documents:
        folded = words_of(document.subject)[1]
        query = " ".join(folded[-10:])  # the topic: the end of the subject
        results = search(query, member)
        rank = position(results, {document.get_absolute_url()})
        assert rank is not None and rank < 2, (query, [r.title for r in results][:5])


def test_words_typed_with_diacritics_prefer_exact_matches(rows, member):
    results = search("chỉ thị", member)
    exact, folded_only = [], []
    for index, result in enumerate(results):
        original = set(rows[result.url].search_original.split())
        if {"chỉ", "thị"} <= original:
            exact.append(index)
        elif not {"chỉ", "thị"} & original:
            folded_only.append(index)  # "chí", "thì": the same letters, other words
    assert exact and folded_only
    assert max(exact) < min(folded_only)
    # Typed without marks, the same words find the near misses too: nothing is lost.
    assert len(search("chi thi", member)) >= len(exact) + len(folded_only)


def test_a_quoted_phrase_matches_only_rows_holding_the_phrase(rows, member):
    # A pair of words that stand side by side in some rows and apart in others.
    pairs = Counter()
    for obj in rows.values():
        words = obj.search_text.split()
        pairs.update(set(zip(words, words[1:], strict=False)))
    candidates = []
    for (first, second), together in pairs.most_common():
        if first == second or not (first.isalpha() and second.isalpha()):
            continue
        apart = [
            obj
            for obj in rows.values()
            if {first, second} <= set(obj.search_text.split())
            and f" {first} {second} " not in f" {obj.search_text} "
        ]
        if apart and together >= 2:
            candidates.append((first, second))
        if len(candidates) == 3:
            break
    assert candidates
    for first, second in [*candidates, ("trồng", "cây")]:
        phrase = fold(f"{first} {second}")
        quoted = search(f'"{first} {second}"', member)
        assert len(quoted) > 0
        for result in quoted:
            assert f" {phrase} " in f" {rows[result.url].search_text} ", (phrase, result.title)
        loose = search(f"{first} {second}", member)
        assert {r.url for r in quoted} < {r.url for r in loose} or (first, second) == (
            "trồng",
            "cây",
        )


def test_a_heading_match_beats_a_mention_in_the_text(rows, frequency, member):
    checked = 0
    for obj in rows.values():
        title_words = [w for w in obj.search_title.split() if w.isalpha() and len(w) > 2]
        # Two of its rarer heading words that other rows only mention in their text.
        title_words = sorted(set(title_words), key=lambda w: frequency[w])
        for pair in zip(title_words, title_words[1:], strict=False):
            results = search(" ".join(pair), member)
            in_title, in_text = [], []
            for index, result in enumerate(results):
                row = rows[result.url]
                title = set(row.search_title.split())
                if set(pair) <= title:
                    in_title.append(index)
                elif not set(pair) & title:
                    in_text.append(index)
            if in_title and in_text:
                assert max(in_title) < min(in_text), (pair, [r.title for r in results][:8])
                checked += 1
                break
        if checked >= 8:
            break
    assert checked >= 3


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        # A member looking for the news of the Tết tree planting, without diacritics.
        ("le phat dong trong cay", "Tết trồng cây", 1),
        # The plan against corruption, remembered by its topic only.
        ("phòng chống tham nhũng", "388-KH/TU", 2),
        # Who received their Party badge: the two news items of the archive.
        ("trao huy hieu dang", "Huy hiệu Đảng", 2),
        # The results of the People's Council session, abbreviated as everyone says it.
        ("ket qua ky hop hdnd", "kỳ họp", 1),
    ],
)
def test_queries_members_type(rows, member, query, expected, within):
    results = search(query, member)
    titles = [result.title for result in results][:within]
    assert any(expected.lower() in title.lower() for title in titles), (query, titles)
