"""Smaller copies of news photos: made when the image changes, offered through <picture>,
served only to those who may see the photo."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bulletin.models import EntryKind, Visibility
from core.roles import Role
from tests.factories import make_entry, make_news_item, make_photo, make_user
from tests.site_data import published

pytestmark = pytest.mark.django_db


def jpeg_file(width, height, name="anh-hoi-nghi.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def photo_in(visibility, image):
    issue = published(year=2024, month=6, visibility=visibility)
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    return issue, make_photo(make_news_item(section), caption="Hội nghị chi bộ", image=image)


def test_a_saved_photo_gets_webp_and_jpeg_copies_next_to_it():
    _, photo = photo_in(Visibility.PUBLIC, jpeg_file(2000, 1500))
    folder = photo.image.name.rsplit("/", 1)[0]
    made = {(r["width"], r["ext"]) for r in photo.renditions}
    assert made == {(w, ext) for w in (480, 960, 1600) for ext in ("webp", "jpg")}
    for rendition in photo.renditions:
        assert rendition["name"].startswith(folder + "/")
        with default_storage.open(rendition["name"]) as handle, Image.open(handle) as image:
            assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[rendition["ext"]]
            assert image.size == (rendition["width"], rendition["width"] * 3 // 4)


def test_a_small_photo_is_never_enlarged():
    _, photo = photo_in(Visibility.PUBLIC, jpeg_file(700, 400))
    assert sorted({r["width"] for r in photo.renditions}) == [480, 700]


def test_copies_are_made_again_only_when_the_image_changes():
    _, photo = photo_in(Visibility.PUBLIC, jpeg_file(1200, 900))
    before = list(photo.renditions)
    photo.caption = "Chú thích mới"
    photo.save()
    assert photo.renditions == before
    photo.image = jpeg_file(1000, 1000, name="anh-khac.jpg")
    photo.save()
    photo.refresh_from_db()
    assert {r["width"] for r in photo.renditions} == {480, 960, 1000}
    assert all("anh-khac" in r["name"] for r in photo.renditions)
    photo.image = None
    photo.save()
    assert photo.renditions == []


def test_an_unreadable_image_keeps_the_original_on_the_page(client):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    photo = make_photo(make_news_item(section), caption="Ảnh hỏng")
    photo.image.save("hong.jpg", ContentFile(b"\xff\xd8\xff not really a jpeg"), save=True)
    assert photo.renditions == []
    html = client.get(issue.get_absolute_url()).content.decode()
    assert f'<img src="{photo.image.url}" alt="Ảnh hỏng" loading="lazy"' in html


def test_an_image_beyond_the_pixel_limit_is_not_decoded(settings):
    settings.IMAGE_MAX_PIXELS = 1000 * 1000
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    photo = make_photo(make_news_item(section), caption="Ảnh quá lớn")
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1000), (10, 10, 10)).save(buffer, "JPEG")
    photo.image.save("qua-lon.jpg", ContentFile(buffer.getvalue()), save=True)
    assert photo.renditions == []


def test_the_issue_page_offers_the_copies_through_picture_and_loads_them_lazily(client):
    issue, photo = photo_in(Visibility.PUBLIC, jpeg_file(2000, 1500))
    html = client.get(issue.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture).group(1)
    assert [part.split()[1] for part in webp.split(", ")] == ["480w", "960w", "1600w"]
    assert all(part.split()[0].endswith(".webp") for part in webp.split(", "))
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'loading="lazy"' in img
    assert re.search(r'src="/media/photos/[^"]+\.960w\.jpg"', img)
    assert 'width="960" height="720"' in img
    jpeg = re.search(r'srcset="([^"]+)"', img).group(1)
    assert all(part.split()[0].endswith(".jpg") for part in jpeg.split(", "))


def test_copies_of_a_members_only_photo_are_for_members_only(client):
    _, photo = photo_in(Visibility.MEMBERS, jpeg_file(1200, 900))
    url = photo.image.storage.url(photo.renditions[0]["name"])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(make_user(group=Role.MEMBER.value))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"  # WebP


def test_a_file_named_like_a_copy_but_listed_by_no_photo_is_not_served(client):
    _, photo = photo_in(Visibility.PUBLIC, jpeg_file(1200, 900))
    stray = photo.image.name.rsplit(".", 1)[0] + ".300w.webp"
    default_storage.save(stray, ContentFile(b"RIFF"))
    client.force_login(make_user(group=Role.MEMBER.value))
    assert client.get("/media/" + stray).status_code == 404


def test_the_command_makes_copies_of_photos_saved_before_copies_existed():
    from django.core.management import call_command

    from news.models import Photo

    _, photo = photo_in(Visibility.PUBLIC, jpeg_file(1200, 900))
    Photo.objects.filter(pk=photo.pk).update(renditions=[], renditions_of="")
    out = io.StringIO()
    call_command("make_photo_renditions", stdout=out)
    photo.refresh_from_db()
    assert {r["width"] for r in photo.renditions} == {480, 960, 1200}
    assert "1" in out.getvalue()
    call_command("make_photo_renditions", stdout=out)
    assert "0" in out.getvalue().splitlines()[-1]
