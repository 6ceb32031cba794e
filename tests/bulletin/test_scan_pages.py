"""Scanned pages kept with a draft read by text recognition: for staff, never for members."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from bulletin.models import ScanPage
from tests.factories import make_issue, make_user

pytestmark = pytest.mark.django_db


def png():
    out = io.BytesIO()
    Image.new("L", (60, 80), 255).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def scan_page():
    issue = make_issue(needs_review=True, review_notes="Trang 1: 300 từ, độ tin cậy 91%.")
    page = ScanPage(issue=issue, number=1)
    page.image.save("page.png", ContentFile(png()), save=True)
    return page


def test_members_never_see_a_scanned_page(client, scan_page):
    client.force_login(make_user(group="Đảng viên"))
    assert client.get(scan_page.image.url).status_code == 404


def test_staff_see_a_scanned_page(client, scan_page):
    client.force_login(make_user(group="Biên tập viên", is_staff=True))
    response = client.get(scan_page.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_issue_needing_review_is_flagged_in_the_admin(admin_client, scan_page):
    issue = scan_page.issue
    listing = admin_client.get("/admin/bulletin/issue/?needs_review__exact=1").content.decode()
    assert str(issue) in listing
    change = admin_client.get(f"/admin/bulletin/issue/{issue.pk}/change/").content.decode()
    assert "Trang 1: 300 từ, độ tin cậy 91%." in change
    assert scan_page.image.url in change
