"""Image uploads: only real, sound, reasonably sized images are stored, reduced to 2000 px."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news.models import Photo
from tests.factories import make_news_item, make_user

pytestmark = pytest.mark.django_db

UPLOAD_URL = "ckeditor-image-upload"


def jpeg_bytes(size=(300, 200), colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG that declares ``width`` × ``height`` pixels in a few bytes: a decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def noisy_jpeg():
    image = Image.effect_noise((400, 400), 100).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


BAD_FILES = {
    "truncated-jpeg": ("anh.jpg", noisy_jpeg()[:4000], "bị hỏng hoặc không đầy đủ"),
    "bomb": ("bom.png", png_header_only(30000, 30000), "quá nhiều điểm ảnh"),
    "too-many-pixels": ("lon.png", png_header_only(8000, 8000), "quá lớn để xử lý"),
    "svg-script": (
        "anh.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "Không nhận tệp SVG",
    ),
    "svg-named-png": (
        "anh.png",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "Không nhận tệp SVG",
    ),
    "text-named-png": (
        "ghi-chu.png",
        "Đây là văn bản, không phải ảnh.".encode(),
        "không phải là ảnh",
    ),
    "bmp": ("anh.bmp", None, "Không nhận loại ảnh này"),
    "fifty-megabytes": ("to.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "tối đa 15"),
}


def bad_file(key):
    name, content, message = BAD_FILES[key]
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "BMP")
        content = buffer.getvalue()
    return SimpleUploadedFile(name, content), message


def stored_files(folder):
    root = Path(settings.MEDIA_ROOT) / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(group="Biên tập viên", is_staff=True))
    return client


@pytest.mark.parametrize("key", list(BAD_FILES))
def test_editor_upload_refuses_bad_images_with_a_message(editor_client, key):
    before = stored_files("editor")
    upload, message = bad_file(key)
    response = editor_client.post(reverse(UPLOAD_URL), {"upload": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert stored_files("editor") == before


def test_editor_upload_stores_a_reduced_copy(editor_client):
    upload = SimpleUploadedFile("Ảnh hội nghị.JPG", jpeg_bytes((3000, 1500)))
    response = editor_client.post(reverse(UPLOAD_URL), {"upload": upload})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith(settings.MEDIA_URL + "editor/") and url.endswith("/anh-hoi-nghi.jpg")
    path = Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (2000, 1000)


@pytest.mark.parametrize("role", [None, "Đảng viên", "Cán bộ", "Lãnh đạo Ban"])
def test_only_staff_who_edit_may_upload(client, role):
    if role:
        client.force_login(make_user(group=role, is_staff=role == "Lãnh đạo Ban"))
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes())
    response = client.post(reverse(UPLOAD_URL), {"upload": upload})
    assert response.status_code == 403
    assert "Bạn không có quyền tải ảnh lên." in response.json()["error"]["message"]


def test_upload_without_a_file_is_a_clear_refusal(editor_client):
    response = editor_client.post(reverse(UPLOAD_URL))
    assert response.status_code == 400
    assert editor_client.get(reverse(UPLOAD_URL)).status_code == 405


@pytest.mark.parametrize("key", list(BAD_FILES))
def test_photo_admin_refuses_bad_images_and_keeps_nothing(editor_client, key):
    item = make_news_item()
    upload, message = bad_file(key)
    before = stored_files("photos")
    response = editor_client.post(
        reverse("admin:news_photo_add"),
        {"news_item": item.pk, "position": 1, "caption": "Đại biểu dự hội nghị", "image": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files("photos") == before


def test_photo_admin_stores_a_reduced_photo(editor_client):
    item = make_news_item()
    upload = SimpleUploadedFile("hoi-nghi.png", b"")
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 3600), "blue").save(buffer, "PNG")
    upload = SimpleUploadedFile("hoi-nghi.png", buffer.getvalue())
    response = editor_client.post(
        reverse("admin:news_photo_add"),
        {"news_item": item.pk, "position": 1, "caption": "Đại biểu dự hội nghị", "image": upload},
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (1333, 2000)


def test_news_list_counts_photos_still_missing(editor_client):
    item = make_news_item(title="Tin có ảnh thiếu")
    Photo.objects.create(news_item=item, caption="Chưa có ảnh", position=1)
    Photo.objects.create(news_item=item, caption="Cũng chưa có", position=2)
    response = editor_client.get(reverse("admin:news_newsitem_changelist"))
    assert response.context["cl"].result_list[0].photos_missing == 2
    page = editor_client.get(reverse("admin:news_newsitem_change", args=[item.pk]))
    assert page.content.decode().count("cần ảnh") >= 2


def test_truncated_images_are_refused_even_after_weasyprint_relaxed_pillow(editor_client):
    import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    upload, message = bad_file("truncated-jpeg")
    response = editor_client.post(reverse(UPLOAD_URL), {"upload": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was found
