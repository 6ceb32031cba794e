"""The standing adversarial suite, beside test_xss.py (rich text) and test_access.py (who sees
what): hostile text in every plain field, path tricks on the media URL, open redirects after
login, and images that carry something else."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulletin.models import EntryKind, Visibility
from documents.models import Abbreviation
from tests.bulletin.test_images import BAD_FILES, UPLOAD_URL, bad_file, jpeg_bytes
from tests.factories import make_document, make_entry, make_news_item, make_photo, make_user
from tests.security.test_xss import VECTORS, MarkerInspector
from tests.site_data import published

pytestmark = pytest.mark.django_db

# Plain-text payloads: every one carries the XSS marker.
PLAIN_VECTORS = [v for v in VECTORS if "<" in v][:12] + [
    '"><svg onload=alert("XSS")>',
    "'><img src=x onerror=alert('XSS')>",
    "</title><script>alert('XSS')</script>",
    "javascript:alert('XSS')",
]


def executable_markers(html):
    inspector = MarkerInspector()
    inspector.feed(html)
    return inspector.found


@pytest.mark.parametrize("vector", PLAIN_VECTORS)
def test_hostile_text_in_every_plain_field_is_shown_as_text(client, vector):
    issue = published(year=2024, month=3, visibility=Visibility.PUBLIC, title=f"Số {vector}")
    committee = issue.committee
    committee.name, committee.board = f"THÀNH ỦY {vector}", f"BAN {vector}"
    committee.save()
    document = make_document(subject=f"trích yếu {vector}", signer=vector)
    make_entry(issue, kind=EntryKind.DOCUMENT, document=document, title=f"Văn bản {vector}")
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    item = make_news_item(section, title=f"Tin {vector}")
    make_photo(item, caption=f"Ảnh {vector}", credit=vector)
    Abbreviation.objects.create(abbreviation="XSSX", meaning=vector)

    pages = [
        issue.get_absolute_url(),
        document.get_absolute_url(),
        item.get_absolute_url(),
        reverse("documents:list"),
        reverse("documents:glossary"),
        reverse("news:list"),
        reverse("bulletin:home"),
        reverse("core:search") + "?q=" + vector[:100],
        reverse("bulletin:committee", args=[issue.committee.slug]),
        reverse("bulletin:feed", args=[issue.committee.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert executable_markers(response.content.decode()) == [], url


MEDIA_TRICKS = [
    "/media/../config/settings/base.py",
    "/media/%2e%2e/config/settings/base.py",
    "/media/..%2fconfig%2fsettings%2fbase.py",
    "/media/news/../../manage.py",
    "/media//etc/passwd",
    "/media/%2fetc%2fpasswd",
    "/media/....//....//etc/passwd",
    "/media/news/%00.png",
    "/media/..\\..\\manage.py",
]


@pytest.mark.parametrize("path", MEDIA_TRICKS)
@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_the_media_url_never_leaves_the_media_folder(path, who):
    client = Client()
    if who != "anonymous":
        client.force_login(make_user(is_staff=who == "staff", is_superuser=who == "staff"))

    response = client.get(path)

    assert response.status_code in (302, 400, 404)
    body = b"".join(response) if response.streaming else response.content
    assert b"SECRET_KEY" not in body and b"root:" not in body and b"DJANGO_SETTINGS" not in body


OUTSIDE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
]


@pytest.mark.parametrize("target", OUTSIDE)
def test_login_never_sends_anyone_off_the_site(client, target):
    make_user("dangvien9", password="mat-khau-dung-2024")

    response = client.post(
        reverse("login") + "?next=" + target,
        {"username": "dangvien9", "password": "mat-khau-dung-2024", "next": target},
    )

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location and "javascript" not in location


@pytest.mark.parametrize("key", list(BAD_FILES))
def test_every_hostile_image_is_refused_by_the_editor_upload(key):
    client = Client()
    client.force_login(make_user(group="Biên tập viên", is_staff=True))
    upload, message = bad_file(key)

    response = client.post(reverse(UPLOAD_URL), {"upload": upload})

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "payload",
    [b"<?php system($_GET['c']); ?>", b"<script>alert('XSS')</script>", b"<html><body>XSS"],
)
def test_a_real_image_carrying_a_payload_is_stored_without_it(payload):
    """A polyglot: a valid JPEG with a script or PHP appended. It is re-encoded, so only
    pixels are kept."""
    client = Client()
    client.force_login(make_user(group="Biên tập viên", is_staff=True))
    upload = SimpleUploadedFile("anh.jpg", jpeg_bytes((200, 100)) + payload)

    response = client.post(reverse(UPLOAD_URL), {"upload": upload})

    assert response.status_code == 200
    stored = Path(settings.MEDIA_ROOT) / response.json()["url"].removeprefix(settings.MEDIA_URL)
    assert payload not in stored.read_bytes()
    served = client.get(response.json()["url"])
    assert served["Content-Type"] == "image/jpeg"
