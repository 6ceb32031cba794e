"""Two editors of two committees work in the admin at the same time, each in their own browser:
each sees only their committee's issues and cannot open the other's."""

import pytest
from playwright.sync_api import expect

from bulletin.models import Committee, Issue
from tests.browser.test_editorial import (  # noqa: F401 -- the fixtures that set up the roles
    log_in,
    orm_beside_playwright,
    roles,
    roles_for_each_test,
)
from tests.factories import make_committee, make_issue, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_committees_editors_side_by_side(live_server, browser, screenshot, page):
    with orm_beside_playwright():
        city = Committee.objects.default()
        district = make_committee("huyen-uy-hoa-an", name="HUYỆN ỦY HÒA AN")
        make_user("bientap-thanhpho", group="Biên tập viên", is_staff=True, committee=city)
        make_user("bientap-hoaan", group="Biên tập viên", is_staff=True, committee=district)
        ours = make_issue(committee=city, year=2024, month=6, title="Bản tin thành phố tháng 6")
        theirs = make_issue(committee=district, year=2024, month=6, title="Bản tin Hòa An tháng 6")

    city_page = page
    district_context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    district_page = district_context.new_page()
    district_page.set_default_timeout(15_000)
    log_in(city_page, live_server, "bientap-thanhpho")
    log_in(district_page, live_server, "bientap-hoaan")

    issues_url = live_server.url + "/admin/bulletin/issue/"
    for each, own, other in (
        (city_page, ours, theirs),
        (district_page, theirs, ours),
    ):
        each.goto(issues_url)
        expect(each.locator("#result_list")).to_contain_text(own.title)
        expect(each.locator("#result_list")).not_to_contain_text(other.title)
    screenshot("committees-1-city-editor-list")

    # Both edit their own issue at once; neither may open the other's.
    city_page.goto(f"{issues_url}{ours.pk}/change/")
    district_page.goto(f"{issues_url}{theirs.pk}/change/")
    city_page.fill("#id_title", "Bản tin thành phố, số tháng 6")
    district_page.fill("#id_title", "Bản tin Hòa An, số tháng 6")
    city_page.locator("input[name=_continue]").click()
    district_page.locator("input[name=_continue]").click()
    expect(city_page.locator(".messagelist .success")).to_be_visible()
    expect(district_page.locator(".messagelist .success")).to_be_visible()

    for each, other in ((city_page, theirs), (district_page, ours)):
        response = each.goto(f"{issues_url}{other.pk}/change/")
        assert response.status == 404
        expect(each.locator("body")).not_to_contain_text(other.title)
    district_context.close()

    with orm_beside_playwright():
        assert dict(Issue.objects.values_list("committee__slug", "title")) == {
            "thanh-uy": "Bản tin thành phố, số tháng 6",
            "huyen-uy-hoa-an": "Bản tin Hòa An, số tháng 6",
        }
