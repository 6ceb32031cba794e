"""The search index follows the content (on SQLite the FTS5 tables of core.sqlite_search, on
PostgreSQL the generated vector): what a reader finds after an edit, a publication, a
withdrawal, a visibility change or a deletion; never what they may not see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

from bulletin import workflow
from bulletin.models import Status, Visibility
from core.search import search
from tests.factories import make_entry, make_issue, make_news_item, make_user
from tests.site_data import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return make_user(group="Đảng viên")


@pytest.fixture
def chief(superuser):
    return superuser


def found(query, user):
    return [result.title for result in search(query, user)]


def test_an_edited_text_is_found_by_its_new_words_only(member):
    issue = published(visibility=Visibility.PUBLIC)
    entry = make_entry(issue, title="Tin ngắn", body="<p>Khánh thành nhà văn hóa xóm Nà Rị.</p>")
    assert found("nha van hoa na ri", member) == ["Tin ngắn"]

    entry.body = "<p>Nghiệm thu công trình thủy lợi Bản Giốc.</p>"
    entry.save()

    assert found("thuy loi ban gioc", member) == ["Tin ngắn"]
    assert found("nha van hoa na ri", member) == []
    # The heading too.
    entry.title = "Tin vắn"
    entry.save()
    assert found("tin van thuy loi", member) == ["Tin vắn"]
    # The old heading's word is gone: at most a close spelling is offered ("vắn").
    old_word = search("ngan", member)
    assert not old_word or old_word.corrected


def test_a_draft_is_found_once_published_and_no_longer_once_withdrawn(member, chief):
    issue = make_issue(title="Số tháng này", visibility=Visibility.PUBLIC)
    make_entry(issue, title="Hội thi tuyên truyền viên giỏi", body="<p>Vòng chung khảo.</p>")
    make_news_item(
        make_entry(issue, kind="news", title="Tin hoạt động", body=""),
        title="Giao lưu văn nghệ mừng Xuân",
        body="<p>Các chi bộ khối cơ quan giao lưu văn nghệ.</p>",
    )
    assert found("tuyen truyen vien gioi", member) == []
    assert found("giao luu van nghe", member) == []
    # Staff who may preview drafts find them.
    assert found("tuyen truyen vien gioi", chief) == ["Hội thi tuyên truyền viên giỏi"]

    issue.status = Status.APPROVED
    issue.save()
    workflow.perform(issue, "publish", chief)
    assert found("tuyen truyen vien gioi", member) == ["Hội thi tuyên truyền viên giỏi"]
    assert found("giao luu van nghe", AnonymousUser()) == ["Giao lưu văn nghệ mừng Xuân"]

    workflow.perform(issue, "withdraw", chief, comment="Sai số liệu.")
    assert found("tuyen truyen vien gioi", member) == []
    assert found("giao luu van nghe", AnonymousUser()) == []


def test_an_issue_made_members_only_disappears_for_visitors_only(member, client):
    issue = published(visibility=Visibility.PUBLIC)
    make_entry(issue, title="Kết quả Đại hội chi bộ", body="<p>Bầu cấp ủy nhiệm kỳ mới.</p>")
    assert found("bau cap uy nhiem ky", AnonymousUser()) == ["Kết quả Đại hội chi bộ"]

    issue.visibility = Visibility.MEMBERS
    issue.save()

    page = client.get("/search/", {"q": "bau cap uy nhiem ky"}).content.decode()
    assert "Kết quả Đại hội chi bộ" not in page
    assert page.count('class="kind"') == 0
    assert found("bau cap uy nhiem ky", member) == ["Kết quả Đại hội chi bộ"]


def test_deleted_rows_are_never_found(member):
    issue = published(visibility=Visibility.PUBLIC)
    entry = make_entry(issue, title="Thông báo lịch tiếp dân", body="<p>Thứ Năm hằng tuần.</p>")
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    make_news_item(section, title="Ra quân vệ sinh môi trường", body="<p>Toàn thành phố.</p>")
    other = published(visibility=Visibility.PUBLIC)
    make_entry(other, title="Lịch tiếp dân tháng sau", body="<p>Thứ Năm hằng tuần.</p>")

    entry.delete()
    assert found("lich tiep dan", member) == ["Lịch tiếp dân tháng sau"]
    # Deleting the issue takes its entries and news with it (database cascades).
    issue.delete()
    assert found("ve sinh moi truong", member) == []
    assert found("tiep dan thu nam", member) == ["Lịch tiếp dân tháng sau"]


def test_rows_written_in_bulk_are_found(member):
    from news.models import NewsItem

    issue = published(visibility=Visibility.PUBLIC)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    items = [NewsItem(section=section, title=f"Tin số {n}", position=n) for n in range(3)]
    for item in items:
        item.set_search_text(item.title, "Hội nghị sơ kết phong trào thi đua")
    NewsItem.objects.bulk_create(items)
    assert sorted(found("so ket phong trao thi dua", member)) == [
        "Tin số 0",
        "Tin số 1",
        "Tin số 2",
    ]
    NewsItem.objects.filter(title="Tin số 1").update(search_text="tin so 1 le ky niem")
    assert sorted(found("so ket phong trao thi dua", member)) == ["Tin số 0", "Tin số 2"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only")
def test_migrate_gives_a_table_that_lost_its_triggers_its_index_back(member):
    # What SQLite does to a table a migration alters: a copy, without the triggers.
    with connection.cursor() as cursor:
        for table in ("bulletin_entry", "news_newsitem", "documents_document"):
            cursor.execute(f"DROP TRIGGER {table}_fts_inserted")
            cursor.execute(f"DROP TRIGGER {table}_fts_updated")
    issue = published(visibility=Visibility.PUBLIC)
    make_entry(issue, title="Tọa đàm chuyển đổi số", body="<p>Nền tảng số cho chi bộ.</p>")
    assert found("toa dam chuyen doi so", member) == []

    call_command("migrate", verbosity=0)

    assert found("toa dam chuyen doi so", member) == ["Tọa đàm chuyển đổi số"]
