"""PostgreSQL ranks with a small vector of the heading and the opening of the text
(``Searchable.search_rank_vector``) while the whole text decides what matches, through a GIN
index without a pending list: a word far down a long text is still found, and a word typed with
its diacritics still counts there."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from bulletin.models import Entry, Visibility
from core.models import RANK_PREFIX_CHARS
from core.search import search
from tests.factories import make_entry
from tests.site_data import published

pytestmark = pytest.mark.django_db

# Words that share nothing with the queries below; long enough to push what follows well past
# the opening that the rank vector holds.
FILLER = "Nhân dân trong xóm góp công làm đường bê tông nông thôn mới. "
LONG_OPENING = FILLER * (3 * RANK_PREFIX_CHARS // len(FILLER))


@pytest.fixture
def issue():
    return published(visibility=Visibility.PUBLIC)


def titles(query):
    return [result.title for result in search(query, AnonymousUser())]


def test_words_far_down_a_long_text_are_found(issue):
    make_entry(issue, title="Tin ngắn", body=f"<p>{LONG_OPENING}Khánh thành cầu treo Nà Mò.</p>")
    make_entry(issue, title="Tin khác", body=f"<p>{LONG_OPENING}</p>")

    assert titles("cau treo na mo") == ["Tin ngắn"]
    assert titles('"cau treo"') == ["Tin ngắn"]


def test_words_typed_with_diacritics_count_far_down_a_long_text(issue):
    # "chí thì" folds to the same words as "chỉ thị", and near the top it ranks higher; the
    # words as typed are only at the end of the other text.
    make_entry(
        issue,
        title="Bài hai",
        body=f"<p>Anh ấy chí thì có. {LONG_OPENING}Anh ấy chí thì có.</p>",
    )
    make_entry(issue, title="Bài một", body=f"<p>{LONG_OPENING}Thực hiện chỉ thị của cấp trên.</p>")

    assert titles("chỉ thị") == ["Bài một", "Bài hai"]
    assert titles("chi thi")[0] == "Bài hai"


def test_the_rank_vector_holds_the_heading_and_the_opening_only(issue):
    entry = make_entry(
        issue, title="Hội nghị", body=f"<p>Sơ kết quý. {LONG_OPENING}Khánh thành cầu treo.</p>"
    )
    rank_vector = Entry.objects.values_list("search_rank_vector", flat=True).get(pk=entry.pk)

    if connection.vendor != "postgresql":
        assert rank_vector is None  # a PostgreSQL column: SQLite ranks with its FTS5 index
        return
    assert "'hoi':1A" in rank_vector and "'nghi':2A" in rank_vector
    assert "'ket':" in rank_vector and "'kết':" in rank_vector  # folded (B) and as typed (D)
    assert "'khanh'" not in rank_vector and "'treo'" not in rank_vector


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_a_search_leaves_the_planner_as_it_found_it(issue):
    make_entry(issue, title="Tin ngắn", body="<p>Khánh thành cầu treo.</p>")

    assert titles("cau treo") == ["Tin ngắn"]
    # The test runs inside a transaction, as a request may: the setting must not outlive
    # the search.
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan"):
            cursor.execute(f"SHOW {setting}")
            assert cursor.fetchone() == ("on",), setting


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a GIN index exists on PostgreSQL only"
)
def test_the_vector_index_has_no_pending_list_for_recent_rows():
    # With a pending list, the rows written since the last VACUUM are found by reading that list
    # and their whole vectors on every search: a freshly imported archive searched twice slower.
    for table in ("bulletin_entry", "documents_document", "news_newsitem"):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        assert constraints[f"{table}_vector"]["options"] == ["fastupdate=off"], table
