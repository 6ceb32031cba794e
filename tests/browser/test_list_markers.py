"""The issue page prints list markers as the bulletin does: "-" and "+", never bullets."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import Status, Visibility
from tests.browser.test_editorial import ensure_roles, orm_beside_playwright
from tests.factories import make_entry, make_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def roles_back(django_db_setup, django_db_blocker):
    """The flush after this module's transactional test removes the groups the migrations
    create; the browser tests that follow log in with them (as in test_editorial)."""
    yield
    with orm_beside_playwright(), django_db_blocker.unblock():
        ensure_roles()


BODY = (
    '<ul class="list-dash"><li>Tăng cường tuyên truyền.</li></ul>'
    '<ul class="list-plus"><li>Sinh hoạt chuyên đề.</li></ul>'
    "<ul><li>Mức một<ul><li>Mức hai</li></ul></li></ul>"
)


def test_lists_show_dashes_and_pluses(live_server, page, screenshot):
    issue = make_issue(
        month=5,
        year=2031,
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    make_entry(issue, title="Nhiệm vụ trọng tâm", body=BODY)
    page.goto(live_server.url + issue.get_absolute_url())
    markers = page.evaluate(
        """() => [...document.querySelectorAll('.prose li')].map(li => [
            li.firstChild.textContent.trim(), getComputedStyle(li).listStyleType])"""
    )
    screenshot("issue-list-markers")
    assert markers == [
        ["Tăng cường tuyên truyền.", '"- "'],
        ["Sinh hoạt chuyên đề.", '"+ "'],
        ["Mức một", '"- "'],
        ["Mức hai", '"+ "'],
    ]
