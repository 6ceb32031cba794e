"""The issue's "Lịch sử" tells its whole life: the import and every workflow step, each with
the person who did it; publishing asks first when something is still missing; mails name people
by their full name and link to the site they work on."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletin.models import Issue, Status
from members.models import Profile
from tests.bulletin.adminforms import form_data
from tests.factories import make_entry, make_issue, make_news_item, make_photo, make_user

pytestmark = pytest.mark.django_db

SAMPLE = settings.BASE_DIR / "samples" / "002_c75a862ff3ffb303.txt"


def person(username, group, full_name):
    user = make_user(username, group=group, is_staff=True)
    Profile.objects.create(user=user, full_name=full_name)
    return user


def step(client, issue, name, **data):
    url = reverse("admin:bulletin_issue_workflow", args=[issue.pk, name])
    return client.post(url, data, follow=True)


def test_the_history_shows_the_import_the_edit_and_each_step_with_the_person(client):
    editor = person("bientap", "Biên tập viên", "Nguyễn Thị Lan")
    reviewer = person("lanhdao", "Lãnh đạo Ban", "Hoàng Văn Hùng")

    client.force_login(editor)
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/plain")
    client.post(reverse("admin:bulletin_issue_import"), {"file": upload})
    issue = Issue.objects.get()
    change_url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    data = form_data(client.get(change_url), number="7")
    assert client.post(change_url, data).status_code == 302
    step(client, issue, "submit")

    client.force_login(reviewer)
    step(client, issue, "reject", comment="Bổ sung ảnh mục 4.")
    client.force_login(editor)
    step(client, issue, "submit")
    client.force_login(reviewer)
    step(client, issue, "approve")
    step(client, issue, "publish", confirmed="1")
    assert Issue.objects.get().status == Status.PUBLISHED

    page = client.get(reverse("admin:bulletin_issue_history", args=[issue.pk])).content.decode()
    table = page[page.index('id="change-history"') :]
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = table.split("<tr>")[1:]  # newest first
    expected = [
        ("Phát hành", "Hoàng Văn Hùng"),
        ("Duyệt", "Hoàng Văn Hùng"),
        ("Gửi duyệt", "Nguyễn Thị Lan"),
        ("Trả lại để sửa: Bổ sung ảnh mục 4.", "Hoàng Văn Hùng"),
        ("Gửi duyệt", "Nguyễn Thị Lan"),
        ("Đã thay đổi", "Nguyễn Thị Lan"),
        ("Nhập từ tệp", "Nguyễn Thị Lan"),
    ]
    assert len(rows) == len(expected), page
    for row, (action, who) in zip(rows, expected, strict=True):
        assert action in row and who in row, row


def test_publishing_what_still_lacks_photos_asks_the_leader_first(client):
    reviewer = person("lanhdao", "Lãnh đạo Ban", "Hoàng Văn Hùng")
    issue = make_issue(status=Status.APPROVED)
    make_entry(issue, title="Bài viết chưa có chữ", body="")
    news = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(news, title="Hội nghị tổng kết")
    make_photo(item, caption="Quang cảnh hội nghị")
    client.force_login(reviewer)

    page = step(client, issue, "publish").content.decode()
    assert Issue.objects.get().status == Status.APPROVED
    assert "Quang cảnh hội nghị" in page and "vẫn chờ ảnh" in page
    assert "Bài viết chưa có chữ" in page and "chưa có nội dung" in page
    assert "Vẫn phát hành" in page

    page = step(client, issue, "publish", confirmed="1").content.decode()
    assert Issue.objects.get().status == Status.PUBLISHED
    assert "Đã phát hành số bản tin." in page


def test_mails_name_people_by_full_name_and_link_to_the_site_they_use(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["bantin.example.vn"]
    editor = person("bientap", "Biên tập viên", "Nguyễn Thị Lan")
    person("lanhdao", "Lãnh đạo Ban", "Hoàng Văn Hùng")
    issue = make_issue(status=Status.DRAFT, created_by=editor)
    client.force_login(editor)
    # The notice leaves when the step's transaction commits (bulletin/signals.py).
    with django_capture_on_commit_callbacks(execute=True):
        step(client, issue, "submit", HTTP_HOST="bantin.example.vn")
        client.post(
            reverse("admin:bulletin_issue_workflow", args=[issue.pk, "submit"]),
            HTTP_HOST="bantin.example.vn",
        )
    (message,) = mail.outbox
    assert "Nguyễn Thị Lan đã gửi" in message.body
    assert "bientap" not in message.body
    assert f"http://bantin.example.vn/admin/bulletin/issue/{issue.pk}/change/" in message.body


def test_mails_without_a_request_link_to_site_url(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://bantin.example.vn"
    editor = person("bientap", "Biên tập viên", "Nguyễn Thị Lan")
    person("lanhdao", "Lãnh đạo Ban", "Hoàng Văn Hùng")
    issue = make_issue(status=Status.DRAFT, created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        issue.submit(editor)
    (message,) = mail.outbox
    assert f"https://bantin.example.vn/admin/bulletin/issue/{issue.pk}/change/" in message.body
