"""The issue page is cached by ETag; any change to what it prints must show at once."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import EntryKind, Footnote, Status, Visibility
from tests.factories import make_entry, make_issue, make_news_item, make_photo

pytestmark = pytest.mark.django_db


def published_public_issue():
    return make_issue(
        month=6,
        year=2024,
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_a_changed_photo_caption_shows_on_the_cached_page(client):
    issue = published_public_issue()
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    photo = make_photo(make_news_item(section), caption="Các đại biểu trồng cây")
    first = client.get(issue.get_absolute_url())
    assert "Các đại biểu trồng cây" in first.content.decode()

    photo.caption = "Đồng chí Bí thư Thành ủy trao Huy hiệu Đảng"
    photo.save()
    second = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "Đồng chí Bí thư Thành ủy trao Huy hiệu Đảng" in second.content.decode()


def test_a_new_footnote_shows_on_the_cached_page(client):
    issue = published_public_issue()
    entry = make_entry(issue, body='<p>Văn bản<sup class="footnote-ref">1</sup></p>')
    first = client.get(issue.get_absolute_url())

    Footnote.objects.create(entry=entry, position=1, text="<p>Kết luận số 21-KL/TW</p>")
    second = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert second.status_code == 200
    assert "Kết luận số 21-KL/TW" in second.content.decode()


def test_an_unchanged_issue_answers_not_modified(client):
    issue = published_public_issue()
    make_entry(issue)
    first = client.get(issue.get_absolute_url())
    again = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304
