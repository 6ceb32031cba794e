"""Deleting an inline entry or photo from a page opened before someone else's change is refused
like a stale edit: the conflict message, nothing deleted."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletin.models import Entry
from news.models import Photo
from tests.bulletin.adminforms import form_data
from tests.factories import make_entry, make_issue, make_news_item, make_photo, make_user

pytestmark = pytest.mark.django_db

CONFLICT = "Người khác đã thay đổi nội dung này trong lúc bạn đang sửa"


@pytest.fixture
def editors():
    first, second = Client(), Client()
    first.force_login(make_user("bientap1", group="Biên tập viên", is_staff=True))
    second.force_login(make_user("bientap2", group="Biên tập viên", is_staff=True))
    return first, second


def test_deleting_an_entry_changed_on_its_own_page_meanwhile_is_refused(editors):
    first, second = editors
    issue = make_issue(month=8, year=2031)
    entry = make_entry(issue, title="Mục một")
    issue_url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    stale = second.get(issue_url)
    entry_url = reverse("admin:bulletin_entry_change", args=[entry.pk])
    edited = first.post(entry_url, form_data(first.get(entry_url), title="Mục một (đã sửa)"))
    assert edited.status_code == 302

    refused = second.post(issue_url, form_data(stale, **{"entries-0-DELETE": "on"}))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    assert Entry.objects.get(pk=entry.pk).title == "Mục một (đã sửa)"

    # Having seen the change, the editor may delete it.
    again = second.post(issue_url, form_data(refused, **{"entries-0-DELETE": "on"}))
    assert again.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_deleting_an_entry_changed_inline_meanwhile_is_refused(editors):
    first, second = editors
    issue = make_issue(month=9, year=2031)
    entry = make_entry(issue, title="Mục một")
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    page_a, page_b = first.get(url), second.get(url)
    saved = first.post(url, form_data(page_a, **{"entries-0-title": "Sửa lần một"}))
    assert saved.status_code == 302

    refused = second.post(url, form_data(page_b, **{"entries-0-DELETE": "on"}))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    assert Entry.objects.get(pk=entry.pk).title == "Sửa lần một"


def test_deleting_a_photo_changed_meanwhile_is_refused(editors):
    """Photos have no version of their own: the news item's version guards them."""
    first, second = editors
    item = make_news_item()
    photo = make_photo(item, caption="Chú thích cũ")
    url = reverse("admin:news_newsitem_change", args=[item.pk])
    page_a, page_b = first.get(url), second.get(url)
    saved = first.post(url, form_data(page_a, **{"photos-0-caption": "Chú thích mới"}))
    assert saved.status_code == 302, saved.content.decode()[:500]

    refused = second.post(url, form_data(page_b, **{"photos-0-DELETE": "on"}))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "Chú thích mới"


def test_deleting_from_an_up_to_date_page_works(editors):
    first, _ = editors
    item = make_news_item()
    photo = make_photo(item, caption="Ảnh thừa")
    url = reverse("admin:news_newsitem_change", args=[item.pk])

    response = first.post(url, form_data(first.get(url), **{"photos-0-DELETE": "on"}))

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
