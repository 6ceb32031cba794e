"""The editor's day in Chromium: nothing lost on save, nothing in the way.

An imported issue keeps its photo slots through a save in CKEditor; a photo uploaded for a
pending caption appears once, next to its text, on the site and in the PDF; a save waits for an
image upload; publishing asks first when something is missing; the history tells every step."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from playwright.sync_api import expect

from bulletin.importing import import_into_draft
from bulletin.models import Issue, Status
from bulletin.photos import slot_keys
from members.models import Profile
from news.models import NewsItem, Photo
from tests.browser.test_editorial import (  # noqa: F401 (fixtures)
    log_in,
    orm_beside_playwright,
    roles,
    roles_for_each_test,
)
from tests.factories import make_entry, make_issue, make_news_item, make_photo, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = settings.BASE_DIR / "samples" / "002_c75a862ff3ffb303.txt"


def person(username, full_name, **fields):
    user = make_user(username, **fields)
    Profile.objects.create(user=user, full_name=full_name)
    return user


def jpeg(tmp_path, name="anh.jpg", colour="navy"):
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (1200, 800), colour).save(path, "JPEG")
    return path


def pdf_text(data, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_an_unchanged_save_keeps_the_slots_and_an_uploaded_photo_shows_once(
    live_server, page, tmp_path
):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    person("bientap", "Nguyễn Thị Lan", is_superuser=True, is_staff=True)
    issue = import_into_draft(SAMPLE, month=None, year=None).issue
    pending = Photo.objects.filter(news_item__section__issue=issue, image="").first()
    item = pending.news_item
    before = slot_keys(item.body)
    assert before, "the imported news item has photo slots"

    log_in(page, live_server, "bientap")
    page.goto(live_server.url + f"/admin/news/newsitem/{item.pk}/change/")
    expect(page.locator(".ck-editor__editable").first).to_be_visible()
    # The slot shows in the editor as a caption waiting for its photo.
    expect(page.locator(".ck-editor__editable p.caption-pending").first).to_be_visible()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    item.refresh_from_db()
    assert slot_keys(item.body) == before
    assert Photo.objects.filter(pk=pending.pk).exists()

    # Upload the photo of that caption, in its row of the photo table.
    row = list(item.photos.order_by("position", "pk")).index(pending)
    page.locator(f"#photos-{row} input[type=file]").set_input_files(str(jpeg(tmp_path)))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    pending.refresh_from_db()
    assert pending.image

    # On the site: the caption once, under its photo, in the text where it stood.
    page.goto(live_server.url + item.get_absolute_url())
    main_text = page.locator("main").inner_text()
    assert main_text.count(pending.caption) == 1
    figure = page.locator("figure.photo", has_text=pending.caption)
    expect(figure).to_have_count(1)
    # A paragraph of the text follows the photo: it stands in the text, not after it.
    follows = figure.evaluate("f => f.nextElementSibling && f.nextElementSibling.tagName")
    assert follows == "P"

    # In the PDF: the caption once.
    response = page.request.get(live_server.url + f"/admin/bulletin/issue/{issue.pk}/pdf/")
    assert response.status == 200
    text = pdf_text(response.body(), tmp_path)
    assert text.count(" ".join(pending.caption.split())) == 1


def test_a_save_waits_for_an_image_upload_and_no_empty_image_is_stored(
    live_server, page, tmp_path, screenshot
):
    make_user("bientap", group="Biên tập viên", is_staff=True)
    issue = make_issue(year=2024, month=6)
    entry = make_entry(issue, title="Hội nghị", body="<p>Toàn cảnh hội nghị.</p>")
    held = []
    page.route("**/ckeditor5/image_upload/**", lambda route: held.append(route))

    log_in(page, live_server, "bientap")
    page.goto(live_server.url + f"/admin/bulletin/entry/{entry.pk}/change/")
    page.locator(".ck-editor__editable").first.click()
    page.locator(".ck-file-dialog-button input[type=file]").first.set_input_files(
        str(jpeg(tmp_path))
    )
    save = page.locator("input[name=_continue]")
    expect(save).to_be_disabled()
    expect(page.locator("#uploads-pending-note")).to_contain_text("Đang chờ tải ảnh lên xong")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator(".submit-row").scroll_into_view_if_needed()
    screenshot("admin-upload-pending")
    # Enter in a field does not send the form either.
    page.locator("#id_title").press("Enter")
    page.wait_for_timeout(300)
    assert "<img" not in type(entry).objects.get(pk=entry.pk).body

    assert len(held) == 1
    held[0].continue_()
    expect(save).to_be_enabled()
    save.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    body = type(entry).objects.get(pk=entry.pk).body
    assert re.search(r'<img src="/media/editor/[^"]+"', body)


def test_publishing_lists_what_is_missing_and_asks_to_confirm(live_server, page, screenshot):
    person("lanhdao", "Hoàng Văn Hùng", group="Lãnh đạo Ban", is_staff=True)
    issue = make_issue(year=2024, month=6, status=Status.APPROVED)
    make_entry(issue, title="Bài viết", body="<p>Nội dung.</p>")
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(section, title="Hội nghị tổng kết")
    make_photo(item, caption="Quang cảnh hội nghị tổng kết")

    log_in(page, live_server, "lanhdao")
    page.goto(live_server.url + f"/admin/bulletin/issue/{issue.pk}/change/")
    page.get_by_role("button", name="Phát hành").click()
    expect(page.locator(".publication-gaps")).to_contain_text("Quang cảnh hội nghị tổng kết")
    expect(page.locator(".publication-gaps")).to_contain_text("vẫn chờ ảnh")
    assert Issue.objects.get(pk=issue.pk).status == Status.APPROVED
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot("admin-publish-confirm")
    page.get_by_role("button", name="Vẫn phát hành").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã phát hành số bản tin.")
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED

    # The history names each step and who took it.
    page.goto(live_server.url + f"/admin/bulletin/issue/{issue.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Phát hành")
    expect(page.locator("#change-history")).to_contain_text("Hoàng Văn Hùng")
    screenshot("admin-issue-history")


def test_photos_are_ordered_by_dragging(live_server, page):
    make_user("bientap", group="Biên tập viên", is_staff=True)
    item = make_news_item(body="<p>Tin.</p>")
    first = make_photo(item, caption="Ảnh thứ nhất")
    second = make_photo(item, caption="Ảnh thứ hai")

    log_in(page, live_server, "bientap")
    page.goto(live_server.url + f"/admin/news/newsitem/{item.pk}/change/")
    handles = page.locator("#photos-group tr.has_original td.original p")
    expect(handles).to_have_count(2)
    handles.nth(1).drag_to(handles.nth(0))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position
    assert [p.caption for p in NewsItem.objects.get(pk=item.pk).photos.all()] == [
        "Ảnh thứ hai",
        "Ảnh thứ nhất",
    ]


def test_staff_see_the_admin_link_and_their_name_on_the_site(live_server, page):
    person("bientap", "Nguyễn Thị Lan", group="Biên tập viên", is_staff=True)
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/")
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Quản trị")).to_have_attribute("href", "/admin/")
    expect(header).to_contain_text("Nguyễn Thị Lan")
    expect(header).not_to_contain_text("bientap")
