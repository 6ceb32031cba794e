"""A member reads the bulletin in Chromium: logs in, follows the contents, searches, reads."""

import pytest

from tests.factories import make_user
from tests.site_data import import_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_reads_searches_and_opens_a_document(live_server, page, screenshot):
    import_samples()
    make_user("dangvien", group="Đảng viên", password="mat-khau-doc-ban-tin")

    page.goto(live_server.url + "/")
    screenshot("member-home-anonymous")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("dangvien")
    page.get_by_label("Mật khẩu").fill("mat-khau-doc-ban-tin")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    screenshot("member-home")

    # The latest issue (June 2024) and its contents.
    page.locator("main").get_by_role("link", name="Tháng 6 năm 2024").first.click()
    page.wait_for_url("**/thanh-uy/issues/2024/6/")
    assert page.locator("h1").inner_text() == "TÀI LIỆU PHỤC VỤ SINH HOẠT CHI BỘ" or (
        "Tài liệu phục vụ sinh hoạt chi bộ" in page.locator("h1").inner_text()
    )
    contents = page.locator("nav.contents > ol > li > a")
    assert contents.count() >= 2
    second = contents.nth(1)
    target = second.get_attribute("href")
    second.click()
    page.wait_for_url("**" + target)
    heading = page.locator(target + " h2").first
    assert heading.is_visible()
    assert heading.bounding_box()["y"] < page.viewport_size["height"]
    screenshot("member-issue")

    # On a phone, the issue page has no horizontal scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/thanh-uy/issues/2024/6/")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    screenshot("member-issue-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Search without diacritics and open the document.
    page.goto(live_server.url + "/search/")
    page.get_by_label("Tìm trong bản tin").fill("chi thi 29")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/search/?q=chi+thi+29")
    screenshot("member-search")
    result = page.locator("ol.results a[href^='/documents/']").first
    assert "29-CT/TU" in result.inner_text()
    result.click()
    page.wait_for_url("**/documents/*/")
    assert "29-CT/TU" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Tóm tắt trong bản tin").is_visible()
    screenshot("member-document")
