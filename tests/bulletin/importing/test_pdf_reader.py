"""Printed PDFs read back: the same issue as the text it was printed from.

Each sample is imported from its text, printed (in the project's look and in two other looks),
read back with ``read_pdf_lines`` and parsed; the structure and the words must be those of the
text import. Hostile PDFs are refused with a message and nothing is written.
"""

import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from bulletin.importing import ImportRefused, import_into_draft, parse_only
from bulletin.importing.pdf_reader import MAX_PAGES, read_pdf_lines
from bulletin.models import Entry, Issue
from news.models import Photo
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words

from .printed import LOOKS, MANIFEST, NAMES, SAMPLES, print_samples

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    return print_samples(django_db_blocker, with_photo=True)


def parse(data, *, filename):
    """The issue as read, with the month the import would need to be told of a text dump."""
    return parse_only(data, filename=filename, **MANIFEST.get(filename, {}))


@pytest.fixture(scope="module")
def from_text():
    return {name: parse((SAMPLES / name).read_bytes(), filename=name) for name in NAMES}


def caption_texts(item):
    return [caption.text for caption in item.captions]


def issue_text(parsed):
    """Everything an issue says, in reading order: titles, bodies, footnotes, news, captions."""
    parts = []
    for entry in parsed.entries:
        parts += [entry.title, html_text(entry.body)]
        for item in entry.news_items:
            parts += [item.title, html_text(item.body)]
        parts += [html_text(note) for note in entry.footnotes]
    return "\n".join(parts)


def list_markers(parsed):
    """How many "-" items and "+" items (nested lists) the bodies hold."""
    bodies = "".join(e.body + "".join(n.body for n in e.news_items) for e in parsed.entries)
    return bodies.count("<li>"), bodies.count("<ul><li>") - bodies.count("</li><ul>")


def assert_same_issue(expected, got, *, look):
    assert [(e.kind, e.title) for e in got.entries] == [
        (e.kind, e.title) for e in expected.entries
    ], look
    for want, have in zip(expected.entries, got.entries, strict=True):
        if want.citation is not None:
            assert have.citation is not None
            for part in ("doc_type", "number", "issued_on", "issuer", "subject"):
                assert getattr(have.citation, part) == getattr(want.citation, part), (look, part)
        assert [n.title for n in have.news_items] == [n.title for n in want.news_items], look
        assert [caption_texts(n) for n in have.news_items] == [
            caption_texts(n) for n in want.news_items
        ], look
        assert len(have.footnotes) == len(want.footnotes), (look, want.title)
        for note_want, note_have in zip(want.footnotes, have.footnotes, strict=True):
            assert in_order_ratio(html_text(note_want), html_text(note_have)) >= 0.99
        assert have.body.count("footnote-ref") == want.body.count("footnote-ref"), look
    source, produced = issue_text(expected), issue_text(got)
    assert in_order_ratio(source, produced) >= 0.995, missing_words(source, produced)


# The project's own look -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_printed_issue_reads_back_as_the_same_issue(printed, from_text, name):
    got = parse(printed[name]["project"], filename="issue.pdf")
    expected = from_text[name]
    assert_same_issue(expected, got, look="project")
    month = MANIFEST[name]
    # The cover gives back what the text import needed to be told.
    assert (got.month, got.year) == (month["month"], month["year"])
    assert (got.committee, got.board) == ("THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO")
    assert list_markers(got) == list_markers(expected)


def test_lines_of_a_printed_issue(printed):
    lines = read_pdf_lines(printed[NAMES[2]]["project"])
    texts = [line.text for line in lines]
    # The cover, line by line, and nothing of it flagged as contents.
    assert texts[:2] == ["THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO"]
    assert "Tháng 6 năm 2024" in texts[:8]
    # The contents page: its title and one line per item, without leaders or page numbers.
    contents = [line for line in lines if line.contents]
    assert contents[0].text == "NỘI DUNG"
    assert [line.text[:3] for line in contents[1:]] == ["1. ", "2. ", "3. ", "4. "]
    assert not any(re.search(r"\.{3}|\d$", line.text) for line in contents[1:])
    # Running header and page numbers are gone.
    assert not any("Tài liệu phục vụ sinh hoạt chi bộ ·" in text for text in texts)
    assert not any(re.fullmatch(r"\d{1,3}", text) for text in texts)
    # An item heading printed on three lines is one bold line, starting a new page.
    heading = next(line for line in lines if line.text.startswith("1. Giới thiệu") and line.bold)
    assert heading.page_break and heading.text.endswith("của Tổng Bí thư Nguyễn Phú Trọng")
    # Footnote marks are superscripts glued to their word; the notes start with the number.
    assert any(text.endswith("tiêu cực¹.") for text in texts)
    notes = [text for text in texts if text[:1] in SUPERSCRIPTS]
    assert [note[:2] for note in notes] == ["¹ ", "² "]
    assert notes[1].endswith("giai đoạn 2021 - 2025.")
    # List markers as printed in the text: "-" and, for the inner list, "+".
    assert any(text.startswith("- Đất nước ta") for text in texts)
    assert any(text.startswith("+ Lấy thực lực làm gốc") for text in texts)
    # Captions are centred italic lines, a two-line caption is one.
    caption = next(line for line in lines if line.text.startswith("Hai bên ký kết"))
    assert caption.centred and caption.italic
    assert caption.text.endswith("giữa thành phố Cao Bằng và thành phố Tinh Tây")


def test_paragraph_going_on_over_a_page_is_one_line(printed, from_text):
    lines = read_pdf_lines(printed[NAMES[2]]["project"])
    # A list item that starts at the foot of page 3 and ends at the top of page 4.
    item = next(line for line in lines if line.text.startswith("- 6 nội dung về đổi mới tư duy"))
    assert "bảo vệ độc lập, tự chủ; (4) “Đối tác, đối tượng”" in item.text
    assert item.text.endswith("toàn diện, hiện đại.")
    # A bold run-in heading at its start.
    assert item.text[: item.bold_lead].endswith("6 nội dung về đổi mới tư duy của Đảng:")


def test_photo_is_carried_over(printed):
    photo = printed["photo"]
    lines = read_pdf_lines(photo["pdf"])
    caption = next(line for line in lines if line.text == photo["caption"])
    assert caption.gap and len(caption.pictures) == 1
    parsed = parse(photo["pdf"], filename="issue.pdf")
    item = next(item for e in parsed.entries for item in e.news_items if item.captions)
    assert item.captions[0].text == photo["caption"] and len(item.captions[0].pictures) == 1


@pytest.mark.django_db
def test_import_of_a_printed_issue_writes_it_with_its_photo(printed):
    result = import_into_draft(printed["photo"]["pdf"], filename="issue.pdf")
    issue = result.issue
    assert (issue.month, issue.year) == (11, 2023)
    assert issue.entries.count() == 4
    with_image = Photo.objects.exclude(image="").get(news_item__section__issue=issue)
    assert with_image.caption == printed["photo"]["caption"]
    with with_image.image.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    # Every other caption still waits for its photo.
    photos = Photo.objects.filter(news_item__section__issue=issue)
    assert photos.filter(image="").count() == photos.count() - 1 == result.parsed.captions - 1
    # Glyphs were read, nothing recognised: the draft needs no special review.
    assert not issue.needs_review


# Other looks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize("name", NAMES)
def test_other_looks_read_back_as_the_same_issue(printed, from_text, name, look):
    got = parse(printed[name][look], filename="issue.pdf")
    assert_same_issue(from_text[name], got, look=look)
    assert (got.committee, got.board) == ("THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO")
    assert list_markers(got) == list_markers(from_text[name])


# Hostile PDFs ------------------------------------------------------------------------------------


def refused(data, match):
    with pytest.raises(ImportRefused, match=match):
        read_pdf_lines(data)


def encrypted(data):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pages(count):
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_refused(printed):
    refused(encrypted(printed[NAMES[0]]["project"]), "mật khẩu")


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_truncated_pdf_is_refused(printed, cut):
    data = printed[NAMES[0]]["project"]
    refused(data[: int(len(data) * cut)], "bị hỏng hoặc không đầy đủ")


def test_garbage_after_the_header_is_refused():
    refused(b"%PDF-1.7\n" + bytes(range(256)) * 40, "bị hỏng hoặc không đầy đủ")


def test_not_a_pdf_is_refused():
    refused(b"PK\x03\x04 a zip file", "không phải là tệp PDF")


def test_too_many_pages_is_refused():
    refused(blank_pages(MAX_PAGES + 1), f"tối đa {MAX_PAGES} trang")


def test_page_count_lie_is_refused():
    # A page tree that claims a billion pages: refused from the claim, before any page is read.
    data = blank_pages(1).replace(b"/Count 1", b"/Count 1000000000")
    refused(data, "tối đa")


def test_huge_picture_is_refused():
    # An image that declares 100 000 × 100 000 pixels (a few bytes of compressed zeros).
    import zlib

    stream = zlib.compress(b"\x00" * 1000)
    content = b"q 500 0 0 500 50 50 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace "
        b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(stream)
        + stream
        + b"\nendstream",
    ]
    body = b"%PDF-1.7\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    refused(body, "quá lớn")


def test_scan_without_text_layer_is_named_as_such():
    refused(blank_pages(2), "quét")


@pytest.mark.django_db
def test_refused_pdf_writes_nothing(printed):
    with pytest.raises(ImportRefused, match="mật khẩu"):
        import_into_draft(encrypted(printed[NAMES[2]]["project"]), filename="issue.pdf")
    assert Issue.objects.count() == 0 and Entry.objects.count() == 0
