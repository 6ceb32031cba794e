"""Reading in a mountain commune: issues opened with a network stay readable without one, for
the member who opened them only, and nothing is left after logging out."""

import io
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bulletin.models import EntryKind, Visibility
from core.roles import Role, grant_roles
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_entry, make_news_item, make_photo, make_user
from tests.site_data import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-doc-ngoai-tuyen"


def photo_file(colour, name):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def members_issue(month, colour):
    issue = published(year=2024, month=month, visibility=Visibility.MEMBERS)
    make_entry(
        issue, title=f"Bài chính tháng {month}", body=f"<p>Nội dung riêng tháng {month}.</p>"
    )
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    news = make_news_item(section, title=f"Hội nghị chi bộ tháng {month}")
    make_photo(
        news, caption=f"Ảnh hội nghị tháng {month}", image=photo_file(colour, f"t{month}.jpg")
    )
    return issue


def wait_until(page, script, timeout=15):
    """Poll ``script`` (a JS function returning a promise of a boolean) in the page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(script):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"still false after {timeout} s: {script}")


SAVED_PAGES = """async () => {
  const names = (await caches.keys()).filter((n) => n.startsWith("bantin-user-"));
  if (names.length !== 1) return [];
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map((r) => new URL(r.url).pathname);
}"""

USER_CACHES = """async () => (await caches.keys()).filter((n) => n.startsWith("bantin-user-"))"""


def text_offline(page, url):
    """The text the browser shows for ``url`` with no network: the page if something answered
    it, else the browser's own "no internet" page."""
    from playwright.sync_api import Error

    try:
        page.goto(url)
    except Error as error:
        assert "ERR_INTERNET_DISCONNECTED" in str(error) or "ERR_FAILED" in str(error), error
    page.wait_for_load_state()
    return page.locator("body").inner_text()


def photos_shown(page):
    images = page.locator("figure.photo img")
    assert images.count() == 1
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )


def test_opened_issues_stay_readable_offline_until_logout(live_server, browser):
    grant_roles(Group, Permission)
    june, may = members_issue(6, (160, 30, 30)), members_issue(5, (30, 120, 60))
    make_user("dangvien_nui", group=Role.MEMBER.value, password=PASSWORD)

    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/login/")
    page.get_by_label("Tên đăng nhập").fill("dangvien_nui")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    for issue in (june, may):
        page.goto(live_server.url + issue.get_absolute_url())
        photos_shown(page)
        assert page.locator("[data-offline-banner]").is_hidden()
    june_path, may_path = june.get_absolute_url(), may.get_absolute_url()
    wait_until(
        page,
        f"""async () => {{
          const saved = await ({SAVED_PAGES})();
          return saved.includes("{june_path}") && saved.includes("{may_path}")
            && saved.filter((p) => p.startsWith("/media/")).length >= 2;
        }}""",
    )

    context.set_offline(True)
    for issue, month in ((june, 6), (may, 5)):
        page.goto(live_server.url + issue.get_absolute_url())
        assert page.get_by_text(f"Nội dung riêng tháng {month}.").is_visible()
        banner = page.locator("[data-offline-banner]")
        assert banner.is_visible()
        assert "Đang đọc bản lưu ngoại tuyến" in banner.inner_text()
        assert "2" in banner.locator("time").inner_text()  # a date, e.g. 30/11/2026 ...
        photos_shown(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"offline-issue-{month}.png"), full_page=True)

    # Back online: logging out deletes the copies; offline again, nothing members-only shows.
    context.set_offline(False)
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert page.get_by_role("link", name="Đăng nhập", exact=True).is_visible()
    wait_until(page, f"async () => (await ({USER_CACHES})()).length === 0")
    context.set_offline(True)
    for issue in (june, may):
        shown = text_offline(page, live_server.url + issue.get_absolute_url())
        assert "Nội dung riêng tháng" not in shown and "Hội nghị chi bộ" not in shown
    context.set_offline(False)

    # Every request went to the site itself: no fonts, scripts or images from elsewhere.
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), {
        url for url in requested if not url.startswith(live_server.url)
    }
    context.close()


def test_a_disabled_account_loses_its_copies_at_the_next_visit(live_server, browser):
    grant_roles(Group, Permission)
    june = members_issue(6, (160, 30, 30))
    member = make_user("dangvien_khoa", group=Role.MEMBER.value, password=PASSWORD)

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("Tên đăng nhập").fill("dangvien_khoa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(live_server.url + june.get_absolute_url())
    wait_until(page, f"async () => (await ({SAVED_PAGES})()).includes('{june.get_absolute_url()}')")

    member.is_active = False
    member.save()
    # The cached URL now answers with a redirect to the login page: the copy goes.
    page.goto(live_server.url + june.get_absolute_url())
    page.wait_for_url("**/login/**")
    wait_until(page, f"async () => (await ({USER_CACHES})()).length === 0")
    context.set_offline(True)
    assert "Nội dung riêng tháng 6" not in text_offline(
        page, live_server.url + june.get_absolute_url()
    )
    context.close()
