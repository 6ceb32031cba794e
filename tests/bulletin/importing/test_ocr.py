"""Scanned issues: printed pages turned into pictures at 300 dpi and read back by recognition.

Recognition takes seconds a page, so the regular checks read three pages; one whole sample is
read by the test marked ``ocr_full`` (about a minute on two cores).
"""

import io
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bulletin.importer import BulletinImportError, import_bulletin, parse
from bulletin.importing import ImportRefused, ocr
from bulletin.importing.pdf_reader import read_pdf_lines
from bulletin.models import Entry, Issue
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words

from .printed import NAMES, SAMPLES, print_sample

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
    """The cover, the contents and the first page of the June 2024 issue, scanned and read."""
    three = first_pages(printed_002, 3)
    scan = scanned_pdf(three, tmp_path_factory.mktemp("scan"))
    return {"printed": three, "scan": scan, "reading": ocr.read_scan(scan, filename="scan.pdf")}


def test_scanned_words_are_right(scan_of_three_pages):
    source = text_of(read_pdf_lines(scan_of_three_pages["printed"]))
    produced = text_of(scan_of_three_pages["reading"].lines)
    ratio = in_order_ratio(source, produced)
    assert ratio >= 0.97, missing_words(source, produced)


def test_scan_gives_the_cover_and_the_first_item(scan_of_three_pages):
    parsed = parse(scan_of_three_pages["scan"], filename="scan.pdf")
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
    with pytest.raises(BulletinImportError, match="nhận dạng chữ"):
        import_bulletin(scan_of_three_pages["scan"], filename="scan.pdf")
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
