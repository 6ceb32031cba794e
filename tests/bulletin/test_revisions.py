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
