"""The editorial workflow in Chromium: an editor writes and submits, a reviewer sends it back,
the editor fixes it, the reviewer approves and publishes."""

import contextlib
import os
import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from bulletin.models import Issue, Status
from core.roles import grant_roles
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_document, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"


@contextlib.contextmanager
def orm_beside_playwright():
    """Playwright's event loop may already run in this thread (the browser is per session);
    these ORM calls are plain synchronous code, as in the ``page`` fixture."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def ensure_roles():
    """The groups are data of a migration, which a transactional test's flush removes."""
    with orm_beside_playwright():
        _create_roles()


def _create_roles():
    grant_roles(Group, Permission)


@pytest.fixture(scope="module", autouse=True)
def roles(django_db_setup, django_db_blocker):
    # Module scope: set up before each test's database and torn down after the last flush, so
    # the ORM may run beside Playwright's loop until then (the flush at a transactional test's
    # teardown comes after the ``page`` fixture has undone its setting), and the roles are put
    # back for the tests that follow.
    with orm_beside_playwright(), django_db_blocker.unblock():
        ensure_roles()
        yield
        ensure_roles()


@pytest.fixture(autouse=True)
def roles_for_each_test(transactional_db):
    ensure_roles()


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_editor_and_reviewer_take_an_issue_to_publication(live_server, page, browser, screenshot):
    make_user("bientap", group="Biên tập viên", is_staff=True, first_name="Lan")
    make_user("lanhdao", group="Lãnh đạo Ban", is_staff=True, first_name="Hùng")
    make_document(number="29-KH/TU", subject="phát triển đảng viên năm 2024")

    # The editor creates the issue with a document summary written in CKEditor.
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/admin/bulletin/issue/add/")
    page.locator("#entries-group .add-row a").click()
    page.select_option("#id_entries-0-kind", "document")
    page.fill("#id_entries-0-title", "Kế hoạch số 29-KH/TU của Thành ủy")
    page.locator("#entries-0 .select2-selection").click()
    page.locator(".select2-search__field").fill("29-KH")
    page.locator(".select2-results__option", has_text="29-KH/TU").click()
    editable = page.locator("#entries-0 .ck-editor__editable")
    editable.click()
    page.keyboard.type("Kế hoạch đề ra mục tiêu kết nạp đảng viên mới.")
    screenshot("editorial-1-editor-writes")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    issue = Issue.objects.get()
    entry = issue.entries.get()
    assert entry.body == "<p>Kế hoạch đề ra mục tiêu kết nạp đảng viên mới.</p>"
    assert entry.document.number == "29-KH/TU"

    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã gửi số bản tin để lãnh đạo duyệt.")
    expect(page.locator(".workflow-status")).to_contain_text("Chờ duyệt")
    expect(page.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    screenshot("editorial-2-submitted")
    change_url = page.url

    # The reviewer sends it back with a comment.
    reviewer_context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    reviewer = reviewer_context.new_page()
    reviewer.set_default_timeout(15_000)
    log_in(reviewer, live_server, "lanhdao")
    reviewer.goto(change_url)
    expect(reviewer.get_by_role("button", name="Duyệt", exact=True)).to_be_visible()
    reviewer.fill("#workflow-comment-reject", "Bổ sung số đảng viên đã kết nạp.")
    reviewer.get_by_role("button", name="Trả lại để sửa").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Đã trả số bản tin về bản nháp")
    expect(reviewer.locator(".workflow-status")).to_contain_text("Bản nháp")
    expect(reviewer.locator("#transitions-group")).to_contain_text(
        "Bổ sung số đảng viên đã kết nạp."
    )
    reviewer.screenshot(path=str(SCREENSHOTS / "editorial-3-rejected.png"))

    # The editor sees the comment, fixes the text and submits again.
    page.goto(change_url)
    expect(page.locator("#transitions-group")).to_contain_text("Bổ sung số đảng viên")
    editable = page.locator("#entries-0 .ck-editor__editable")
    editable.click()
    page.keyboard.press("End")
    page.keyboard.type(" Năm 2024 đã kết nạp 120 đảng viên.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert "120 đảng viên" in issue.entries.get().body
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".workflow-status")).to_contain_text("Chờ duyệt")

    # The reviewer approves and publishes.
    reviewer.goto(change_url)
    reviewer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Đã duyệt số bản tin.")
    expect(reviewer.locator(".workflow-status")).to_contain_text("Đã duyệt")
    reviewer.get_by_role("button", name="Phát hành").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Đã phát hành số bản tin.")
    expect(reviewer.locator(".workflow-status")).to_contain_text("Đã phát hành")
    reviewer.screenshot(path=str(SCREENSHOTS / "editorial-4-published.png"), full_page=True)
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED
    assert [t.to_status for t in issue.transitions.all()] == [
        "in_review",
        "draft",
        "in_review",
        "approved",
        "published",
    ]

    # Members now read it on the site.
    reviewer.goto(live_server.url + issue.get_absolute_url())
    expect(reviewer.locator("main")).to_contain_text(re.compile("120 đảng viên"))
    reviewer_context.close()


def test_editor_inserts_an_image_with_a_caption(live_server, page, tmp_path):
    make_user("bientap", group="Biên tập viên", is_staff=True)
    photo = tmp_path / "hoi-nghi.jpg"
    from PIL import Image

    Image.new("RGB", (2600, 1300), "navy").save(photo, "JPEG")
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/admin/bulletin/issue/add/")
    page.locator("#entries-group .add-row a").click()
    page.fill("#id_entries-0-title", "Hội nghị học tập nghị quyết")
    page.locator("#entries-0 .ck-editor__editable").click()
    page.keyboard.type("Toàn cảnh hội nghị.")
    page.locator("#entries-0 .ck-file-dialog-button input[type=file]").set_input_files(str(photo))
    figure = page.locator("#entries-0 .ck-editor__editable figure.image")
    expect(figure.locator("img")).to_have_attribute("src", re.compile(r"/media/editor/"))
    # The image toolbar: text alternative, then "toggle caption".
    figure.click()
    page.locator(".ck-balloon-panel_visible .ck-toolbar .ck-button").nth(1).click()
    figure.locator("figcaption").click()
    page.keyboard.type("Các đại biểu dự hội nghị")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    body = Issue.objects.get().entries.get().body
    assert '<figure class="image"><img src="/media/editor/' in body
    assert "<figcaption>Các đại biểu dự hội nghị</figcaption>" in body
