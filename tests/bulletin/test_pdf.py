"""The PDF export: caching, watermark, download log, booklet, failures, access, command."""

import datetime
import io
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from bulletin.models import (
    Committee,
    Download,
    EntryKind,
    Footnote,
    Paper,
    Rendition,
    Status,
    Transition,
)
from bulletin.printing import imposition, rendering, renditions
from tests.factories import make_entry, make_issue, make_news_item, make_photo, make_user

pytestmark = pytest.mark.django_db


def pages_text(data):
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def make_full_issue(**fields):
    fields.setdefault("month", 6)
    fields.setdefault("year", 2024)
    issue = make_issue(**fields)
    entry = make_entry(
        issue,
        title="Giới thiệu tác phẩm về đối ngoại",
        body='<p>Tiếp tục quán triệt công tác PCTN, tiêu cực<sup class="footnote-ref">1</sup>.</p>'
        + "<p>Đoạn văn thứ hai của bài viết.</p>",
    )
    Footnote.objects.create(entry=entry, position=1, text="<p>Kết luận số 21-KL/TW.</p>")
    make_entry(
        issue,
        kind=EntryKind.DOCUMENT,
        title="Kế hoạch số 388-KH/TU, ngày 15/4/2024 của Thành ủy Cao Bằng",
    )
    news = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    item = make_news_item(news, title="Thành ủy trao Huy hiệu Đảng")
    make_photo(item, caption="Đồng chí Bí thư Thành ủy trao Huy hiệu Đảng")
    return issue


def publish(issue):
    issue.status = Status.PUBLISHED
    issue.published_at = timezone.now() - datetime.timedelta(minutes=1)
    issue.save()
    return issue


def exporter(**fields):
    user = make_user(first_name="Nguyễn Văn", last_name="A", **fields)
    user.user_permissions.add(Permission.objects.get(codename="export_pdf"))
    return user


@pytest.fixture
def published_issue():
    return publish(make_full_issue())


@pytest.fixture
def reader_client(client):
    user = exporter()
    client.force_login(user)
    client.user = user
    return client


def pdf_url(issue, **params):
    url = reverse("bulletin:pdf", args=[issue.committee.slug, issue.year, issue.month])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


class TestRender:
    def test_cover_contents_footnote_and_news(self):
        data = rendering.render_issue(make_full_issue())
        pages = pages_text(data)
        assert "THÀNH ỦY CAO BẰNG" in pages[0]
        assert "BAN TUYÊN GIÁO" in pages[0]
        assert "PHỤC VỤ SINH HOẠT CHI BỘ" in pages[0]
        assert "Tháng 6 năm 2024" in pages[0]
        assert "SỬ DỤNG VÀ BẢO QUẢN TRONG NỘI BỘ CỦA ĐẢNG" in pages[0]
        assert "NỘI DUNG" in pages[1]
        # The footnote is printed at the foot of the page that cites it.
        cited = next(i for i, text in enumerate(pages) if "tiêu cực" in text)
        assert "Kết luận số 21-KL/TW." in pages[cited]
        news = next(i for i, text in enumerate(pages) if "3.1. Thành ủy trao" in text)
        assert "Đồng chí Bí thư Thành ủy trao Huy hiệu Đảng" in pages[news]

    def test_contents_page_numbers_point_at_the_entries(self):
        issue = make_full_issue()
        pages = pages_text(rendering.render_issue(issue))
        for number, entry in enumerate(issue.entries.all(), start=1):
            heading = f"{number}. {entry.title[:20]}"
            start = next(i for i, text in enumerate(pages) if i > 1 and heading in text)
            contents_line = next(
                line for line in pages[1].splitlines() if line.startswith(f"{number}.")
            )
            assert contents_line.rstrip().endswith(f" {start + 1}") or contents_line.rstrip(
                " "
            ).endswith(f".{start + 1}")

    def test_metadata_bookmarks_and_fonts(self):
        issue = make_full_issue()
        reader = PdfReader(io.BytesIO(rendering.render_issue(issue)))
        assert reader.metadata.title == f"{issue.title} – Tháng 6 năm 2024"
        assert reader.metadata.author == "BAN TUYÊN GIÁO, THÀNH ỦY CAO BẰNG"
        assert reader.root_object["/Lang"] == "vi"
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        assert any(title.startswith("1. Giới thiệu") for title in titles)
        assert any(title.startswith("3. Tin hoạt động") for title in titles)
        nested = [item for item in reader.outline if isinstance(item, list)]
        assert any(child.title.startswith("3.1. Thành ủy") for group in nested for child in group)
        assert set(embedded_fonts(reader)) <= COMMITTED_FONTS

    def test_a5(self):
        reader = PdfReader(io.BytesIO(rendering.render_issue(make_full_issue(), Paper.A5)))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (420, 595)

    def test_photo_image_printed_with_caption(self):
        issue = make_full_issue()
        photo = issue.entries.get(kind=EntryKind.NEWS).news_items.get().photos.get()
        photo.image.save("anh.png", ContentFile(png_bytes()), save=True)
        entry = issue.entries.first()
        entry.body += f'<p><img src="{photo.image.url}" alt=""></p>'  # as CKEditor inserts one
        entry.save()
        data = rendering.render_issue(issue)
        pages = pages_text(data)
        assert any("Đồng chí Bí thư Thành ủy trao Huy hiệu Đảng" in text for text in pages)
        images = [
            name
            for page in PdfReader(io.BytesIO(data)).pages
            for name, ref in page["/Resources"].get_object().get("/XObject", {}).items()
            if ref.get_object()["/Subtype"] == "/Image"
        ]
        assert len(set(images)) == 2

    def test_no_address_outside_the_site_is_fetched(self):
        issue = make_full_issue()
        entry = issue.entries.first()
        entry.body += '<p><img src="https://example.com/x.png" alt=""></p>'
        entry.body += '<p><img src="file:///etc/hosts" alt=""></p>'
        entry.save()
        with mock.patch(
            "urllib.request.OpenerDirector.open", autospec=True, side_effect=OSError
        ) as opened:
            rendering.render_issue(issue)
        urls = [str(getattr(call.args[1], "full_url", call.args[1])) for call in opened.mock_calls]
        assert not [url for url in urls if "example.com" in url or "/etc/" in url]

    def test_footnote_markers_are_matched_by_number(self):
        footnotes = [mock.Mock(text="<p>một</p>"), mock.Mock(text="<p>hai</p>")]
        html = rendering.body_with_footnotes(
            '<p>a<sup class="footnote-ref">2</sup> b<sup class="footnote-ref">1</sup></p>',
            footnotes,
        )
        assert html == (
            '<p>a<span class="footnote">hai</span> b<span class="footnote">một</span></p>'
        )
        # Numbers running through the issue: the markers take the entry's footnotes in order.
        html = rendering.body_with_footnotes(
            '<p>a<sup class="footnote-ref">3</sup> b<sup class="footnote-ref">4</sup></p>',
            footnotes,
        )
        assert html == (
            '<p>a<span class="footnote">một</span> b<span class="footnote">hai</span></p>'
        )


COMMITTED_FONTS = {
    "LiberationSerif",
    "LiberationSerif-Bold",
    "LiberationSerif-Italic",
    "LiberationSerif-BoldItalic",
}


def embedded_fonts(reader):
    """The PostScript names of the font programs embedded in the PDF (subset prefix removed)."""
    from fontTools.ttLib import TTFont

    names = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor["/FontFile2"].get_object().get_data()
                tt = TTFont(io.BytesIO(program))
                names.append(tt["name"].getDebugName(6))
                # The committed Liberation 2.x, not Debian's 1.07 that may be installed too.
                assert tt["name"].getDebugName(5).startswith("Version 2."), names[-1]
    return names


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


class TestCache:
    def test_second_download_does_not_render(self, reader_client, published_issue):
        with mock.patch.object(rendering, "html_to_pdf", wraps=rendering.html_to_pdf) as render:
            first = reader_client.get(pdf_url(published_issue))
            second = reader_client.get(pdf_url(published_issue))
        assert first.status_code == second.status_code == 200
        assert render.call_count == 1
        rendition = Rendition.objects.get(issue=published_issue, paper=Paper.A4)
        assert rendition.content_hash and default_storage.exists(rendition.file.name)

    def test_edit_renders_again(
        self, reader_client, published_issue, django_capture_on_commit_callbacks
    ):
        reader_client.get(pdf_url(published_issue))
        entry = published_issue.entries.first()
        with mock.patch.object(rendering, "html_to_pdf", wraps=rendering.html_to_pdf) as render:
            with django_capture_on_commit_callbacks(execute=True):
                entry.title = "Giới thiệu tác phẩm đã sửa"
                entry.save()
            # The queued task (run at once in tests) rendered A4 and A5.
            assert render.call_count == 2
            response = reader_client.get(pdf_url(published_issue))
            assert render.call_count == 2
        assert "Giới thiệu tác phẩm đã sửa" in "".join(pages_text(response.content))

    def test_stale_rendition_renders_once_on_download(self, reader_client, published_issue):
        reader_client.get(pdf_url(published_issue))
        entry = published_issue.entries.first()
        entry.body = "<p>Văn bản mới.</p>"
        entry.save()  # no commit in this test: the download itself renders
        assert Rendition.objects.get(issue=published_issue, paper="A4").content_hash == ""
        with mock.patch.object(rendering, "html_to_pdf", wraps=rendering.html_to_pdf) as render:
            response = reader_client.get(pdf_url(published_issue))
            reader_client.get(pdf_url(published_issue))
        assert render.call_count == 1
        assert "Văn bản mới." in "".join(pages_text(response.content))

    def test_any_content_change_marks_the_pdf_stale(self, published_issue):
        renditions.refresh_rendition(published_issue, Paper.A4)
        document = published_issue.entries.get(kind=EntryKind.DOCUMENT).document
        photo = published_issue.entries.get(kind=EntryKind.NEWS).news_items.get().photos.get()
        for change in [
            lambda: document.save(),
            lambda: photo.save(),
            lambda: Footnote.objects.filter(entry__issue=published_issue).first().delete(),
            lambda: published_issue.save(),
        ]:
            rendition = Rendition.objects.get(issue=published_issue, paper="A4")
            rendition.content_hash = "fresh"
            rendition.save()
            change()
            rendition.refresh_from_db()
            assert rendition.content_hash == ""

    def test_task_records_a_failure(self, published_issue):
        from bulletin.tasks import render_issue_pdf

        with mock.patch.object(rendering, "html_to_pdf", side_effect=RuntimeError("boom")):
            result = render_issue_pdf.enqueue(issue_id=published_issue.pk, paper="A4")
        assert result.return_value["result"] == "failed"
        assert "boom" in Rendition.objects.get(issue=published_issue).error

    def test_publishing_queues_the_render(self, django_capture_on_commit_callbacks):
        issue = make_full_issue()
        with django_capture_on_commit_callbacks(execute=True):
            publish(issue)
            Transition.objects.create(issue=issue, from_status="approved", to_status="published")
        papers = set(
            Rendition.objects.filter(issue=issue).exclude(file="").values_list("paper", flat=True)
        )
        assert papers == {"A4", "A5"}

    def test_draft_is_rendered_each_time_and_never_cached(self, client):
        issue = make_full_issue()
        user = exporter()
        user.user_permissions.add(Permission.objects.get(codename="preview_issue"))
        Committee.objects.default().staff.add(user)  # drafts are for their committee's staff
        client.force_login(user)
        with mock.patch.object(rendering, "html_to_pdf", wraps=rendering.html_to_pdf) as render:
            response = client.get(pdf_url(issue))
            client.get(pdf_url(issue))
        assert response.status_code == 200
        assert render.call_count == 2
        assert "no-cache" in response["Cache-Control"]
        assert not Rendition.objects.filter(issue=issue).exclude(file="").exists()


class TestStoredVariants:
    def test_publishing_stores_every_variant_and_downloads_only_stamp(
        self, reader_client, django_capture_on_commit_callbacks
    ):
        issue = make_full_issue()
        with django_capture_on_commit_callbacks(execute=True):
            publish(issue)
            Transition.objects.create(issue=issue, from_status="approved", to_status="published")
        a5 = Rendition.objects.get(issue=issue, paper="A5")
        assert default_storage.exists(renditions.booklet_name(a5.file.name))
        with (
            mock.patch.object(rendering, "html_to_pdf", wraps=rendering.html_to_pdf) as render,
            mock.patch.object(imposition, "booklet", wraps=imposition.booklet) as impose,
        ):
            responses = [
                reader_client.get(pdf_url(issue, **params))
                for params in ({}, {"paper": "A5"}, {"booklet": 1})
            ]
        assert [response.status_code for response in responses] == [200, 200, 200]
        assert render.call_count == impose.call_count == 0
        sheets = PdfReader(io.BytesIO(responses[2].content))
        assert round(float(sheets.pages[0].mediabox.width)) == 842
        # Each half of a sheet is a page of the booklet: both carry the reader's name.
        assert sheets.pages[0].extract_text().count("Nguyễn Văn A") == 2
        titles = [item.title for item in sheets.outline if not isinstance(item, list)]
        assert any(title.startswith("1. Giới thiệu") for title in titles)
        assert sheets.metadata.title == f"{issue.title} – Tháng 6 năm 2024"

    def test_an_edit_replaces_the_booklet_with_its_a5(self, published_issue):
        old = renditions.refresh_rendition(published_issue, Paper.A5).file.name
        entry = published_issue.entries.first()
        entry.title = "Giới thiệu tác phẩm đã sửa"
        entry.save()
        new = renditions.refresh_rendition(published_issue, Paper.A5).file.name
        assert new != old
        assert not default_storage.exists(renditions.booklet_name(old))
        booklet = default_storage.open(renditions.booklet_name(new)).read()
        assert "Giới thiệu tác phẩm đã sửa" in "".join(pages_text(booklet))


class TestPageSetup:
    def test_margins_and_type_come_from_the_settings(self, settings):
        settings.PDF_MARGINS_MM = "25,20,25,35"
        settings.PDF_BODY_PT = "14"
        reader = PdfReader(io.BytesIO(rendering.render_issue(make_full_issue())))
        lefts = []

        def visit(text, cm, tm, *_):
            if text.strip():
                lefts.append(tm[4] * cm[0] + cm[4])

        for page in reader.pages[2:]:
            page.extract_text(visitor_text=visit)
        assert min(lefts) == pytest.approx(35 * 72 / 25.4, abs=0.5)

    @pytest.mark.parametrize(
        ("name", "value"),
        [("PDF_MARGINS_MM", "20,15,20"), ("PDF_MARGINS_MM", "20,15,20,abc"), ("PDF_BODY_PT", "40")],
    )
    def test_a_bad_setting_is_named_at_start_up(self, settings, name, value):
        setattr(settings, name, value)
        errors = rendering.check_page_setup()
        assert len(errors) == 1 and name in errors[0].msg

    def test_running_header_only_when_asked(self, settings):
        issue = make_full_issue()
        assert "Tài liệu phục vụ" not in pages_text(rendering.render_issue(issue))[2]
        settings.PDF_RUNNING_HEADER = True
        assert "Tài liệu phục vụ" in pages_text(rendering.render_issue(issue))[2]


class TestFailure:
    def test_failed_render_keeps_the_old_file_and_records_the_error(
        self, reader_client, published_issue
    ):
        good = reader_client.get(pdf_url(published_issue)).content
        rendition = Rendition.objects.get(issue=published_issue, paper="A4")
        old_name = rendition.file.name
        entry = published_issue.entries.first()
        entry.body = "<p>Nội dung mới sẽ không in được.</p>"
        entry.save()
        with mock.patch.object(rendering, "html_to_pdf", side_effect=RuntimeError("boom")):
            response = reader_client.get(pdf_url(published_issue))
        rendition.refresh_from_db()
        assert rendition.file.name == old_name and default_storage.exists(old_name)
        assert "boom" in rendition.error and rendition.failed_at
        # The reader gets the last good PDF, not a broken one.
        assert response.status_code == 200
        assert len(pages_text(response.content)) == len(pages_text(good))

    def test_missing_photo_file_is_an_error_for_the_staff(self, published_issue):
        photo = published_issue.entries.get(kind=EntryKind.NEWS).news_items.get().photos.get()
        photo.image.save("anh.png", ContentFile(png_bytes()), save=True)
        default_storage.delete(photo.image.name)
        rendition = renditions.refresh_rendition(published_issue, Paper.A4)
        assert not rendition.file
        assert f"#{photo.pk}" in rendition.error

    def test_invalid_output_is_never_stored(self, published_issue):
        with mock.patch.object(rendering, "html_to_pdf", return_value=b"%PDF-1.7 garbage"):
            rendition = renditions.refresh_rendition(published_issue, Paper.A4)
        assert not rendition.file and rendition.error

    def test_no_pdf_at_all_is_a_503(self, reader_client, published_issue):
        with mock.patch.object(rendering, "html_to_pdf", side_effect=RuntimeError("boom")):
            response = reader_client.get(pdf_url(published_issue))
        assert response.status_code == 503
        assert not Download.objects.exists()


class TestWatermarkAndLog:
    def test_every_page_carries_the_reader_and_the_download_is_logged(
        self, reader_client, published_issue
    ):
        response = reader_client.get(pdf_url(published_issue, paper="A5"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "private" in response["Cache-Control"]
        today = timezone.localdate().strftime("%d/%m/%Y")
        for text in pages_text(response.content):
            assert "Nguyễn Văn A" in text
            assert today in text
            assert "Tài liệu lưu hành nội bộ" in text
        download = Download.objects.get()
        assert (download.user, download.issue, download.paper, download.booklet) == (
            reader_client.user,
            published_issue,
            "A5",
            False,
        )

    def test_profile_full_name_is_preferred(self, published_issue):
        from members.models import Profile

        user = exporter()
        Profile.objects.create(user=user, full_name="Hoàng Thị Bích")
        assert renditions.reader_name(user) == "Hoàng Thị Bích"

    def test_booklet_download(self, reader_client, published_issue):
        response = reader_client.get(pdf_url(published_issue, booklet=1))
        reader = PdfReader(io.BytesIO(response.content))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
        assert reader.root_object["/Lang"] == "vi"
        assert Download.objects.get().booklet is True

    @pytest.mark.parametrize("codename", ["view_download_log", "view_download"])
    def test_download_log_visible_to_reviewers(self, client, published_issue, codename):
        Download.objects.create(issue=published_issue, user=exporter(username="doc-gia"))
        reviewer = make_user(is_staff=True)
        reviewer.user_permissions.add(Permission.objects.get(codename=codename))
        client.force_login(reviewer)
        response = client.get(reverse("admin:bulletin_download_changelist"))
        assert response.status_code == 200
        assert "doc-gia" in response.content.decode()
        assert client.get(reverse("admin:bulletin_download_add")).status_code == 403

    def test_download_log_hidden_from_other_staff(self, client):
        client.force_login(make_user(is_staff=True))
        response = client.get(reverse("admin:bulletin_download_changelist"))
        assert response.status_code == 403


def numbered_pdf(count, size="A5"):
    pages = "".join(f'<p style="break-after: page">PAGE-{n:02d}</p>' for n in range(1, count + 1))
    return HTML(string=f"<style>@page {{ size: {size} }}</style>{pages}").write_pdf()


def left_to_right(page):
    parts = []

    def visit(text, cm, tm, *_):
        parts.append((tm[4] * cm[0] + cm[4], text))

    page.extract_text(visitor_text=visit)
    return [text for _x, text in sorted(parts) if text.strip()]


class TestBooklet:
    def test_order(self):
        assert imposition.booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
        assert imposition.booklet_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]
        assert imposition.booklet_order(1) == [(None, 1), (None, None)]

    def test_imposed_pages(self):
        sheets = pages_text(imposition.booklet(numbered_pdf(6)))
        found = [
            [f"PAGE-{n:02d}" for n in range(1, 7) if f"PAGE-{n:02d}" in text] for text in sheets
        ]
        assert found == [["PAGE-01"], ["PAGE-02"], ["PAGE-03", "PAGE-06"], ["PAGE-04", "PAGE-05"]]
        reader = PdfReader(io.BytesIO(imposition.booklet(numbered_pdf(6))))
        # Left half then right half: the last page sits left of the first on the first sheet.
        texts = [left_to_right(page) for page in reader.pages]
        assert texts[2] == ["PAGE-06", "PAGE-03"]
        assert texts[3] == ["PAGE-04", "PAGE-05"]

    def test_stamp_on_every_page(self):
        stamped = imposition.stamp(
            numbered_pdf(3), renditions.stamp_pdf("Bản của X · Nội bộ", "A5")
        )
        assert all("Bản của X · Nội bộ" in text for text in pages_text(stamped))


class TestAccess:
    def test_anonymous_is_sent_to_log_in(self, client, published_issue):
        response = client.get(pdf_url(published_issue))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_member_without_permission_is_refused(self, client, published_issue):
        client.force_login(make_user())
        assert client.get(pdf_url(published_issue)).status_code == 403

    def test_draft_is_hidden_from_readers(self, reader_client):
        issue = make_full_issue()
        assert reader_client.get(pdf_url(issue)).status_code == 404

    def test_bad_paper_is_a_400_with_a_message(self, reader_client, published_issue):
        response = reader_client.get(pdf_url(published_issue, paper="A3"))
        assert response.status_code == 400
        assert "A4" in response.content.decode()

    def test_issue_page_offers_every_paper_to_those_who_may_export(
        self, reader_client, published_issue
    ):
        page = reader_client.get(published_issue.get_absolute_url()).content.decode()
        for params in ({}, {"paper": "A5"}, {"booklet": 1}):
            assert f'href="{pdf_url(published_issue, **params)}"' in page
        assert "Bản in gập (tập sách)" in page


class TestCommand:
    def test_export(self, tmp_path, published_issue):
        target = tmp_path / "out.pdf"
        call_command("export_issue_pdf", str(published_issue.pk), "-o", str(target))
        assert "THÀNH ỦY CAO BẰNG" in pages_text(target.read_bytes())[0]

    def test_booklet_with_watermark(self, tmp_path, published_issue):
        target = tmp_path / "out.pdf"
        call_command(
            "export_issue_pdf",
            str(published_issue.pk),
            "-o",
            str(target),
            "--booklet",
            "--watermark",
            "Trần B",
        )
        reader = PdfReader(str(target))
        assert round(float(reader.pages[0].mediabox.width)) == 842
        assert "Trần B" in reader.pages[0].extract_text()


class TestAdmin:
    def test_pdf_button_status_and_error_on_the_change_form(self, admin_client, published_issue):
        Rendition.objects.create(
            issue=published_issue,
            paper="A4",
            error="Ảnh #7 không đọc được",
            failed_at=timezone.now(),
        )
        response = admin_client.get(
            reverse("admin:bulletin_issue_change", args=[published_issue.pk])
        )
        page = response.content.decode()
        pdf_url = reverse("admin:bulletin_issue_pdf", args=[published_issue.pk])
        assert f'href="{pdf_url}"' in page
        assert "Ảnh #7 không đọc được" in page

    def test_admin_renders_a_draft(self, admin_client):
        issue = make_full_issue()
        response = admin_client.get(reverse("admin:bulletin_issue_pdf", args=[issue.pk]))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        assert "THÀNH ỦY CAO BẰNG" in pages_text(response.content)[0]
        assert Download.objects.filter(issue=issue).count() == 1

    def test_admin_pdf_needs_export_permission(self, client):
        issue = make_full_issue()
        client.force_login(make_user(is_staff=True, group="Đảng viên"))
        response = client.get(reverse("admin:bulletin_issue_pdf", args=[issue.pk]))
        assert response.status_code in (403, 404)
