"""Playwright driving Debian's Chromium against the live test server.

Screenshots go to test-artifacts/screenshots/ so people can look at what the tests saw.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


# Per module, not per session: while Playwright's loop runs in this thread, any ORM call counts as
# "async context", so it must stop before the next module's tests run.
@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; the ORM calls that tests (and the
    database flush after a transactional test) make between browser steps are ordinary synchronous
    code, so Django's async-safety guard does not apply. Set per module, never for the whole run:
    the deploy check refuses this variable."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name, **options):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), **options)
        return path

    return take
