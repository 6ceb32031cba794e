import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_chromium(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("main").is_visible()
    assert page.evaluate("document.documentElement.lang") == "vi"
