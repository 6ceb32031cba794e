"""Photo slots survive every save: a caption whose mark an editor lost is its photo's slot
again, a slot deleted on purpose takes its photo-to-come with it, and each caption is shown
exactly once, next to its photo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bulletin.photos import place_photos, removed_slot_keys, restore_slots
from bulletin.workflow import Status
from news.models import NewsItem, Photo
from tests.bulletin.adminforms import form_data
from tests.factories import make_entry, make_issue, make_news_item, make_photo

CAPTION = "Đồng chí Bí thư Thành ủy phát biểu tại hội nghị"
SLOT = f'<p class="caption-pending">{CAPTION}</p>'


def test_a_paragraph_that_reads_as_a_caption_becomes_its_slot_again():
    body = f"<p>Đoạn đầu.</p><p>{CAPTION}</p><p>Đoạn sau.</p>"
    assert restore_slots(body, [CAPTION]) == f"<p>Đoạn đầu.</p>{SLOT}<p>Đoạn sau.</p>"
    # Case, spacing and entities do not matter; other paragraphs are left alone.
    loose = "<p>ĐỒNG CHÍ  Bí thư Thành ủy phát biểu tại hội nghị</p>"
    assert 'class="caption-pending"' in restore_slots(loose, [CAPTION])
    assert restore_slots("<p>Một đoạn khác.</p>", [CAPTION]) == "<p>Một đoạn khác.</p>"


def test_a_caption_marks_one_paragraph_only_and_an_existing_slot_counts():
    twice = f"<p>{CAPTION}</p><p>{CAPTION}</p>"
    assert restore_slots(twice, [CAPTION]).count("caption-pending") == 1
    assert restore_slots(f"{SLOT}<p>{CAPTION}</p>", [CAPTION]).count("caption-pending") == 1


def test_a_slot_removed_from_the_text_is_a_deletion_but_a_lost_mark_is_not():
    before = f"<p>Đoạn.</p>{SLOT}"
    assert removed_slot_keys(before, "<p>Đoạn.</p>") == [CAPTION.casefold()]
    assert removed_slot_keys(before, f"<p>Đoạn.</p><p>{CAPTION}</p>") == []
    assert removed_slot_keys(before, before) == []


def test_each_photo_takes_its_slot_and_the_others_follow_the_text():
    class FakePhoto:
        def __init__(self, caption):
            self.caption = caption

    html = place_photos(
        f"<p>A.</p>{SLOT}<p>B.</p>",
        [FakePhoto("Ảnh khác"), FakePhoto(CAPTION)],
        lambda photo: f"<figure>{photo.caption}</figure>",
    )
    assert html == f"<p>A.</p><figure>{CAPTION}</figure><p>B.</p><figure>Ảnh khác</figure>"


@pytest.mark.django_db
def test_saving_the_model_restores_a_lost_slot_and_deletes_a_removed_one():
    item = make_news_item(body=f"<p>Đoạn đầu.</p>{SLOT}<p>Trồng cây.</p>")
    make_photo(item, caption=CAPTION)
    item.body = f"<p>Đoạn đầu.</p><p>{CAPTION}</p><p>Trồng cây.</p>"
    item.save()
    item.refresh_from_db()
    assert SLOT in item.body

    item.body = "<p>Đoạn đầu.</p><p>Trồng cây.</p>"
    item.save()
    assert not item.photos.exists()


@pytest.mark.django_db
def test_a_photo_already_uploaded_is_never_deleted_with_its_slot():
    item = make_news_item(body=f"<p>Đoạn.</p>{SLOT}")
    photo = make_photo(item, caption=CAPTION)
    Photo.objects.filter(pk=photo.pk).update(image="photos/2024/06/anh.jpg")
    item.body = "<p>Đoạn.</p>"
    item.save()
    assert item.photos.count() == 1


def jpeg(name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_admin_save_with_the_mark_dropped_then_an_upload_shows_the_caption_once(admin_client):
    issue = make_issue(year=2024, month=6, status=Status.DRAFT)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(section, body=f"<p>Sáng 15/6, hội nghị.</p>{SLOT}<p>Đoạn sau.</p>")
    photo = make_photo(item, caption=CAPTION)
    url = reverse("admin:news_newsitem_change", args=[item.pk])

    # "Save and continue" without touching anything, from an editor that dropped the class.
    page = admin_client.get(url)
    data = form_data(page, body=f"<p>Sáng 15/6, hội nghị.</p><p>{CAPTION}</p><p>Đoạn sau.</p>")
    data["_continue"] = "1"
    assert admin_client.post(url, data).status_code == 302
    assert SLOT in NewsItem.objects.get(pk=item.pk).body

    # Upload the photo of the pending caption.
    page = admin_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = form_data(page)
    data[f"{prefix}-0-image"] = jpeg()
    assert admin_client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert photo.image

    html = admin_client.get(item.get_absolute_url()).content.decode()
    # Shown once as text (the photo's alt text is no second caption on the page) ...
    assert html.count(f">{CAPTION}<") == 1
    assert f"<figcaption>{CAPTION}</figcaption>" in html
    # ... under the photo, where its caption stood: between the two paragraphs.
    assert html.index("Sáng 15/6") < html.index("<figure") < html.index("Đoạn sau.")


@pytest.mark.django_db
def test_a_news_section_lists_its_items_in_order_and_saves_a_new_order(admin_client):
    issue = make_issue(year=2024, month=7, status=Status.DRAFT)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    first = make_news_item(section, title="Tin thứ nhất")
    second = make_news_item(section, title="Tin thứ hai")
    url = reverse("admin:bulletin_entry_change", args=[section.pk])
    page = admin_client.get(url)
    html = page.content.decode()
    assert html.index("Tin thứ nhất") < html.index("Tin thứ hai")
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is NewsItem
    )
    # What the drag-and-drop script posts: the new positions in the hidden fields.
    data = form_data(
        page,
        **{f"{formset.prefix}-0-position": "2", f"{formset.prefix}-1-position": "1"},
    )
    assert admin_client.post(url, data).status_code == 302
    assert list(section.news_items.values_list("title", flat=True)) == [
        "Tin thứ hai",
        "Tin thứ nhất",
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


@pytest.mark.django_db
def test_an_article_has_no_news_items_table(admin_client):
    entry = make_entry(make_issue(year=2024, month=8), title="Bài viết")
    page = admin_client.get(reverse("admin:bulletin_entry_change", args=[entry.pk]))
    assert all(i.formset.model is not NewsItem for i in page.context["inline_admin_formsets"])
