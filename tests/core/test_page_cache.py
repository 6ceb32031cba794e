"""Reader pages come from the cache until what they show changes, and never carry one
reader's page to another audience or another reader's CSRF token."""

import datetime
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bulletin.models import Entry, EntryKind, Issue, Status, Visibility
from documents.models import Abbreviation
from tests.factories import make_entry, make_issue, make_news_item, make_user
from tests.site_data import INTERNAL_TITLE, PUBLIC_TITLE, build_site

pytestmark = pytest.mark.django_db

READER_PAGES = [
    "/",
    "/thanh-uy/",
    "/thanh-uy/issues/",
    "/thanh-uy/issues/2024/",
    "/thanh-uy/issues/2024/5/",
    "/news/",
    "/documents/",
]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_pages_come_from_the_cache_until_a_save_changes_them(client):
    site = build_site()
    entry = site["public"]["issue"].entries.get(kind=EntryKind.DOCUMENT)
    assert "Tóm tắt văn bản public." in page(client, "/thanh-uy/issues/2024/5/")

    # Written behind the application's back (no signal): the cached page is still served,
    # which shows that the page did come from the cache.
    Entry.objects.filter(pk=entry.pk).update(body_html="<p>Sửa thẳng trong cơ sở dữ liệu.</p>")
    assert "Tóm tắt văn bản public." in page(client, "/thanh-uy/issues/2024/5/")

    entry.body = "<p>Tóm tắt đã biên tập lại.</p>"
    entry.save()
    assert "Tóm tắt đã biên tập lại." in page(client, "/thanh-uy/issues/2024/5/")


def test_a_news_edit_shows_on_the_home_page_and_news_list(client):
    site = build_site()
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/news/")
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/")
    news = site["public"]["news"]
    news.title = "Tin công khai về hội nghị báo cáo viên"
    news.save()
    assert "Tin công khai về hội nghị báo cáo viên" in page(client, "/news/")
    assert "Tin công khai về hội nghị báo cáo viên" in page(client, "/")


def test_a_scheduled_issue_appears_at_its_minute_without_any_save(client):
    build_site()
    publication = timezone.now() + datetime.timedelta(hours=2)
    make_issue(
        year=2024,
        month=9,
        title="Số hẹn giờ tháng chín",
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=publication,
    )
    assert "Tháng 9 năm 2024" not in page(client, "/thanh-uy/issues/")
    assert client.get("/thanh-uy/issues/2024/9/").status_code == 302  # to log in: not yet published

    real_now = timezone.now
    with mock.patch(
        "django.utils.timezone.now", lambda: publication - datetime.timedelta(seconds=1)
    ):
        assert "Tháng 9 năm 2024" not in page(client, "/thanh-uy/issues/")
    with mock.patch("django.utils.timezone.now", lambda: publication):
        assert "Tháng 9 năm 2024" in page(client, "/thanh-uy/issues/")
        assert "Số hẹn giờ tháng chín" in page(client, "/thanh-uy/issues/2024/9/")
    assert timezone.now is real_now


def test_a_withdrawn_issue_leaves_every_page(client):
    site = build_site()
    assert PUBLIC_TITLE in page(client, "/thanh-uy/issues/2024/5/")
    assert "Tháng 5 năm 2024" in page(client, "/thanh-uy/issues/")
    site["public"]["issue"].withdraw(by=make_user(group="Lãnh đạo Ban"))
    assert "Tháng 5 năm 2024" not in page(client, "/thanh-uy/issues/")
    assert client.get("/thanh-uy/issues/2024/5/").status_code == 302
    assert "Tin public" not in page(client, "/news/")


def test_an_issue_made_members_only_leaves_the_anonymous_pages(client):
    site = build_site()
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/news/")
    issue = site["public"]["issue"]
    issue.visibility = Visibility.MEMBERS
    issue.save()
    assert "Tin public trao Huy hiệu Đảng" not in page(client, "/news/")
    assert "Tháng 5 năm 2024" not in page(client, "/thanh-uy/issues/")


def test_refreshing_derived_texts_renews_the_pages(client):
    issue = make_issue(
        year=2024,
        month=5,
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    make_entry(issue, body="<p>Hội nghị BCV toàn tỉnh.</p>")
    assert "Báo cáo viên" not in page(client, "/thanh-uy/issues/2024/5/")
    Abbreviation.objects.create(abbreviation="BCV", meaning="Báo cáo viên")
    call_command("refresh_derived", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Báo cáo viên" in page(client, "/thanh-uy/issues/2024/5/")


@pytest.mark.parametrize("url", READER_PAGES)
def test_a_members_cached_page_never_reaches_an_anonymous_visitor(client, url):
    build_site()
    member = Client()
    member.force_login(make_user("nguyenvana", group="Đảng viên"))
    member_html = page(member, url)
    anonymous_html = page(client, url)
    assert "csrfmiddlewaretoken" in member_html
    assert "csrfmiddlewaretoken" not in anonymous_html
    assert INTERNAL_TITLE not in anonymous_html
    assert "Tháng 6 năm 2024" not in anonymous_html
    assert "Đăng nhập" in anonymous_html


def test_the_members_archive_shows_members_only_issues_from_the_cache(client):
    build_site()
    page(client, "/thanh-uy/issues/")  # the anonymous page is cached first
    member = Client()
    member.force_login(make_user(group="Đảng viên"))
    assert "Tháng 6 năm 2024" in page(member, "/thanh-uy/issues/")


def csrf_token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def logged_in_through_the_form(username):
    """A browser that checks CSRF tokens as a real one is checked, logged in through the login
    form: it holds the CSRF cookie Django set then."""
    make_user(username, group="Đảng viên")
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token_in(page(browser, "/login/"))
    response = browser.post(
        "/login/", {"username": username, "password": "pw-for-tests", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return browser


def test_a_cached_page_holds_no_ones_csrf_token_and_each_member_logs_out_with_their_own():
    build_site()
    first, second = logged_in_through_the_form("tranthib"), logged_in_through_the_form("lethic")
    first_html = page(first, "/thanh-uy/issues/")
    second_html = page(second, "/thanh-uy/issues/")  # from the cache
    assert "tranthib" not in second_html
    for html in (first_html, second_html):
        # The header's logout field names the cookie its script fills it from, and has no value.
        assert '<input type="hidden" name="csrfmiddlewaretoken" data-csrf-cookie="csrftoken">' in (
            html
        )
        assert 'name="csrfmiddlewaretoken" value=' not in html

    # What static/js/csrf-cookie.js sends: the member's own cookie. Another member's is refused.
    first_cookie, second_cookie = (b.cookies["csrftoken"].value for b in (first, second))
    assert second.post("/logout/", {"csrfmiddlewaretoken": first_cookie}).status_code == 403
    assert second.post("/logout/", {"csrfmiddlewaretoken": second_cookie}).status_code == 302
    assert "Đăng nhập" in page(second, "/thanh-uy/issues/")
    assert first.post("/logout/", {"csrfmiddlewaretoken": first_cookie}).status_code == 302


def test_the_logout_button_sent_without_a_token_gets_the_logout_page_that_asks_again():
    """No script, or no CSRF cookie: the refusal is the logout page, whose button works."""
    build_site()
    member = logged_in_through_the_form("tranthib")
    member.cookies.pop("csrftoken")
    refused = member.post("/logout/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Bạn đang đăng nhập với tên tranthib." in html
    assert member.post("/logout/", {"csrfmiddlewaretoken": csrf_token_in(html)}).status_code == 302
    assert "Đăng nhập" in page(member, "/thanh-uy/issues/")


def test_other_forms_without_a_token_are_refused_as_django_refuses_them(client):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Bạn đang đăng nhập với tên" not in response.content.decode()


@pytest.mark.urls("tests.core.page_cache_urls")
def test_a_cached_page_with_a_csrf_token_gets_each_readers_own():
    """A reader page that someday renders {% csrf_token %} is still never served with another
    reader's token: the page cache cuts it out and puts the current reader's in."""
    build_site()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user("tranthib", group="Đảng viên"))
    second.force_login(make_user("lethic", group="Đảng viên"))
    first_token = csrf_token_in(page(first, "/form/"))
    second_token = csrf_token_in(page(second, "/form/"))  # from the cache
    assert first_token != second_token
    assert second.post("/logout/", {"csrfmiddlewaretoken": first_token}).status_code == 403
    assert second.post("/logout/", {"csrfmiddlewaretoken": second_token}).status_code == 302


def test_members_who_may_export_pdfs_and_those_who_may_not_get_their_own_pages():
    build_site()
    official, member = Client(), Client()
    official.force_login(make_user(group="Cán bộ"))
    member.force_login(make_user(group="Đảng viên"))
    assert "/thanh-uy/issues/2024/5/pdf/" in page(official, "/thanh-uy/issues/2024/5/")
    assert "/thanh-uy/issues/2024/5/pdf/" not in page(member, "/thanh-uy/issues/2024/5/")


def test_staff_who_preview_drafts_are_never_served_a_readers_page(client):
    build_site()
    page(client, "/thanh-uy/issues/")
    staff = Client()
    staff.force_login(make_user(is_staff=True, group="Biên tập viên"))
    assert "Tháng 7 năm 2024" in page(staff, "/thanh-uy/issues/")  # the draft
    assert "Tháng 7 năm 2024" not in page(client, "/thanh-uy/issues/")


def test_an_unchanged_page_answers_not_modified_and_a_changed_one_does_not(client):
    site = build_site()
    first = client.get("/news/")
    again = client.get("/news/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_news_item(site["public"]["news"].section, title="Tin mới về lớp bồi dưỡng")
    changed = client.get("/news/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Tin mới về lớp bồi dưỡng" in changed.content.decode()


def test_a_page_with_a_message_is_not_taken_from_or_put_in_the_cache(client):
    build_site()
    member = Client()
    member.force_login(make_user(group="Đảng viên"))
    page(member, "/thanh-uy/issues/")
    response = member.post("/logout/")
    assert response.status_code == 302
    assert "Đăng nhập" in page(member, "/thanh-uy/issues/")
    assert Issue.objects.count() == 3


def test_unknown_query_parameters_are_served_but_never_fill_the_cache(client):
    from news.models import NewsItem

    site = build_site()
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/news/")
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/news/?utm_source=zalo")
    NewsItem.objects.filter(pk=site["public"]["news"].pk).update(title="Tin sửa ngầm")
    assert "Tin public trao Huy hiệu Đảng" in page(client, "/news/")  # from the cache
    assert "Tin sửa ngầm" in page(client, "/news/?utm_source=zalo")  # computed every time
    assert "Tin sửa ngầm" in page(client, "/news/?page=1&page=2")
