"""Files go through the storage API: pages name them /media/<name> on every backend; on S3
the media view checks access first, then redirects to a short-lived signed link."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from moto import mock_aws
from PIL import Image

from tests.factories import make_entry, make_user
from tests.site_data import build_site

pytestmark = pytest.mark.django_db

BUCKET = "bantin-test-media"
S3_STORAGES = {
    "default": {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "access_key": "test",
            "secret_key": "test",
            "region_name": "us-east-1",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def s3():
    """An in-process S3 (moto) holding one private bucket, as the default storage."""
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=S3_STORAGES):
            yield boto3.client("s3", region_name="us-east-1")


def jpeg_upload(name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_photos_are_in_the_bucket_and_pages_link_to_the_site(client, s3):
    site = build_site()
    photo = site["public"]["photo"]
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert photo.image.name in keys
    html = client.get(site["public"]["news"].get_absolute_url()).content.decode()
    # The original or one of its smaller copies (news/renditions.py), named after it.
    stem = photo.image.name.rsplit(".", 1)[0]
    assert re.search(rf'src="/media/{re.escape(stem)}[.\w]*"', html)
    assert "amazonaws" not in html and "X-Amz" not in html


def test_a_reader_who_may_see_the_photo_is_redirected_to_a_short_signed_link(client, s3):
    site = build_site()
    response = client.get(site["public"]["photo"].image.url)
    assert response.status_code == 302
    link = urlsplit(response["Location"])
    assert link.path.endswith(site["public"]["photo"].image.name)
    assert parse_qs(link.query)["X-Amz-Expires"] == ["60"]
    assert "no-store" in response["Cache-Control"]


def test_members_only_photo_gives_no_link_to_others(client, s3):
    site = build_site()
    url = site["internal"]["photo"].image.url
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "X-Amz" not in response["Location"]
    client.force_login(make_user(group="Đảng viên"))
    response = client.get(url)
    assert response.status_code == 302 and "X-Amz-Signature" in response["Location"]


def test_a_missing_object_is_a_404_not_a_dead_link(client, s3):
    site = build_site()
    client.force_login(make_user(group="Đảng viên"))
    s3.delete_object(Bucket=BUCKET, Key=site["public"]["photo"].image.name)
    assert client.get(site["public"]["photo"].image.url).status_code == 404


def test_editor_upload_answers_the_site_address_on_s3(client, s3):
    client.force_login(make_user(is_staff=True, group="Biên tập viên"))
    response = client.post("/ckeditor5/image_upload/", {"upload": jpeg_upload()})
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert url.startswith("/media/editor/") and "?" not in url
    name = url.removeprefix("/media/")
    assert default_storage.exists(name)


def test_old_backend_links_in_texts_are_rewritten_to_the_site_address(client):
    name = default_storage.save("editor/2024/05/hoi-nghi.jpg", ContentFile(b"jpeg"))
    signed = (
        f"https://bantin-media.s3.ap-southeast-1.amazonaws.com/{name}"
        "?X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Expires=300&amp;X-Amz-Signature=abc"
    )
    path_style = f"https://s3.example.vn/bantin-media/{name}?X-Amz-Signature=def"
    outside = "https://baocaobang.vn/editor/2024/05/khac.jpg"
    entry = make_entry(
        body=(
            f'<p>Ảnh: <img src="{signed}" alt="a"></p><p><img src="{path_style}" alt="b"></p>'
            f'<p><a href="{outside}">Báo Cao Bằng</a></p>'
        )
    )
    call_command("rewrite_media_urls", stdout=io.StringIO())
    entry.refresh_from_db()
    assert entry.body.count(f'src="/media/{name}"') == 2
    assert "X-Amz" not in entry.body and "amazonaws" not in entry.body_html
    assert outside in entry.body
