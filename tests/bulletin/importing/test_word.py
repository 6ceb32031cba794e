"""Word files as office staff type them, and hostile Word files."""

import io
import json
import logging

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from bulletin.importing import ImportRefused, import_into_draft, parse_only
from bulletin.importing.word import read_word_lines
from bulletin.models import Entry, Issue
from news.models import NewsItem, Photo
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words, source_text
from tests.bulletin.importing.hostile import files as hostile
from tests.bulletin.importing.shape import issue_shape
from tests.bulletin.importing.staff_docx import picture_bytes, staff_docx

SAMPLES = settings.BASE_DIR / "samples"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
NAMES = sorted(name for name in MANIFEST if not name.startswith("_"))
IMPORT_URL = reverse("admin:bulletin_issue_import")


def as_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def new_document():
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(14)
    return document


def by_text(lines):
    return {line.text: line for line in lines}


# Typography ---------------------------------------------------------------------------------------


def test_bold_italic_centred_and_size_are_read_not_marked():
    document = new_document()
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cover.add_run("Tháng 10 năm 2023")
    run.bold = run.italic = True
    run.font.size = Pt(16)
    document.add_paragraph().add_run("1. Kế hoạch số 12-KH/TU").bold = True
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.add_run("Đồng chí Bí thư phát biểu").italic = True
    lines = by_text(read_word_lines(as_bytes(document)))

    month = lines["Tháng 10 năm 2023"]
    assert (month.bold, month.italic, month.centred, month.size) == (True, True, True, 16.0)
    heading = lines["1. Kế hoạch số 12-KH/TU"]
    assert heading.bold and not heading.italic and not heading.centred
    assert heading.size == 14.0  # from the Normal style, the run says nothing
    assert heading.bold_lead == 0
    caption = lines["Đồng chí Bí thư phát biểu"]
    assert caption.italic and caption.centred and not caption.bold


def test_run_in_heading_keeps_its_text_and_measures_the_lead():
    document = new_document()
    paragraph = document.add_paragraph()
    paragraph.add_run("4.3. Đối tượng:").bold = True
    paragraph.add_run(" cán bộ, đảng viên trong toàn Đảng bộ thành phố.")
    (line,) = read_word_lines(as_bytes(document))
    assert line.text == "4.3. Đối tượng: cán bộ, đảng viên trong toàn Đảng bộ thành phố."
    assert line.text[: line.bold_lead] == "4.3. Đối tượng:"
    assert not line.bold


def test_emphasis_inside_a_paragraph_becomes_marks_and_split_runs_merge():
    document = new_document()
    paragraph = document.add_paragraph()
    paragraph.add_run("- Tổng kết ")
    paragraph.add_run("6 nội dung ").bold = True
    paragraph.add_run("về đổi mới").bold = True
    paragraph.add_run(" của Đảng và cuốn sách ")
    paragraph.add_run("Cây tre Việt Nam").italic = True
    (line,) = read_word_lines(as_bytes(document))
    assert (
        line.text == "- Tổng kết **6 nội dung về đổi mới** của Đảng và cuốn sách *Cây tre Việt Nam*"
    )
    assert not line.bold and line.bold_lead == 0 and not line.italic


def test_page_breaks_and_section_breaks_mark_the_next_line():
    document = new_document()
    document.add_paragraph("Bìa")
    document.add_paragraph("Trang hai").runs[0].add_break(WD_BREAK.PAGE)
    document.add_paragraph("Trang ba")
    document.add_section()
    document.add_paragraph("Phần sau")
    lines = read_word_lines(as_bytes(document))
    assert [line.page_break for line in lines] == [False, False, True, True]


def test_indent_in_spaces_and_word_styles():
    document = new_document()
    indented = document.add_paragraph("Thụt đầu dòng")
    indented.paragraph_format.first_line_indent = Cm(1.27)  # 720 twips
    document.add_heading("Mục lớn", level=1)
    document.add_heading("Mục vừa", level=2)
    document.add_heading("Mục nhỏ", level=3)
    document.add_paragraph("Gạch đầu dòng", style="List Bullet")
    document.add_paragraph("Dấu cộng", style="List Bullet 2")
    document.add_paragraph("Chú thích ảnh", style="Caption")
    lines = by_text(read_word_lines(as_bytes(document)))
    assert lines["Thụt đầu dòng"].indent == 6
    assert [lines[t].style for t in ("Mục lớn", "Mục vừa", "Mục nhỏ")] == ["h1", "h2", "h3"]
    assert lines["Gạch đầu dòng"].style == "bullet"
    assert lines["Dấu cộng"].style == "plus"
    assert lines["Chú thích ảnh"].style == "caption"


def _numbered(paragraph, num_id, level=0):
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _list_number_id(document):
    """The numbering of python-docx's "List Number" style, a decimal list."""
    style = document.styles["List Number"].element
    return style.pPr.numPr.numId.val


def test_automatic_numbering_prints_its_number_in_front_of_the_text():
    document = new_document()
    num_id = _list_number_id(document)
    for text in ("Kế hoạch số 12-KH/TU", "Tin hoạt động"):
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = True
        _numbered(paragraph, num_id)
    lines = read_word_lines(as_bytes(document))
    assert [line.text for line in lines] == ["1. Kế hoạch số 12-KH/TU", "2. Tin hoạt động"]
    assert all(line.bold and line.style == "" for line in lines)


def test_typed_footnote_markers_are_read_as_printed():
    document = new_document()
    paragraph = document.add_paragraph("Theo số liệu thống kê")
    paragraph.add_run("1").font.superscript = True
    paragraph.add_run(" của tỉnh.")
    note = document.add_paragraph()
    note.add_run("1").font.superscript = True
    note.add_run(" Báo cáo số 5-BC/TU.")
    lines = read_word_lines(as_bytes(document))
    assert [line.text for line in lines] == [
        "Theo số liệu thống kê¹ của tỉnh.",
        "¹ Báo cáo số 5-BC/TU.",
    ]


# The typed contents list --------------------------------------------------------------------------


def _contents_document(entries):
    document = new_document()
    for text in ("THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO"):
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph().add_run("MỤC LỤC").bold = True
    for text in entries:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
    document.add_paragraph().add_run("1. Kế hoạch số 388-KH/TU").bold = True
    document.add_paragraph("Thực hiện Chỉ thị số 24-CT/TU, ngày 19/5/2023, tiếp tục tăng cường 3")
    return as_bytes(document)


def test_contents_lines_are_flagged_with_leaders_and_page_numbers_stripped():
    lines = read_word_lines(
        _contents_document(
            [
                "1. Kế hoạch số 388-KH/TU về phòng chống tham nhũng\t5",
                "2. Kế hoạch số 402-KH/TU thực hiện Nghị quyết số 42-NQ/TW\t11",
                "3. Tin hoạt động ........ 18",
            ]
        )
    )
    flagged = [line.text for line in lines if line.contents]
    assert flagged == [
        "MỤC LỤC",
        "1. Kế hoạch số 388-KH/TU về phòng chống tham nhũng",
        "2. Kế hoạch số 402-KH/TU thực hiện Nghị quyết số 42-NQ/TW",
        "3. Tin hoạt động",
    ]
    cover = [line.text for line in lines[:2]]
    assert cover == ["THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO"]
    # The body's lines are not contents, even one ending in a number.
    assert not any(line.contents for line in lines[6:])
    assert lines[-1].text.endswith("tăng cường 3")


def test_a_single_line_ending_in_a_number_is_not_a_contents_list():
    lines = read_word_lines(_contents_document(["Tổng số đảng viên mới\t12"]))
    assert not any(line.contents for line in lines)
    assert "Tổng số đảng viên mới 12" in [line.text for line in lines]


# Pictures -----------------------------------------------------------------------------------------


def _news_document(picture=None, *, heading=False):
    document = new_document()
    if heading:
        document.add_paragraph().add_run("1. Tin hoạt động").bold = True
    document.add_paragraph().add_run("1.1. Hội nghị sơ kết").bold = True
    document.add_paragraph("Sáng 09/5/2024, tại Hội trường Thành ủy, hội nghị đã diễn ra.")
    document.add_picture(io.BytesIO(picture or picture_bytes(1)), width=Cm(8))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.add_run("Quang cảnh hội nghị").italic = True
    return as_bytes(document)


def test_a_picture_is_attached_to_the_caption_under_it():
    lines = by_text(read_word_lines(_news_document()))
    caption = lines["Quang cảnh hội nghị"]
    assert caption.gap and len(caption.pictures) == 1
    picture = caption.pictures[0]
    assert picture.filename.endswith((".png", ".jpg")) and picture.data[:4] in {
        b"\x89PNG",
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xdb",
    }
    assert not lines["Sáng 09/5/2024, tại Hội trường Thành ủy, hội nghị đã diễn ra."].pictures


def test_a_corrupt_picture_is_dropped_with_a_warning(caplog):
    data = hostile.with_part_replaced(_news_document(), "word/media/", b"\x89PNG not an image")
    with caplog.at_level(logging.WARNING, logger="bulletin.importing.word"):
        lines = by_text(read_word_lines(data))
    assert lines["Quang cảnh hội nghị"].pictures == []
    assert "dropped" in caplog.text


# The samples typed by staff -----------------------------------------------------------------------


def sample_structure(parsed):
    return {
        "kinds": [entry.kind for entry in parsed.entries],
        "titles": [entry.title for entry in parsed.entries],
        "citations": [
            (e.citation.doc_type, e.citation.number, e.citation.issued_on)
            for e in parsed.entries
            if e.citation
        ],
        "news": [
            (item.title, [caption.text for caption in item.captions], item.event_date)
            for entry in parsed.entries
            for item in entry.news_items
        ],
        "footnotes": [html_text(note).strip() for e in parsed.entries for note in e.footnotes],
    }


def issue_text(issue):
    parts = [issue.cover_committee, issue.cover_board, issue.title, issue.month_label]
    for entry in issue.entries.all():
        parts += [entry.title, html_text(entry.body)]
        for item in entry.news_items.all():
            parts += [item.title, html_text(item.body)]
    return "\n".join(parts)


def typed_sample(name, **options):
    when = MANIFEST[name]
    text_parsed = parse_only(
        (SAMPLES / name).read_text(encoding="utf-8"),
        filename=name,
        month=when["month"],
        year=when["year"],
    )
    return text_parsed, staff_docx(text_parsed, month=when["month"], year=when["year"], **options)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "options",
    [{}, {"contents": False}, {"styled": True}],
    ids=["staff", "staff-without-contents", "styled"],
)
def test_a_sample_typed_in_word_imports_like_the_text(name, options):
    text_parsed, data = typed_sample(name, **options)
    # The month comes from the typed cover: none is given.
    result = import_into_draft(data, filename="ban-tin.docx")

    assert sample_structure(result.parsed) == sample_structure(text_parsed)
    # The whole structure too, as the metamorphic tests compare printings: cited documents,
    # sub-headings, list items with their markers and levels, lead-ins, captions, footnotes.
    assert issue_shape(result.parsed) == issue_shape(text_parsed)
    issue = result.issue
    assert (issue.month, issue.year) == (MANIFEST[name]["month"], MANIFEST[name]["year"])
    captions = sum(len(i.captions) for e in text_parsed.entries for i in e.news_items)
    photos = Photo.objects.filter(news_item__section__issue=issue)
    assert photos.count() == captions
    assert photos.filter(image="").count() == 0
    first = photos.order_by("news_item__position", "position").first()
    assert first.image.name.startswith("photos/") and first.image.size > 0

    # Footnotes are compared whole above; the text prints them where a page ends.
    source = source_text((SAMPLES / name).read_text(encoding="utf-8"), drop_footnotes=True)
    produced = issue_text(issue)
    ratio = in_order_ratio(source, produced)
    assert ratio >= 0.995, missing_words(source, produced)


@pytest.mark.django_db
def test_bold_in_the_word_file_is_bold_on_the_page():
    _parsed, data = typed_sample("002_c75a862ff3ffb303.txt")
    issue = import_into_draft(data, filename="thang-6.docx").issue
    first = issue.entries.first()
    assert "<strong>6 nội dung về đổi mới tư duy của Đảng:</strong>" in first.body
    assert "**" not in first.body and "**" not in first.title


@pytest.mark.django_db
def test_the_text_sample_still_imports_the_same():
    """The Word changes leave text files alone: 002 still gives its four items."""
    result = import_into_draft(SAMPLES / "002_c75a862ff3ffb303.txt")
    assert [entry.kind for entry in result.issue.entries.all()] == [
        "article",
        "document",
        "document",
        "news",
    ]


def _pictured_news_document(pictures_per_caption):
    """A news item whose captions each stand under the given number of pictures."""
    document = new_document()
    document.add_paragraph().add_run("1. Tin hoạt động").bold = True
    document.add_paragraph().add_run("1.1. Hội nghị sơ kết").bold = True
    document.add_paragraph("Sáng 09/5/2024, tại Hội trường Thành ủy, hội nghị đã diễn ra.")
    seed = 0
    for number, count in enumerate(pictures_per_caption, start=1):
        for _picture in range(count):
            seed += 1
            document.add_picture(io.BytesIO(picture_bytes(seed)), width=Cm(6))
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.add_run(f"Ảnh {number}: đại biểu dự hội nghị").italic = True
        document.add_paragraph("Hội nghị đã thảo luận và thống nhất các nội dung trọng tâm.")
    return as_bytes(document)


@pytest.mark.django_db
def test_each_picture_above_a_caption_fills_a_photo_slot_of_its_own():
    result = import_into_draft(
        _pictured_news_document([2, 1]), filename="t.docx", month=5, year=2024
    )
    photos = list(Photo.objects.filter(news_item__section__issue=result.issue).order_by("position"))
    assert [(p.position, p.caption) for p in photos] == [
        (1, "Ảnh 1: đại biểu dự hội nghị"),
        (2, "Ảnh 1: đại biểu dự hội nghị"),
        (3, "Ảnh 2: đại biểu dự hội nghị"),
    ]
    assert all(p.image and p.image.storage.exists(p.image.name) for p in photos)
    assert len({p.image.read() for p in photos}) == 3  # each slot holds its own picture
    summary = result.summary()
    assert "2 chú thích ảnh (2 đã có ảnh từ tệp Word, 0 đang chờ ảnh)" in summary


@pytest.mark.django_db
def test_the_summary_counts_captions_still_waiting_for_their_photo():
    data = hostile.with_part_replaced(_news_document(heading=True), "word/media/", b"GIF89a broken")
    summary = import_into_draft(data, filename="t.docx", month=3, year=2024).summary()
    assert "1 chú thích ảnh đang chờ ảnh" in summary
    assert "tệp Word" not in summary


@pytest.mark.django_db
def test_no_picture_file_is_left_behind_when_the_import_fails(monkeypatch):
    from django.db.models.fields.files import FieldFile

    saved = []
    original = FieldFile.save

    def save_then_fail_on_the_second(self, name, content, save=True):
        original(self, name, content, save)
        saved.append(self.name)
        if len(saved) == 2:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(FieldFile, "save", save_then_fail_on_the_second)
    with pytest.raises(RuntimeError):
        import_into_draft(_pictured_news_document([1, 1]), filename="t.docx", month=5, year=2024)
    storage = Photo._meta.get_field("image").storage
    assert len(saved) == 2 and not any(storage.exists(name) for name in saved)
    assert _counts() == (0, 0, 0)


@pytest.mark.django_db
def test_whole_bold_paragraphs_and_bold_lead_ins_stay_bold():
    document = new_document()
    document.add_paragraph().add_run(
        "1. Kế hoạch số 12-KH/TU, ngày 02/5/2024 của Thành ủy về học tập"
    ).bold = True
    document.add_paragraph().add_run(
        "Các chi bộ tổ chức cho đảng viên học tập, quán triệt đầy đủ các nội dung sau đây."
    ).bold = True
    item = document.add_paragraph()
    item.add_run("- Về kinh tế:").bold = True
    item.add_run(" tăng trưởng bền vững.")
    document.add_paragraph("Thực hiện nghiêm túc, đúng tiến độ.")
    issue = import_into_draft(as_bytes(document), filename="t.docx", month=5, year=2024).issue
    body = issue.entries.get().body
    assert (
        "<p><strong>Các chi bộ tổ chức cho đảng viên học tập, quán triệt đầy đủ các nội dung "
        "sau đây.</strong></p>" in body
    )
    assert "<li><strong>Về kinh tế:</strong> tăng trưởng bền vững.</li>" in body
    assert "<p>Thực hiện nghiêm túc, đúng tiến độ.</p>" in body


# Hostile files ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_zip_bomb():
    """1.5 GB of document.xml in about 1.5 MB, built once by streaming compression."""
    return hostile.zip_bomb(1536 * 1024 * 1024)


SMALL_LIMITS = {
    "WORD_MAX_UNCOMPRESSED_BYTES": 4 * 1024 * 1024,
    "WORD_MAX_XML_BYTES": 1024 * 1024,
}

HOSTILE = {
    "not-a-zip": (lambda: b"PK\x03\x04 this is not a zip archive", "Không đọc được tệp Word"),
    "text-named-docx": (lambda: "1. Tin hoạt động".encode(), "Không đọc được tệp Word"),
    "no-document-xml": (hostile.without_document, "không có word/document.xml"),
    "password-protected": (hostile.ole_protected, "được bảo vệ bằng mật khẩu"),
    "encrypted-zip": (hostile.encrypted_flag, "đã được mã hóa"),
    "billion-laughs": (hostile.billion_laughs, "DOCTYPE hoặc ENTITY"),
    "deep-nesting": (hostile.deep_nesting, "lồng nhau quá"),
    "small-zip-bomb": (lambda: hostile.zip_bomb(64 * 1024 * 1024), "quá lớn"),
}


def _counts():
    return (Issue.objects.count(), Entry.objects.count(), NewsItem.objects.count())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_file_is_refused_with_a_message(kind, settings):
    build, message = HOSTILE[kind]
    with pytest.raises(ImportRefused, match=message):
        import_into_draft(build(), filename="ban-tin.docx", month=3, year=2024)
    assert _counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_file_uploaded_in_the_admin_shows_the_message(kind, admin_client):
    build, message = HOSTILE[kind]
    upload = SimpleUploadedFile("ban-tin.docx", build())
    response = admin_client.post(IMPORT_URL, {"file": upload, "month": 3, "year": 2024})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == (0, 0, 0)


def test_an_empty_word_file_is_refused_as_empty():
    with pytest.raises(ImportRefused, match="Tệp trống"):
        parse_only(b"", filename="ban-tin.docx", month=3, year=2024)


@pytest.mark.django_db
def test_a_directory_that_lies_about_sizes_is_caught_while_inflating(settings):
    for name, value in SMALL_LIMITS.items():
        setattr(settings, name, value)
    settings.WORD_MAX_COMPRESSION_RATIO = 10_000
    data = hostile.lying_directory(actual_bytes=3 * 1024 * 1024, claimed_bytes=100_000)
    with pytest.raises(ImportRefused, match="Không đọc được tệp Word"):
        import_into_draft(data, filename="ban-tin.docx", month=3, year=2024)
    data = hostile.lying_directory(actual_bytes=3 * 1024 * 1024, claimed_bytes=2 * 1024 * 1024)
    with pytest.raises(ImportRefused, match="quá lớn"):
        import_into_draft(data, filename="ban-tin.docx", month=3, year=2024)
    assert _counts() == (0, 0, 0)


@pytest.mark.django_db
def test_too_many_paragraphs_or_pictures_are_refused(settings):
    settings.WORD_MAX_PARAGRAPHS = 50
    document = new_document()
    for n in range(60):
        document.add_paragraph(f"Đoạn {n}")
    with pytest.raises(ImportRefused, match="nhiều hơn 50 đoạn"):
        import_into_draft(as_bytes(document), filename="ban-tin.docx", month=3, year=2024)
    settings.WORD_MAX_PICTURES = 1
    document = new_document()
    for n in range(2):
        document.add_picture(io.BytesIO(picture_bytes(n)))
    document.add_paragraph("Ảnh")
    with pytest.raises(ImportRefused, match="nhiều hơn 1 ảnh"):
        import_into_draft(as_bytes(document), filename="ban-tin.docx", month=3, year=2024)


@pytest.mark.django_db
def test_a_real_size_zip_bomb_is_refused(real_zip_bomb, admin_client):
    assert len(real_zip_bomb) < 2 * 1024 * 1024
    with pytest.raises(ImportRefused, match="quá lớn"):
        import_into_draft(real_zip_bomb, filename="ban-tin.docx", month=3, year=2024)
    upload = SimpleUploadedFile("bom.docx", real_zip_bomb)
    response = admin_client.post(IMPORT_URL, {"file": upload, "month": 3, "year": 2024})
    assert response.status_code == 200
    assert "quá lớn" in response.content.decode()
    assert _counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_corrupt_picture_still_imports_its_caption():
    data = hostile.with_part_replaced(_news_document(heading=True), "word/media/", b"GIF89a broken")
    result = import_into_draft(data, filename="ban-tin.docx", month=3, year=2024)
    photo = Photo.objects.get(news_item__section__issue=result.issue)
    assert photo.caption == "Quang cảnh hội nghị"
    assert not photo.image
