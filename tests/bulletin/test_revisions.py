"""Revisions: every save through the admin is kept; an old one can be compared and restored."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from news.models import NewsItem
from tests.bulletin.adminforms import form_data
from tests.factories import make_issue, make_news_item, make_photo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user(group="Biên tập viên", is_staff=True)
    client.force_login(user)
    return user


def saved_version(obj, user, comment):
    with reversion.create_revision():
        obj.save()
        reversion.set_user(user)
        reversion.set_comment(comment)


def test_restoring_a_news_item_brings_its_photos_back(client, editor):
    item = make_news_item(title="Trao Huy hiệu Đảng")
    kept = make_photo(item, caption="Đại biểu nhận huy hiệu")
    changed = make_photo(item, caption="Chụp ảnh lưu niệm")
    saved_version(item, editor, "Bản đầu")

    # Change one photo, delete the other, add a third: a revision of its own.
    changed.caption = "Chú thích sai"
    changed.save()
    kept.delete()
    make_photo(item, caption="Ảnh thừa")
    item.title = "Tiêu đề đã sửa"
    saved_version(item, editor, "Bản sửa")

    versions = Version.objects.get_for_object(item)
    assert [v.revision.get_comment() for v in versions] == ["Bản sửa", "Bản đầu"]
    history = client.get(reverse("admin:news_newsitem_history", args=[item.pk]))
    page = history.content.decode()
    assert history.status_code == 200
    assert editor.username in page and "Bản đầu" in page

    # Restore the first version through the admin, as an editor would.
    url = reverse("admin:news_newsitem_revision", args=[item.pk, versions[1].pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Trao Huy hiệu Đảng" in form.content.decode()
    response = client.post(url, form_data(form))
    assert response.status_code == 302

    item = NewsItem.objects.get(pk=item.pk)
    assert item.title == "Trao Huy hiệu Đảng"
    assert sorted(item.photos.values_list("caption", flat=True)) == [
        "Chụp ảnh lưu niệm",
        "Đại biểu nhận huy hiệu",
    ]
    assert item.version > 1  # a restore never moves the edit version back


def test_compare_two_versions_shows_the_changed_fields(client, editor):
    item = make_news_item(title="Hội nghị sơ kết", body="<p>Sáng 15/2.</p>")
    saved_version(item, editor, "một")
    item.title = "Hội nghị tổng kết"
    item.body = "<p>Chiều 16/2.</p>"
    saved_version(item, editor, "hai")
    newer, older = Version.objects.get_for_object(item)
    url = reverse("admin:news_newsitem_compare", args=[item.pk])
    response = client.get(url, {"from": older.pk, "to": newer.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>Hội nghị sơ kết</del>" in page and "<ins>Hội nghị tổng kết</ins>" in page
    assert "<del>Sáng 15/2.</del>" in page
    assert response.context["rows"] and len(response.context["rows"]) == 2

    bad = client.get(url, {"from": "x", "to": newer.pk}, follow=True)
    assert bad.status_code == 200
    assert "Hãy chọn hai phiên bản để so sánh." in bad.content.decode()


def test_saving_in_the_admin_records_a_revision_with_its_author(client, editor):
    issue = make_issue(month=8, year=2031)
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    response = client.post(url, form_data(client.get(url), title="Số đặc biệt"))
    assert response.status_code == 302
    version = Version.objects.get_for_object(issue).get()
    assert version.revision.user == editor
    assert version.field_dict["title"] == "Số đặc biệt"


@pytest.mark.parametrize("group", ["Biên tập viên", "Lãnh đạo Ban"])
def test_restoring_an_old_version_cannot_take_a_published_issue_back_to_draft(client, group):
    """reversion writes the old row before building the form; the old row is a draft, so the
    restore must be judged on the issue as it is now, or it unpublishes past the workflow."""
    from django.utils import timezone

    from bulletin.models import Issue, Status

    user = make_user(group=group, is_staff=True)
    client.force_login(user)
    issue = make_issue(month=7, year=2024)
    saved_version(issue, user, "Bản nháp")
    Issue.objects.filter(pk=issue.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    version = Version.objects.get_for_object(issue).get()
    url = reverse("admin:bulletin_issue_revision", args=[issue.pk, version.pk])

    for response in (client.get(url), client.post(url, {"month": 7, "year": 2024})):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:bulletin_issue_history", args=[issue.pk])
        issue.refresh_from_db()
        assert issue.status == Status.PUBLISHED and issue.published_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "không thể sửa nội dung nữa" in page


def test_the_restore_page_speaks_vietnamese(client, editor):
    item = make_news_item(title="Hội nghị sơ kết")
    saved_version(item, editor, "một")
    version = Version.objects.get_for_object(item).get()
    response = client.get(reverse("admin:news_newsitem_revision", args=[item.pk, version.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Khôi phục Hội nghị sơ kết" in page and "bấm thì chưa có gì thay đổi" in page
    assert "Revert" not in page and "Press the save button" not in page


def test_the_history_names_changed_fields_in_vietnamese(client, editor):
    item = make_news_item(title="Hội nghị sơ kết")
    url = reverse("admin:news_newsitem_change", args=[item.pk])
    response = client.post(url, form_data(client.get(url), title="Hội nghị tổng kết"))
    assert response.status_code == 302
    page = client.get(reverse("admin:news_newsitem_history", args=[item.pk])).content.decode()
    assert "Đã thay đổi Tiêu đề." in page
    assert "Title" not in page


def test_compare_leaves_out_bookkeeping_and_shows_times_in_local_time():
    import datetime

    from django.utils import timezone

    from bulletin.models import Issue
    from core import revisions

    at = datetime.datetime(2024, 7, 1, 1, 30, tzinfo=datetime.UTC)
    rows = revisions.diff(
        Issue,
        {"content_changed_at": at, "published_at": None},
        {"content_changed_at": at + datetime.timedelta(hours=1), "published_at": at},
    )
    assert len(rows) == 1
    label, before, after = rows[0]
    assert before == "—"
    assert "+00:00" not in after and "08:30" in after  # Asia/Ho_Chi_Minh
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
