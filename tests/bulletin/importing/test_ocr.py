"""Scanned issues: printed pages turned into pictures at 300 dpi and read back by recognition.

Recognition takes seconds a page, so the regular checks read three pages; one whole sample is
read by the test marked ``ocr_full`` (about a minute on two cores).
"""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bulletin.importing import ImportRefused, import_into_draft, ocr, parse_only
from bulletin.importing.pdf_reader import read_pdf_lines
from bulletin.models import Entry, Issue, ScanImport
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words

from .printed import MANIFEST, NAMES, SAMPLES, print_sample


def parse(data, *, filename):
    return parse_only(data, filename=filename, **MANIFEST.get(filename, {}))


pytestmark = pytest.mark.skipif(
    ocr.missing_tools() != [], reason="tesseract-ocr, tesseract-ocr-vie or poppler-utils missing"
)


def first_pages(data, count):
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages[:count]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_pictures(data, tmp_path):
    """The pages of a PDF as 300-dpi greyscale pictures, as a scanner gives them."""
    source = tmp_path / "printed.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=300,
    )
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def scanned_pdf(data, tmp_path):
    """A PDF holding only pictures of the pages of ``data``: no text layer."""
    pictures = page_pictures(data, tmp_path)
    out = io.BytesIO()
    pictures[0].save(out, "PDF", save_all=True, append_images=pictures[1:], resolution=300)
    return out.getvalue()


def text_of(lines):
    return "\n".join(line.text for line in lines)


@pytest.fixture(scope="module")
def printed_002(django_db_setup, django_db_blocker):
    return print_sample(django_db_blocker, NAMES[2])


@pytest.fixture(scope="module")
def scan_of_three_pages(printed_002, tmp_path_factory):
    """The cover, the contents and the first page of the June 2024 issue, scanned and read
    through the importer's entry point (recognition runs once for the tests that share it)."""
    three = first_pages(printed_002, 3)
    scan = scanned_pdf(three, tmp_path_factory.mktemp("scan"))
    parsed = parse(scan, filename="scan.pdf")
    return {"printed": three, "scan": scan, "parsed": parsed, "reading": parsed.scan}


def test_scanned_words_are_right(scan_of_three_pages):
    source = text_of(read_pdf_lines(scan_of_three_pages["printed"]))
    produced = text_of(scan_of_three_pages["reading"].lines)
    ratio = in_order_ratio(source, produced)
    assert ratio >= 0.97, missing_words(source, produced)


def test_scan_gives_the_cover_and_the_first_item(scan_of_three_pages):
    parsed = scan_of_three_pages["parsed"]
    assert (parsed.month, parsed.year) == (6, 2024)
    assert parsed.committee == "THÀNH ỦY CAO BẰNG"
    assert [entry.kind for entry in parsed.entries] == ["article"]
    assert parsed.entries[0].title.startswith("Giới thiệu tác phẩm Xây dựng và phát triển")
    # The contents page is recognised and skipped: its items are not entries.
    assert not any("Tin hoạt động" in entry.title for entry in parsed.entries)
    assert parsed.scan is not None


def test_scan_report_and_page_images(scan_of_three_pages):
    reading = scan_of_three_pages["reading"]
    assert len(reading.page_images) == 3
    assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in reading.page_images)
    with Image.open(io.BytesIO(reading.page_images[2])) as page:
        assert page.size == (2481, 3508)  # A4 at 300 dpi
    report = reading.report
    assert sorted(page.number for page in report.pages) == [1, 2, 3]
    assert [p.confidence for p in report.pages] == sorted(p.confidence for p in report.pages)
    assert 80 < report.confidence <= 100
    assert report.words and all(w.page in {1, 2, 3} for w in report.words)
    assert [w.confidence for w in report.words] == sorted(w.confidence for w in report.words)


def test_a_scanned_page_as_a_picture(printed_002, tmp_path):
    cover = page_pictures(first_pages(printed_002, 1), tmp_path)[0]
    out = io.BytesIO()
    cover.save(out, "JPEG", quality=90)
    lines = ocr.read_scan(out.getvalue(), filename="cover.jpg").lines
    texts = [line.text for line in lines]
    # A picture alone is not known to be a cover: its lines may be joined, but all are there.
    assert "Tháng 6 năm 2024" in texts
    source = "THÀNH ỦY CAO BẰNG BAN TUYÊN GIÁO TÀI LIỆU PHỤC VỤ SINH HOẠT CHI BỘ Tháng 6 năm 2024"
    assert in_order_ratio(source, " ".join(texts)) >= 0.9


@pytest.mark.ocr_full
@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="text recognition does not depend on the database: run in the SQLite pass only",
)
def test_whole_scanned_issue_has_the_structure_of_its_text(django_db_blocker, tmp_path):
    name = NAMES[0]
    printed = print_sample(django_db_blocker, name)
    scan = scanned_pdf(printed, tmp_path)
    expected = parse((SAMPLES / name).read_bytes(), filename=name)
    got = parse(scan, filename="scan.pdf")
    assert [e.kind for e in got.entries] == [e.kind for e in expected.entries]
    for want, have in zip(expected.entries, got.entries, strict=True):
        assert in_order_ratio(want.title, have.title) >= 0.9, have.title
    source = "\n".join(e.title + html_text(e.body) for e in expected.entries)
    produced = "\n".join(e.title + html_text(e.body) for e in got.entries)
    assert in_order_ratio(source, produced) >= 0.97, missing_words(source, produced)


# Refusals ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scan_without_recognition_installed_is_refused(scan_of_three_pages, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ImportRefused, match="nhận dạng chữ"):
        import_into_draft(scan_of_three_pages["scan"], filename="scan.pdf")
    assert Issue.objects.count() == 0 and Entry.objects.count() == 0


def test_damaged_picture_is_refused():
    with pytest.raises(ImportRefused, match="ảnh quét"):
        ocr.read_scan(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, filename="page.png")


def test_too_many_scanned_pages_is_refused():
    pictures = [Image.new("L", (200, 280), 255) for _ in range(ocr.MAX_SCAN_PAGES + 1)]
    out = io.BytesIO()
    pictures[0].save(out, "TIFF", save_all=True, append_images=pictures[1:])
    with pytest.raises(ImportRefused, match="tối đa"):
        ocr.read_scan(out.getvalue(), filename="scan.tiff")


# A PDF mixing text pages and scanned pages ------------------------------------------------------


def with_page_scanned(data, number, tmp_path):
    """``data`` with page ``number`` (1-based) replaced by a picture of it, as when a page
    missing from the exported file was scanned and put back."""
    picture = PdfReader(io.BytesIO(scanned_pdf(only_page(data, number), tmp_path))).pages[0]
    writer = PdfWriter()
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        writer.add_page(picture if index == number else page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def only_page(data, number):
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(data)).pages[number - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def mixed_pdf(printed_002, tmp_path_factory):
    """The first four pages of the June 2024 issue, the third of them a scanned picture."""
    text_pdf = first_pages(printed_002, 4)
    return {
        "text": text_pdf,
        "mixed": with_page_scanned(text_pdf, 3, tmp_path_factory.mktemp("mixed")),
    }


@pytest.mark.django_db
def test_scanned_page_of_a_text_pdf_is_read_and_kept(mixed_pdf):
    expected = parse(mixed_pdf["text"], filename="issue.pdf")
    result = import_into_draft(mixed_pdf["mixed"], filename="issue.pdf")
    got = result.parsed
    assert [e.title[:40] for e in got.entries] == [e.title[:40] for e in expected.entries]
    source = "\n".join(e.title + html_text(e.body) for e in expected.entries)
    produced = "\n".join(e.title + html_text(e.body) for e in got.entries)
    assert in_order_ratio(source, produced) >= 0.97, missing_words(source, produced)
    # Only the scanned page went through recognition, and the draft says so.
    issue = result.issue
    assert issue.needs_review
    assert "Trang 3:" in issue.review_notes
    pages = list(issue.scan_pages.all())
    assert [page.number for page in pages] == [3]
    with pages[0].image.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


# The admin: a scan is read in the background ---------------------------------------------------

IMPORT_URL = "/admin/bulletin/issue/import/"


@pytest.mark.django_db
def test_scan_upload_is_queued_then_read_into_a_draft_to_review(
    admin_client, mixed_pdf, django_capture_on_commit_callbacks
):
    # A PDF with one scanned page: it needs recognition, so it is read in the background.
    upload = SimpleUploadedFile("ban-tin-2024-06.pdf", mixed_pdf["mixed"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(IMPORT_URL, {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "đang được đọc bằng nhận dạng chữ" in page
    assert "Đang đọc" in page
    assert Issue.objects.count() == 0  # nothing read inside the request
    assert len(queued) == 1

    queued[0]()  # the worker runs the task (the test settings run it in-process)
    scan = ScanImport.objects.get()
    assert scan.state == ScanImport.State.DONE and not scan.upload
    issue = scan.issue
    assert issue.needs_review and issue.scan_pages.count() == 1
    page = admin_client.get(IMPORT_URL).content.decode()
    assert "Đã nhập" in page and str(issue) in page

    change = admin_client.get(f"/admin/bulletin/issue/{issue.pk}/change/").content.decode()
    assert "Soát lại bản quét" in change
    assert "Trang 3:" in change and issue.scan_pages.get().image.url in change
    listing = admin_client.get("/admin/bulletin/issue/?needs_review__exact=1").content.decode()
    assert str(issue) in listing


@pytest.mark.django_db
def test_refused_scan_upload_shows_why(
    admin_client, printed_002, tmp_path, django_capture_on_commit_callbacks
):
    # The cover alone: read, but it has no numbered items.
    cover = scanned_pdf(first_pages(printed_002, 1), tmp_path)
    upload = SimpleUploadedFile("bia.pdf", cover)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(IMPORT_URL, {"file": upload})
    scan = ScanImport.objects.get()
    assert scan.state == ScanImport.State.FAILED
    page = admin_client.get(IMPORT_URL).content.decode()
    assert "Bị từ chối" in page and "Không tìm thấy mục nào được đánh số" in page
    assert Issue.objects.count() == 0
