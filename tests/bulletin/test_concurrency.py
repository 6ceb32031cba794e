"""No lost update: two people edit the same thing; the second save is stopped, input kept."""

import pytest
from django.urls import reverse

from bulletin.models import Entry
from documents.models import Document
from news.models import NewsItem
from tests.bulletin.adminforms import form_data
from tests.factories import make_document, make_entry, make_issue, make_news_item, make_user

pytestmark = pytest.mark.django_db

CONFLICT = "Người khác đã thay đổi nội dung này trong lúc bạn đang sửa"


@pytest.fixture
def editors(client, django_user_model):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(make_user("bientap1", group="Biên tập viên", is_staff=True))
    second.force_login(make_user("bientap2", group="Biên tập viên", is_staff=True))
    return first, second


def test_second_save_of_an_issue_is_refused_and_keeps_the_input(editors):
    first, second = editors
    issue = make_issue(month=5, year=2031)
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    page_a, page_b = first.get(url), second.get(url)

    saved = first.post(url, form_data(page_a, title="Tiêu đề của người thứ nhất"))
    assert saved.status_code == 302
    refused = second.post(url, form_data(page_b, title="Tiêu đề của người thứ hai"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Tiêu đề của người thứ hai" in page  # their input is still in the form
    issue.refresh_from_db()
    assert issue.title == "Tiêu đề của người thứ nhất"
    assert issue.version == 2

    # Having seen the other change, the second person saves again and it goes through.
    again = second.post(url, form_data(refused, title="Tiêu đề của người thứ hai"))
    assert again.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Tiêu đề của người thứ hai"
    assert issue.version == 3


@pytest.mark.parametrize(
    ("model", "make", "field", "values"),
    [
        (Entry, make_entry, "title", ("Bài của người một", "Bài của người hai")),
        (NewsItem, make_news_item, "title", ("Tin của người một", "Tin của người hai")),
        (Document, make_document, "subject", ("trích yếu một", "trích yếu hai")),
    ],
)
def test_entries_news_and_documents_are_protected_too(editors, model, make, field, values):
    first, second = editors
    obj = make()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page_a, page_b = first.get(url), second.get(url)
    assert page_a.status_code == 200
    assert first.post(url, form_data(page_a, **{field: values[0]})).status_code == 302
    refused = second.post(url, form_data(page_b, **{field: values[1]}))
    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    assert values[1] in refused.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == values[0]


def test_an_entry_edited_inline_on_the_issue_page_is_protected(editors):
    first, second = editors
    issue = make_issue(month=7, year=2031)
    entry = make_entry(issue, title="Mục một")
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    page_a, page_b = first.get(url), second.get(url)
    assert (
        first.post(url, form_data(page_a, **{"entries-0-title": "Sửa lần một"})).status_code == 302
    )
    refused = second.post(url, form_data(page_b, **{"entries-0-title": "Sửa lần hai"}))
    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    entry.refresh_from_db()
    assert entry.title == "Sửa lần một"
