"""A member's account comes from the cache (core/auth.py), yet every change to it shows at the
member's next request: a new password, a deactivation, a group taken away."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.offline import offline_cache_id
from tests.factories import make_user
from tests.site_data import INTERNAL_TITLE, build_site

pytestmark = pytest.mark.django_db

MEMBERS_ONLY_ISSUE = "/thanh-uy/issues/2024/6/"
PDF_LINK = "/thanh-uy/issues/2024/6/pdf/"


def logged_in(username, password="pw-for-tests"):
    """A browser that logged in through the login form, as a member does."""
    browser = Client()
    response = browser.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def html(browser, url):
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def offline_id_in(text):
    return re.search(r'data-offline-cache="([^"]*)"', text).group(1)


def assert_sent_to_login(browser, url):
    response = browser.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "Đăng nhập" in html(browser, "/")


def test_a_members_second_page_costs_no_query_and_is_still_their_own():
    build_site()
    member = make_user("nguyenvana", group="Đảng viên")
    browser = logged_in("nguyenvana")
    html(browser, "/thanh-uy/issues/")  # the session, the account and the page now cached
    html(browser, MEMBERS_ONLY_ISSUE)  # rendered
    html(browser, MEMBERS_ONLY_ISSUE)  # from the cache: its issue looked up once

    with CaptureQueriesContext(connection) as queries:
        text = html(browser, "/thanh-uy/issues/")
    assert queries.captured_queries == []
    assert "Đăng xuất" in text  # a member's page, not a visitor's
    assert offline_id_in(text) == offline_cache_id(member)

    with CaptureQueriesContext(connection) as queries:
        issue_page = html(browser, MEMBERS_ONLY_ISSUE)
    assert INTERNAL_TITLE in issue_page
    # Nor the issue page, whose reading was recorded a moment ago (members/signals.py).
    assert queries.captured_queries == []
    # The logout button's token, which the page's script takes from the member's cookie, is
    # accepted.
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = browser.cookies
    token = browser.cookies["csrftoken"].value
    assert strict.post("/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Đăng nhập" in html(strict, "/")


def test_a_password_changed_in_another_browser_logs_this_one_out():
    build_site()
    make_user("tranthib", group="Đảng viên")
    phone, office = logged_in("tranthib"), logged_in("tranthib")
    assert INTERNAL_TITLE in html(phone, MEMBERS_ONLY_ISSUE)

    response = office.post(
        "/password_change/",
        {
            "old_password": "pw-for-tests",
            "new_password1": "Mật-khẩu-mới-2024",
            "new_password2": "Mật-khẩu-mới-2024",
        },
    )
    assert response.status_code == 302
    assert INTERNAL_TITLE in html(office, MEMBERS_ONLY_ISSUE)  # the browser that changed it
    assert_sent_to_login(phone, MEMBERS_ONLY_ISSUE)


def test_a_deactivated_member_gets_the_login_page_at_the_next_request():
    build_site()
    member = make_user("lethic", group="Đảng viên")
    browser = logged_in("lethic")
    assert INTERNAL_TITLE in html(browser, MEMBERS_ONLY_ISSUE)

    member.is_active = False
    member.save()
    assert_sent_to_login(browser, MEMBERS_ONLY_ISSUE)


def test_a_deleted_account_is_logged_out():
    build_site()
    member = make_user("phamvand", group="Đảng viên")
    browser = logged_in("phamvand")
    assert INTERNAL_TITLE in html(browser, MEMBERS_ONLY_ISSUE)
    member.delete()
    assert_sent_to_login(browser, MEMBERS_ONLY_ISSUE)


@pytest.mark.parametrize(
    "take_away",
    [
        pytest.param(lambda user, group: user.groups.remove(group), id="user.groups.remove"),
        pytest.param(lambda user, group: group.user_set.remove(user), id="group.user_set.remove"),
        pytest.param(lambda user, group: user.groups.clear(), id="user.groups.clear"),
        pytest.param(lambda user, group: group.user_set.clear(), id="group.user_set.clear"),
        pytest.param(
            lambda user, group: group.permissions.remove(
                Permission.objects.get(codename="export_pdf")
            ),
            id="group.permissions.remove",
        ),
        pytest.param(
            lambda user, group: Permission.objects.get(codename="export_pdf").group_set.clear(),
            id="permission.group_set.clear",
        ),
    ],
)
def test_a_member_whose_group_is_taken_away_loses_what_it_gave_at_once(take_away):
    build_site()
    official = make_user("hoangthie", group="Cán bộ")  # officials may export the PDF
    browser = logged_in("hoangthie")
    assert PDF_LINK in html(browser, MEMBERS_ONLY_ISSUE)

    take_away(official, Group.objects.get(name="Cán bộ"))
    text = html(browser, MEMBERS_ONLY_ISSUE)
    assert INTERNAL_TITLE in text  # still a member: any active account reads members' issues
    assert PDF_LINK not in text
    assert browser.get(PDF_LINK).status_code in (302, 403)


def test_a_member_given_a_group_gets_what_it_gives_at_once():
    build_site()
    member = make_user("vuthif", group="Đảng viên")
    browser = logged_in("vuthif")
    assert PDF_LINK not in html(browser, MEMBERS_ONLY_ISSUE)
    member.groups.add(Group.objects.get(name="Cán bộ"))
    assert PDF_LINK in html(browser, MEMBERS_ONLY_ISSUE)


def test_a_permission_given_to_the_member_alone_shows_and_goes_at_once():
    build_site()
    member = make_user("dangvanm", group="Đảng viên")
    browser = logged_in("dangvanm")
    export_pdf = Permission.objects.get(codename="export_pdf")
    assert PDF_LINK not in html(browser, MEMBERS_ONLY_ISSUE)
    member.user_permissions.add(export_pdf)
    assert PDF_LINK in html(browser, MEMBERS_ONLY_ISSUE)
    export_pdf.user_set.remove(member)
    assert PDF_LINK not in html(browser, MEMBERS_ONLY_ISSUE)


def test_one_members_cached_account_never_answers_anothers_request():
    build_site()
    first_user = make_user("dothig", group="Đảng viên")
    second_user = make_user("buivanh", group="Cán bộ")
    first, second = logged_in("dothig"), logged_in("buivanh")
    for _round in range(3):  # both accounts cached, pages served from the cache in turn
        first_page = html(first, MEMBERS_ONLY_ISSUE)
        second_page = html(second, MEMBERS_ONLY_ISSUE)
        assert offline_id_in(first_page) == offline_cache_id(first_user)
        assert offline_id_in(second_page) == offline_cache_id(second_user)
        assert PDF_LINK not in first_page and PDF_LINK in second_page

    # The first member deactivated: only they are logged out.
    first_user.is_active = False
    first_user.save()
    assert_sent_to_login(first, MEMBERS_ONLY_ISSUE)
    assert offline_id_in(html(second, MEMBERS_ONLY_ISSUE)) == offline_cache_id(second_user)


def test_a_cache_entry_holding_another_account_is_never_used():
    from django.core.cache import cache

    from core.auth import account_cache_key

    build_site()
    victim = make_user("ngothik", group="Đảng viên")
    intruder = make_user("lyvanl", group="Cán bộ")
    browser = logged_in("ngothik")
    html(browser, MEMBERS_ONLY_ISSUE)
    # Whatever put it there (a bug, a restored dump of the cache), the copy is of someone else.
    copy = cache.get(account_cache_key(intruder.pk)) or _cached_copy_of(intruder)
    cache.set(account_cache_key(victim.pk), copy)
    text = html(browser, MEMBERS_ONLY_ISSUE)
    assert offline_id_in(text) == offline_cache_id(victim)
    assert PDF_LINK not in text


def _cached_copy_of(user):
    from django.core.cache import cache

    from core.auth import CachedModelBackend, account_cache_key

    CachedModelBackend().get_user(user.pk)
    return cache.get(account_cache_key(user.pk))
