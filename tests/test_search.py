"""Search the way Vietnamese type, on SQLite and (when DATABASE_URL points to it) PostgreSQL,
with the sample issues imported."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin.models import Visibility
from core.search import highlight, parse_query, query_words, search, search_columns
from tests.factories import make_entry, make_user
from tests.site_data import import_samples, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples():
    return import_samples()


@pytest.fixture
def member():
    return make_user(group="Đảng viên")


def titles(results):
    return [result.title for result in results]


def test_postgresql_searches_its_full_text_index_and_sqlite_its_fts5_index(client):
    """Which engine ran shows in the SQL: PostgreSQL matches the stored, weighted tsvector with
    ``@@``; SQLite (no such column) matches the FTS5 index of the folded text. Both find the
    same row, and neither reads the long search columns to show it."""
    issue = published(visibility=Visibility.PUBLIC, year=2030, month=3)
    make_entry(issue, title="Tin ngắn", body="<p>Hoàn thành chỉ tiêu thu thuế năm nay.</p>")

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/search/", {"q": "thue"}).content.decode()

    assert "Tin ngắn" in page
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "@@" in sql and '"search_vector"' in sql
    else:
        assert "@@" not in sql and "bulletin_entry_fts MATCH" in sql
    assert '"search_text"' not in sql and '"search_original"' not in sql


def test_directive_without_diacritics(samples):
    results = search("chi thi 29", AnonymousUser())
    assert "Chỉ thị số 29-CT/TU" in results.results[0].title
    assert any("Chỉ thị số 29-CT/TU" in title for title in titles(results))
    assert not results.corrected
    # The document of the registry is among the results, linking to its page.
    assert any(r.kind == "document" and "29-CT/TU" in r.title for r in results)


def test_party_member_without_diacritics(samples):
    results = search("dang vien", AnonymousUser())
    assert len(results) > 0
    assert any("<mark>đảng viên</mark>" in str(r.snippet) for r in results)


def test_accents_do_not_matter(samples, member):
    with_marks = [r.url for r in search("Đảng", member)]
    without = [r.url for r in search("dang", member)]
    assert with_marks and sorted(with_marks) == sorted(without)
    assert sorted(r.url for r in search("ĐẢNG VIÊN", member)) == sorted(
        r.url for r in search("dang vien", member)
    )


@pytest.mark.parametrize(("typo", "expected"), [("dang vein", "đảng viên"), ("chi thj 29", "29")])
def test_typos_find_close_matches(samples, typo, expected):
    results = search(typo, AnonymousUser())
    assert len(results) > 0
    assert results.corrected
    assert any(expected in (str(r.snippet) + r.title).lower() for r in results)


def test_visible_to_is_respected(samples, member):
    # Directive 26-CT/TW (Lunar New Year 2024) is summarised only in the members-only January
    # issue: anonymous visitors find nothing of that issue, members find it.
    anonymous = search("chi thi 26 ct tw tet", AnonymousUser())
    assert not any(r.issue and r.issue.month == 1 for r in anonymous)
    assert not any("26-CT/TW" in r.title for r in anonymous)
    found = search("chi thi 26 ct tw tet", member)
    assert any("26-CT/TW" in r.title for r in found)
    assert any(r.issue and r.issue.month == 1 for r in found)


def test_search_page_shows_highlighted_results(client, samples):
    response = client.get("/search/", {"q": "chi thi 29"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "kết quả cho “chi thi 29”" in html
    assert "Chỉ thị số 29-CT/TU" in html
    assert "<mark>" in html


def test_document_registry_text_filter(client, samples):
    html = client.get("/documents/", {"q": "chi thi 29"}).content.decode()
    assert "29-CT/TU" in html
    assert "361-KH/TU" not in html


def test_query_words_and_highlight():
    assert query_words("  Chỉ thị số 29-CT/TU ") == ["chi", "thi", "so", "29", "ct", "tu"]
    assert query_words("") == []
    snippet = highlight("Kết nạp Đảng viên <mới>", ["dang", "vien"])
    assert snippet == "Kết nạp <mark>Đảng viên</mark> &lt;mới&gt;"


def test_a_snippet_never_cuts_a_highlighted_word():
    from core.search import highlight

    text = "Mở đầu " * 3 + "xây dựng đội ngũ đảng viên vững mạnh trong toàn Đảng bộ thành phố"
    for length in range(20, len(text)):
        snippet = str(highlight(text, ["dang"], length=length))
        assert "<mark>đảng</mark>" in snippet
        last_word = re.sub(r"<[^>]+>", "", snippet).rstrip("…").split()[-1]
        assert last_word in text.split()


def test_a_query_is_read_as_words_phrases_and_words_typed_with_diacritics():
    parsed = parse_query("“Sinh hoạt chi bộ” chi thi Đảng 29-CT/TU")
    assert parsed.phrases == [["sinh", "hoat", "chi", "bo"]]
    assert parsed.words == ["sinh", "hoat", "chi", "bo", "thi", "dang", "29", "ct", "tu"]
    assert parsed.exact == ["hoạt", "bộ", "đảng"]
    # An unclosed quote, a lone word in quotes: plain words.
    assert parse_query('"chi bo').phrases == parse_query('"dang"').phrases == []


def test_search_columns_are_words_folded_and_as_typed():
    title, text, original = search_columns("Chỉ thị số 29-CT/TU, ngày 06/02/2024", "Đảng viên.")
    assert title == "chi thi so 29 ct tu ngay 06 02 2024"
    assert text == "chi thi so 29 ct tu ngay 06 02 2024 dang vien"
    assert original == "chỉ thị số 29 ct tu ngày 06 02 2024 đảng viên"


@pytest.mark.parametrize("query", ['""', '"', "“”", '"chi', "-", '"' * 199, '"a b" ' * 33])
def test_odd_queries_get_a_page_not_an_error(client, samples, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "kết quả cho" in response.content.decode()


def test_a_quoted_phrase_narrows_the_search_page(client, samples):
    loose = client.get("/search/", {"q": "chi bo"}).content.decode()
    quoted = client.get("/search/", {"q": "“chi bộ”"}).content.decode()
    assert loose.count('class="kind"') > quoted.count('class="kind"') > 0
    # Nothing holds this phrase: no result, rather than the words found apart.
    nowhere = client.get("/search/", {"q": '"vien dang bo chi"'}).content.decode()
    assert nowhere.count('class="kind"') == 0
    assert client.get("/search/", {"q": "vien dang bo chi"}).content.decode().count('class="kind"')


def test_a_long_text_gets_the_same_snippet_however_much_is_read_at_first(monkeypatch):
    """Snippets fold a long text a piece at a time: a match far into the text, or none at
    all, gives the snippet that reading the whole text at once gives."""
    from core import search as site_search

    text = (
        "Mở đầu văn bản. " * 200
        + "Chi bộ tổ chức sinh hoạt chuyên đề về Đảng viên trẻ. "
        + "Phần cuối. " * 50
    )
    cases = [["dang", "vien"], ["chuyen", "de"], ["khong", "co"], ["mo", "dau"]]
    whole = {}
    monkeypatch.setattr(site_search, "SNIPPET_PIECE", len(text) * 2)
    for terms in cases:
        whole[tuple(terms)] = str(highlight(text, terms))
    for piece in (1, 37, 500, 3001):
        monkeypatch.setattr(site_search, "SNIPPET_PIECE", piece)
        for terms in cases:
            assert str(highlight(text, terms)) == whole[tuple(terms)], (piece, terms)
    assert "<mark>Đảng viên</mark>" in whole[("dang", "vien")]
    assert "<mark>" not in whole[("khong", "co")]


def test_the_search_page_shows_twenty_results_a_page_and_counts_them_all(client):
    issue = published(visibility=Visibility.PUBLIC, year=2031, month=4)
    for n in range(1, 26):
        make_entry(issue, title=f"Gương sáng số {n}", body="<p>Điển hình tiên tiến ở cơ sở.</p>")

    first = client.get("/search/", {"q": "dien hinh tien tien"}).content.decode()
    second = client.get("/search/", {"q": "dien hinh tien tien", "page": 2}).content.decode()
    junk = client.get("/search/", {"q": "dien hinh tien tien", "page": "x"}).content.decode()

    assert "25 kết quả cho" in first and "25 kết quả cho" in second
    shown = [re.findall(r"Gương sáng số (\d+)</a>", page) for page in (first, second)]
    assert [len(numbers) for numbers in shown] == [20, 5]
    assert sorted(int(n) for n in shown[0] + shown[1]) == list(range(1, 26))
    assert 'rel="next"' in first and "page=2" in first
    assert 'rel="prev"' in second and '<ol class="results" start="21">' in second
    # A page number that is not one shows the first page.
    assert re.findall(r"Gương sáng số (\d+)</a>", junk) == shown[0]
