"""The admin page "Nhập bản tin": upload a printed issue, get a draft."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletin.models import Entry, Issue, Status
from news.models import Photo
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SAMPLES = settings.BASE_DIR / "samples"
S000 = SAMPLES / "000_c1a9d393be3cfc51.txt"
S002 = SAMPLES / "002_c75a862ff3ffb303.txt"
IMPORT_URL = reverse("admin:bulletin_issue_import")


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/plain")


def test_changelist_has_the_import_button(admin_client):
    response = admin_client.get(reverse("admin:bulletin_issue_changelist"))
    assert response.status_code == 200
    assert IMPORT_URL in response.content.decode()
    assert "Nhập bản tin" in response.content.decode()


def test_import_page_shows_the_form(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert "Nhập bản tin" in response.content.decode()
    assert 'type="file"' in response.content.decode()


def test_upload_creates_a_draft_and_shows_the_report(admin_client, superuser):
    response = admin_client.post(IMPORT_URL, {"file": upload(S002)})
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert issue.created_by == superuser and issue.status == Status.DRAFT
    page = admin_client.get(response["Location"]).content.decode()
    assert "thành bản nháp: 4 mục: 2 văn bản, 1 bài viết, 4 tin hoạt động" in page
    assert reverse("admin:bulletin_issue_change", args=[issue.pk]) in page
    # Each item of the report links to the item's change page.
    for entry in issue.entries.all():
        assert reverse("admin:bulletin_entry_change", args=[entry.pk]) in page
    assert "văn bản 388-KH/TU" in page
    assert "4 tin hoạt động, 8 chú thích ảnh" in page
    # The report is shown once; the page is the upload form again afterwards.
    assert reverse("admin:bulletin_issue_change", args=[issue.pk]) not in (
        admin_client.get(IMPORT_URL).content.decode()
    )


def test_upload_with_the_month_of_a_sample_without_one(admin_client):
    response = admin_client.post(IMPORT_URL, {"file": upload(S000), "month": 3, "year": 2024})
    assert response.status_code == 302
    assert Photo.objects.count() == 9


def test_upload_error_is_shown_on_the_form(admin_client):
    response = admin_client.post(IMPORT_URL, {"file": upload(S000)})
    assert response.status_code == 200
    assert "không ghi tháng và năm" in response.content.decode()
    assert Issue.objects.count() == 0 and Entry.objects.count() == 0


def test_upload_of_a_bad_file_is_shown_on_the_form(admin_client):
    bad = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = admin_client.post(IMPORT_URL, {"file": bad})
    assert response.status_code == 200
    assert "Không đọc được tệp PDF: tệp bị hỏng hoặc không đầy đủ" in response.content.decode()
    assert Issue.objects.count() == 0


def test_double_submit_creates_one_issue(admin_client):
    admin_client.post(IMPORT_URL, {"file": upload(S002)})
    response = admin_client.post(IMPORT_URL, {"file": upload(S002)})
    assert response.status_code == 200
    assert "Đã có bản tin tháng 6/2024" in response.content.decode()
    assert Issue.objects.count() == 1


def test_replace_checkbox(admin_client):
    admin_client.post(IMPORT_URL, {"file": upload(S002)})
    first = Issue.objects.get()
    response = admin_client.post(IMPORT_URL, {"file": upload(S002), "replace": "on"})
    assert response.status_code == 302
    assert Issue.objects.get().pk != first.pk


def test_staff_without_add_permission_is_refused(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(S002)}).status_code == 403
    assert Issue.objects.count() == 0
    changelist = client.get(reverse("admin:bulletin_issue_changelist")).content.decode()
    assert IMPORT_URL not in changelist


def test_staff_with_add_permission_may_import(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_issue", "view_issue"]))
    client.force_login(user)
    assert client.post(IMPORT_URL, {"file": upload(S002)}).status_code == 302


def test_the_form_is_laid_out_like_the_other_admin_forms(admin_client):
    page = admin_client.get(IMPORT_URL).content.decode()
    assert 'class="module aligned' in page and "Tháng của số bản tin" in page
    assert page.index('id="import_form"') < page.index('class="submit-row"')


def test_news_dated_outside_the_chosen_month_are_warned_of(admin_client):
    # Sample 000 reports February's activity: right for a March issue, not for June.
    response = admin_client.post(IMPORT_URL, {"file": upload(S000), "month": 6, "year": 2024})
    page = admin_client.get(response["Location"]).content.decode()
    assert "Ngày ngoài tháng" in page
    assert "ngoài tháng 6/2024 và tháng trước đó" in page
    # The report comes after the form.
    assert page.index('id="import_form"') < page.index('id="import-report"')

    Issue.objects.all().delete()
    response = admin_client.post(IMPORT_URL, {"file": upload(S000), "month": 3, "year": 2024})
    page = admin_client.get(response["Location"]).content.decode()
    assert 'id="import-report"' in page and "Ngày ngoài tháng" not in page
