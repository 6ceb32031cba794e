"""The public site in Chromium: a visitor learns what exists for members and how to read it;
the registry is a sortable table on a desk and a card per document on a phone; the news list
shows pictures and dates; the admin's import page warns of dates outside the month."""

import datetime

import pytest
from django.conf import settings
from playwright.sync_api import expect

from bulletin.models import Visibility
from tests.browser.test_editorial import (  # noqa: F401 (fixtures)
    log_in,
    roles,
    roles_for_each_test,
)
from tests.factories import make_document, make_entry, make_news_item, make_photo, make_user
from tests.site_data import png_file, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_is_told_of_the_members_issues_and_can_log_in_to_read_them(live_server, page):
    make_user("dangvien", group="Đảng viên")
    issue = published(year=2024, month=6, visibility=Visibility.MEMBERS)
    make_entry(issue, title="Bài viết", body="<p>Nội dung.</p>")

    page.goto(live_server.url + "/thanh-uy/issues/")
    notice = page.locator(".members-only")
    expect(notice).to_contain_text("Có 1 số dành cho đảng viên.")
    expect(page.locator("main")).not_to_contain_text("Chưa có số nào.")
    notice.get_by_role("link", name="Đăng nhập để đọc.").click()
    page.fill("#id_username", "dangvien")
    page.fill("#id_password", "pw-for-tests")
    page.locator("form [type=submit]").last.click()
    expect(page).to_have_url(live_server.url + "/thanh-uy/issues/")
    expect(page.locator("main")).to_contain_text("Tháng 6 năm 2024")
    expect(page.locator(".members-only")).to_have_count(0)


def test_the_registry_sorts_by_its_headers_and_stacks_on_a_phone(live_server, page, screenshot):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    for number, day, subject in (
        ("5-CT/TU", datetime.date(2023, 1, 9), "tăng cường bảo vệ rừng"),
        ("12-KH/TU", datetime.date(2024, 3, 2), "an ninh trật tự"),
    ):
        document = make_document(number=number, issued_on=day, subject=subject)
        make_entry(issue, kind="document", document=document, title=f"Văn bản {number}")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/documents/")
    rows = page.locator("table.registry tbody tr")
    expect(rows.first).to_contain_text("12-KH/TU")
    page.get_by_role("link", name="Ngày ban hành").click()
    expect(rows.first).to_contain_text("5-CT/TU")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Ngày ban hành")
    screenshot("site-registry-1280")

    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first = rows.first
    # A card: its lines one under the other, each with its label.
    boxes = [first.locator("td").nth(i).bounding_box() for i in range(4)]
    assert all(boxes[i]["y"] < boxes[i + 1]["y"] for i in range(3))
    label = first.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert "Ngày ban hành" in label
    screenshot("site-registry-phone")


def test_the_news_list_shows_a_picture_the_date_and_the_issue(live_server, page):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(section, title="Hội nghị tổng kết", event_date=datetime.date(2024, 5, 15))
    make_photo(item, caption="Quang cảnh", image=png_file())
    page.goto(live_server.url + "/news/")
    card = page.locator(".news-card", has_text="Hội nghị tổng kết")
    expect(card.locator("img.thumb")).to_be_visible()
    assert card.locator("img.thumb").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(card).to_contain_text("15/05/2024")
    expect(card.get_by_role("link", name=str(issue))).to_have_attribute(
        "href", issue.get_absolute_url()
    )


def test_the_import_page_warns_of_news_dated_outside_the_month(live_server, page):
    make_user("bientap", group="Biên tập viên", is_staff=True)
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/admin/bulletin/issue/import/")
    sample = settings.BASE_DIR / "samples" / "000_c1a9d393be3cfc51.txt"
    page.set_input_files("#id_file", str(sample))
    page.fill("#id_month", "8")
    page.fill("#id_year", "2024")
    page.get_by_role("button", name="Nhập").click()
    report = page.locator("#import-report")
    expect(report).to_be_visible()
    expect(report.locator(".import-date-warnings")).to_contain_text("ngoài tháng 8/2024")
