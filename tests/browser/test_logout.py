"""The header's logout button on pages that many members share (served from the page cache): its
CSRF token comes from the member's own cookie (static/js/csrf-cookie.js); without the script,
the logout page asks again and its button works."""

import pytest

from tests.browser.test_editorial import ensure_roles, orm_beside_playwright
from tests.factories import make_user
from tests.site_data import import_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-doc-ban-tin"


def log_in(page, base, username):
    page.goto(base + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base + "/")


def assert_logged_out(page, base):
    page.goto(base + "/thanh-uy/issues/")
    assert page.get_by_role("link", name="Đăng nhập", exact=True).is_visible()
    assert page.get_by_role("button", name="Đăng xuất").count() == 0


@pytest.fixture(scope="module", autouse=True)
def roles_back(django_db_setup, django_db_blocker):
    """The flush after each transactional test removes the groups the migrations create; the
    browser tests that follow log in with them (as in test_editorial)."""
    yield
    with orm_beside_playwright(), django_db_blocker.unblock():
        ensure_roles()


@pytest.fixture
def members():
    ensure_roles()
    import_samples()
    make_user("dangvien1", group="Đảng viên", password=PASSWORD)
    make_user("dangvien2", group="Đảng viên", password=PASSWORD)


def test_the_header_button_logs_out_from_a_page_another_member_had_cached(
    live_server, browser, members
):
    other = browser.new_context(locale="vi-VN")
    other_page = other.new_page()
    log_in(other_page, live_server.url, "dangvien2")
    other_page.goto(live_server.url + "/thanh-uy/issues/")  # now in the page cache

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, "dangvien1")
    page.goto(live_server.url + "/thanh-uy/issues/")  # the same page, from the cache
    with page.expect_navigation():  # offline.js forgets the copies, then sends the form
        page.get_by_role("button", name="Đăng xuất").click()
    assert_logged_out(page, live_server.url)

    # The other member is still logged in, and logs out the same way.
    other_page.goto(live_server.url + "/thanh-uy/issues/")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Đăng xuất").click()
    assert_logged_out(other_page, live_server.url)
    context.close()
    other.close()


def test_without_scripts_the_header_button_leads_to_the_logout_page(live_server, browser, members):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "dangvien1")
    page.goto(live_server.url + "/thanh-uy/issues/")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert page.get_by_text("Bạn đang đăng nhập với tên dangvien1.").is_visible()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Đăng xuất").click()
    assert_logged_out(page, live_server.url)
    context.close()
