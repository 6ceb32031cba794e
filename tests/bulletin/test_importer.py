"""The importer on the three sample issues, on a Word file, and on everything that can go wrong."""

import io
import json
import re
import unicodedata

import docx
import pytest
from django.conf import settings
from PIL import Image

from bulletin.importing import ImportRefused, import_into_draft, parse_only
from bulletin.models import Entry, EntryKind, Footnote, Issue, Status
from documents.models import Document, DocumentType, Issuer
from news.models import NewsItem, Photo
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words, source_text
from tests.factories import make_document, make_issuer, make_user

pytestmark = pytest.mark.django_db

SAMPLES = settings.BASE_DIR / "samples"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
S000, S001, S002 = (
    "000_c1a9d393be3cfc51.txt",
    "001_e8715dad375a7192.txt",
    "002_c75a862ff3ffb303.txt",
)

# Counted by hand once from the files (see the report of issue 3): the numbered items and their
# kinds, the documents their headings cite, the news items (N.1, N.2...), the footnotes and the
# photo captions of the news items.
HAND_COUNTS = {
    S000: {
        "kinds": ["document", "document", "document", "news"],
        "numbers": ["29-CT/TU", "19-CTr/TU", "361-KH/TU"],
        "news_items": 5,
        "footnotes": 0,
        "captions": [3, 1, 1, 3, 1],
    },
    S001: {
        "kinds": ["document", "document", "document", "article", "news"],
        "numbers": ["26-CT/TW", "339-KH/TU", "02-ĐA/TU"],
        "news_items": 4,
        "footnotes": 0,
        "captions": [2, 4, 4, 2],
        # The article "Kết quả kỳ họp" has photos too; their captions stay in its body.
        "article_captions": 4,
    },
    S002: {
        "kinds": ["article", "document", "document", "news"],
        "numbers": ["388-KH/TU", "402-KH/TU"],
        "news_items": 4,
        "footnotes": 2,
        "captions": [2, 2, 3, 1],
    },
}


def import_sample(name, **options):
    when = MANIFEST[name]
    options.setdefault("month", when.get("month"))
    options.setdefault("year", when.get("year"))
    return import_into_draft(SAMPLES / name, **options)


def db_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Issue, Entry, Footnote, Document, Issuer, NewsItem, Photo)
    }


def issue_text(issue):
    """The text of an imported issue in reading order (captions stay in the bodies)."""
    parts = [issue.cover_committee, issue.cover_board, issue.title, issue.month_label]
    for entry in issue.entries.all():
        parts += [entry.title, html_text(entry.body)]
        for item in entry.news_items.all():
            parts += [item.title, html_text(item.body)]
    return "\n".join(parts)


# The three samples -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [S000, S001, S002])
def test_sample_counts(name):
    expected = HAND_COUNTS[name]
    result = import_sample(name)
    issue = result.issue

    assert issue.status == Status.DRAFT
    entries = list(issue.entries.all())
    assert [entry.kind for entry in entries] == expected["kinds"]
    assert [entry.position for entry in entries] == list(range(1, len(entries) + 1))
    assert [e.document.number for e in entries if e.document] == expected["numbers"]
    assert Document.objects.count() == len(expected["numbers"])
    news = entries[-1]
    assert news.news_items.count() == expected["news_items"]
    assert [item.photos.count() for item in news.news_items.all()] == expected["captions"]
    assert Photo.objects.filter(image="").count() == sum(expected["captions"])
    assert Footnote.objects.count() == expected["footnotes"]

    parsed = result.parsed
    assert len(parsed.entries) == len(expected["kinds"])
    assert parsed.documents == len(expected["numbers"])
    assert parsed.articles == expected["kinds"].count("article")
    assert parsed.news_items == expected["news_items"]
    assert parsed.footnotes == expected["footnotes"]
    assert parsed.captions == sum(expected["captions"]) + expected.get("article_captions", 0)
    assert result.documents_created == len(expected["numbers"])


@pytest.mark.parametrize("name", [S000, S001, S002])
def test_sample_fidelity(name):
    """At least 99.5% of the sample's words are in the issue, in the same order."""
    source = (SAMPLES / name).read_text(encoding="utf-8")
    issue = import_sample(name).issue
    # Footnotes are checked word for word below; the source prints them where a page ends.
    source = source_text(source, drop_footnotes=True)
    produced = issue_text(issue)
    ratio = in_order_ratio(source, produced)
    assert ratio >= 0.995, missing_words(source, produced)


def test_sample_000_structure():
    issue = import_sample(S000).issue
    first, second, third, news = issue.entries.all()
    assert first.title == (
        "Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban Thường vụ Tỉnh ủy Cao Bằng về lãnh đạo "
        "công tác bảo đảm an ninh, trật tự năm 2024"
    )
    document = first.document
    assert document.doc_type == DocumentType.DIRECTIVE
    assert document.issuer.name == "Ban Thường vụ Tỉnh ủy Cao Bằng"
    assert document.subject == "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024"
    # Wrapped lines are joined; the item's own points 1. to 8. stay inside its body.
    assert "tiếp tục diễn biến nhanh, phức tạp ảnh hưởng" in first.body
    assert "<p>8. Lực lượng Công an tiếp tục phát huy vai trò" in first.body
    assert "<h4>2.1.1. Mục tiêu chung</h4>" in second.body
    assert '<p class="lead-in">Đến năm 2030</p>' in second.body
    assert (
        '<li>Đối với các chi, đảng bộ trực thuộc Thành ủy<ul class="list-plus"><li>Thường xuyên'
        in third.body
    )
    assert news.title == "Tin hoạt động"
    first_news = news.news_items.first()
    assert first_news.title == (
        "Bí thư Tỉnh ủy dự Lễ phát động Tết trồng cây đời đời nhớ ơn Bác Hồ tại thành phố Cao Bằng"
    )
    assert [photo.caption for photo in first_news.photos.all()] == [
        "Các đồng chí lãnh đạo Tỉnh ủy, HĐND, UBND, UBMTTQ Việt Nam tỉnh dự lễ phát động Tết "
        "trồng cây Xuân Giáp Thìn 2024",
        "Đồng chí Trần Hồng Minh, Uỷ viên BCH Trung ương Đảng, Bí thư Tỉnh uỷ, Trưởng đoàn Đại "
        "biểu Quốc hội tỉnh trao tặng hơn 1.600 cây Mai Anh Đào cho thành phố Cao Bằng",
        "Lãnh đạo Tỉnh, Thành phố cùng tham gia trồng cây tại khu vực trung tâm phường Đề Thám",
    ]
    assert all(photo.needs_image for photo in first_news.photos.all())
    # The caption keeps its place in the text, marked as waiting for its photo.
    assert '<p class="caption-pending">Lãnh đạo Tỉnh, Thành phố cùng' in first_news.body
    assert news.news_items.get(position=2).event_date.isoformat() == "2024-02-06"


def test_sample_001_structure():
    issue = import_sample(S001).issue
    entries = list(issue.entries.all())
    assert entries[2].document.issuer is None
    assert entries[2].title.startswith("Đề án số 02-ĐA/TU, ngày 30/11/2023 về phát triển")
    assert "<h3>Phần 4: Tổ chức thực hiện</h3>" in entries[2].body
    assert "<p>1. Các chi, đảng bộ trường THPT trực thuộc Thành uỷ" in entries[2].body
    article = entries[3]
    assert article.title == (
        "Kết quả kỳ họp thứ 17, HĐND tỉnh Cao Bằng khóa XVII và kết quả kỳ họp thứ 12, HĐND "
        "Thành phố khóa XXII (nhiệm kỳ 2021 - 2026)"
    )
    # Page numbers are dropped and the sentence they cut is joined again.
    assert "quyết liệt, gắn với việc tăng cường đôn đốc" in article.body
    assert not re.search(r"<p>\s*(13|16|24)\s*</p>", article.body + entries[4].body)
    titles = list(entries[4].news_items.values_list("title", flat=True))
    assert (
        titles[2]
        == "Đoàn đại biểu thành phố Cao Bằng dâng hương, dâng hoa Đại tướng Võ Nguyên Giáp"
    )


def test_sample_002_structure():
    issue = import_sample(S002).issue
    assert (issue.cover_committee, issue.cover_board, issue.month, issue.year) == (
        "THÀNH ỦY CAO BẰNG",
        "BAN TUYÊN GIÁO",
        6,
        2024,
    )
    book, plan, _plan, news = issue.entries.all()
    assert book.kind == EntryKind.ARTICLE
    assert book.title.startswith("Giới thiệu tác phẩm Xây dựng và phát triển nền đối ngoại")
    assert "<strong>gồm ba phần:</strong>" in book.body
    assert "<em>Tầm nhìn đến năm 2045</em>" in issue.entries.get(position=3).body
    # The table of contents is not an item.
    assert "STT" not in issue_text(issue)
    assert 'tiêu cực<sup class="footnote-ref">1</sup>.' in plan.body
    assert 'các Kế hoạch<sup class="footnote-ref">2</sup>' in plan.body
    assert "33m²" in issue.entries.get(position=3).body
    source = (SAMPLES / S002).read_text(encoding="utf-8").splitlines()
    printed = [line[2:].strip() for line in source if line[:1] in {"¹", "²"}]
    assert [html_text(footnote.text).strip() for footnote in plan.footnotes.all()] == printed
    assert list(plan.footnotes.values_list("position", flat=True)) == [1, 2]
    assert news.title == "Tin hoạt động của Thành phố"
    assert news.news_items.get(position=3).photos.get(position=2).caption == (
        "Bí thư Thành ủy Cao Bằng trao Huy hiệu 75 năm tuổi Đảng cho lão thành cách mạng "
        "Đinh Thị Loan"
    )


def test_a_path_is_imported_with_its_name():
    """setup_demo and the command give a path; its name says the file's type."""
    issue = import_into_draft(SAMPLES / S002, month=None, year=None, replace=True).issue
    assert isinstance(issue, Issue)
    assert issue.pk and issue.status == Status.DRAFT and issue.created_by is None


def test_user_is_recorded_and_text_is_nfc():
    user = make_user()
    text = unicodedata.normalize(
        "NFD",
        "1. Kế hoạch số 5-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về tuyên truyền\n\n"
        "Nội dung của kế hoạch.\n",
    )
    issue = import_into_draft(text, filename="x.txt", month=1, year=2030, by=user).issue
    entry = issue.entries.get()
    assert issue.created_by == user
    assert entry.title == unicodedata.normalize("NFC", entry.title)
    assert entry.document.issuer.name == "Thành ủy Cao Bằng"
    assert entry.body == "<p>Nội dung của kế hoạch.</p>"


def test_existing_registry_documents_are_reused():
    issuer = make_issuer("Thành ủy Cao Bằng")
    existing = make_document(
        doc_type=DocumentType.PLAN,
        number="388-KH/TU",
        issued_on="2024-04-15",
        issuer=issuer,
        subject="as the registry has it",
    )
    result = import_sample(S002)
    plan = result.issue.entries.get(position=2)
    assert plan.document == existing
    existing.refresh_from_db()
    assert existing.subject == "as the registry has it"
    assert result.documents_created == 1


# Word files ---------------------------------------------------------------------------------------


def tiny_png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "gray").save(buffer, format="PNG")
    return buffer.getvalue()


def sample_docx(name=S002, *, pictures=False):
    """A Word version of a sample: numbered items as 'Heading 1', N.M. as 'Heading 2', N.M.K. as
    'Heading 3', "-" items as 'List Bullet', "(n)" points as 'List Number', captions (the lines
    after a photo's gap) as 'Caption', **bold** as bold runs. With ``pictures``, each caption is a
    plain paragraph after a paragraph holding a picture, as editors often make them."""
    document = docx.Document()
    empties = 0
    for raw in (SAMPLES / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            empties += 1
            continue
        gap, empties = empties >= 2, 0
        if line.startswith("|") or line == "*":
            continue
        if match := re.match(r"^\d\.\s+(.*)$", line):
            document.add_heading(match[1], level=1)
        elif match := re.match(r"^\d\.\d\.\d\.\s+(.*)$", line):
            document.add_heading(match[1], level=3)
        elif match := re.match(r"^\d\.\d\.\s+(.*)$", line):
            document.add_heading(match[1], level=2)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif match := re.match(r"^\(\d+\)\s+(.*)$", line):
            document.add_paragraph(match[1], style="List Number")
        elif gap and pictures:
            document.add_picture(io.BytesIO(tiny_png()))
            document.add_paragraph(line)
        elif gap:
            document.add_paragraph(line, style="Caption")
        else:
            paragraph = document.add_paragraph()
            for n, part in enumerate(line.split("**")):
                paragraph.add_run(part).bold = n % 2 == 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_file_import():
    result = import_into_draft(sample_docx(), filename="thang-6.docx")
    issue = result.issue
    assert (issue.month, issue.year) == (6, 2024)
    entries = list(issue.entries.all())
    assert [entry.kind for entry in entries] == ["article", "document", "document", "news"]
    assert [e.document.number for e in entries if e.document] == ["388-KH/TU", "402-KH/TU"]
    assert entries[1].title.startswith("Kế hoạch số 388-KH/TU, ngày 15/4/2024")
    assert "<h3>Nhiệm vụ trọng tâm</h3>" in entries[1].body
    assert "<ol><li>Tiếp tục quán triệt" in entries[1].body
    assert '<ul class="list-dash"><li>Nâng cao nhận thức về vị trí' in entries[2].body
    assert "<strong>gồm ba phần:</strong>" in entries[0].body
    assert entries[1].footnotes.count() == 2
    assert [item.photos.count() for item in entries[3].news_items.all()] == [2, 2, 3, 1]
    assert entries[3].news_items.first().title.startswith("Hội đàm giữa Đoàn đại biểu")


def test_word_file_with_pictures_before_plain_captions():
    result = import_into_draft(sample_docx(pictures=True), filename="thang-6.docx")
    news = result.issue.entries.get(kind=EntryKind.NEWS)
    assert [item.photos.count() for item in news.news_items.all()] == [2, 2, 3, 1]
    assert result.parsed.captions == 8


def test_corrupt_word_file_is_refused():
    before = db_counts()
    with pytest.raises(ImportRefused, match="Không đọc được tệp Word"):
        import_into_draft(b"PK\x03\x04 this is not a zip archive", filename="x.docx")
    with pytest.raises(ImportRefused, match="Không đọc được tệp Word"):
        import_into_draft("1. Tin hoạt động".encode(), filename="x.docx")
    assert db_counts() == before


# Bad input: a clear message, nothing written -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "options", "message"),
    [
        (b"", "x.txt", {}, "Tệp trống"),
        (b" \n\n \n", "x.txt", {}, "Tệp trống"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt", {}, "không phải tệp văn bản"),
        (b"1. Tin ho\xb9t \xae\xe9ng\n", "x.txt", {"month": 1, "year": 2024}, "mã UTF-8"),
        ("1. Tin hoạt động".encode("utf-16-le"), "x.txt", {}, "UTF-16 nhưng thiếu dấu BOM"),
        (b"1. Tin", "x.odt", {}, "Không nhập được tệp loại “.odt”"),
        (b"1. Tin", "x.pdf", {}, "không phải là tệp PDF"),
        (b"1. Tin", "x", {}, "Không nhập được tệp loại"),
        (
            "Một bài viết không có mục nào được đánh số.\n".encode(),
            "x.txt",
            {"month": 1, "year": 2024},
            "Không tìm thấy mục nào được đánh số",
        ),
        (
            "1. Chỉ thị số 29-CT/TU, ngày 31/02/2024 của Thành ủy về an\n\nNội dung.\n".encode(),
            "x.txt",
            {"month": 1, "year": 2024},
            r"Mục 1 \(“Chỉ thị số 29-CT/TU.*Ngày 31/02/2024 của văn bản 29-CT/TU không có thật",
        ),
        ("1. Tin hoạt động\n".encode(), "x.txt", {}, "không ghi tháng và năm"),
        ("1. Tin hoạt động\n".encode(), "x.txt", {"month": 13, "year": 2024}, "từ 1 đến 12"),
        ("1. Tin hoạt động\n".encode(), "x.txt", {"month": 1, "year": 1800}, "từ 1930 đến 2200"),
    ],
)
def test_bad_input_is_refused(data, filename, options, message):
    before = db_counts()
    with pytest.raises(ImportRefused, match=message):
        import_into_draft(data, filename=filename, **options)
    assert db_counts() == before


def test_utf16_with_bom_is_read():
    data = (SAMPLES / S002).read_text(encoding="utf-8").encode("utf-16")
    result = import_into_draft(data, filename="thang-6.txt")
    assert len(result.parsed.entries) == 4 and result.parsed.captions == 8


def test_utf8_bom_is_read():
    data = b"\xef\xbb\xbf" + "1. Tin hoạt động\n\n1.1. Tin một\n\nNội dung.\n".encode()
    result = import_into_draft(data, filename="x.md", month=2, year=2024)
    assert result.parsed.news_items == 1


@pytest.mark.parametrize("name", [S000, S001])
def test_samples_without_a_month_need_one(name):
    before = db_counts()
    with pytest.raises(ImportRefused, match="hãy nhập tháng và năm"):
        import_into_draft(SAMPLES / name)
    with pytest.raises(ImportRefused, match="hãy nhập tháng và năm"):
        import_into_draft(SAMPLES / name, month=3)
    assert db_counts() == before


def test_month_given_against_the_cover_is_refused():
    with pytest.raises(ImportRefused, match="Trang bìa ghi “Tháng 6 năm 2024”"):
        import_into_draft(SAMPLES / S002, month=3, year=2024)
    assert Issue.objects.count() == 0


def test_missing_file_is_reported():
    with pytest.raises(ImportRefused, match="Không đọc được tệp nope.txt"):
        import_into_draft(SAMPLES / "nope.txt")


# Same month again, replace, dry run, atomicity --------------------------------------------------


def test_same_month_twice_is_refused():
    first = import_sample(S002).issue
    before = db_counts()
    with pytest.raises(ImportRefused, match="Đã có bản tin tháng 6/2024"):
        import_sample(S002)
    assert db_counts() == before
    assert Issue.objects.get() == first


def test_replace_imports_anew_and_keeps_the_registry():
    first = import_sample(S002).issue
    documents = set(Document.objects.values_list("pk", flat=True))
    result = import_sample(S002, replace=True)
    assert result.replaced
    assert Issue.objects.get() == result.issue != first
    assert set(Document.objects.values_list("pk", flat=True)) == documents
    assert result.documents_created == 0
    assert Entry.objects.count() == 4 and Photo.objects.count() == 8


def test_replace_refuses_an_issue_that_is_no_longer_a_draft():
    first = import_sample(S002).issue
    Issue.objects.filter(pk=first.pk).update(status=Status.PUBLISHED)
    before = db_counts()
    with pytest.raises(ImportRefused) as excinfo:
        import_sample(S002, replace=True)
    assert "không còn là bản nháp" in str(excinfo.value)
    assert db_counts() == before
    assert Issue.objects.get() == first


def test_dry_run_writes_nothing():
    before = db_counts()
    parsed = parse_only(SAMPLES / S000, month=3, year=2024)
    assert db_counts() == before
    assert (len(parsed.entries), parsed.news_items, parsed.captions) == (4, 5, 9)


def test_a_failure_while_writing_leaves_nothing(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(NewsItem, "save", broken)
    before = db_counts()
    with pytest.raises(RuntimeError):
        import_sample(S002)
    assert db_counts() == before


# Finding the items ------------------------------------------------------------------------------

SEQUENCE = """1. Kế hoạch số 5-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về tuyên truyền

Kế hoạch yêu cầu:

1. Quán triệt đến cán bộ, đảng viên.

2. Tăng cường công tác lãnh đạo, chỉ đạo kiểm tra, giám sát

3. Báo cáo kết quả.

2. Giới thiệu sách Những mẩu chuyện về Bác Hồ

Cuốn sách gồm 30 mẩu chuyện.

1. Phần một: thời niên thiếu.

4. Tin hoạt động

4.1. Hội nghị tổng kết năm

Sáng 05/01/2024, Thành ủy tổ chức hội nghị.
"""


def test_an_item_continuing_the_sequence_without_other_signs():
    """Item 2 has no citation and no 2.1.: it is found because it follows item 1, is not one of
    item 1's points (those run 1., 2., 3.) and no other item 2 comes later; item 4 (news) skips 3,
    as sample 000 skips its item 4."""
    result = import_into_draft(SEQUENCE, filename="x.txt", month=1, year=2024)
    entries = list(result.issue.entries.all())
    assert [(e.kind, e.title[:20]) for e in entries] == [
        ("document", "Kế hoạch số 5-KH/TU,"),
        ("article", "Giới thiệu sách Nhữn"),
        ("news", "Tin hoạt động"),
    ]
    assert "<p>2. Tăng cường công tác lãnh đạo" in entries[0].body
    assert "<p>1. Phần một: thời niên thiếu.</p>" in entries[1].body
    assert entries[2].news_items.get().event_date.isoformat() == "2024-01-05"


def test_markdown_headings():
    text = (
        "# 1. Kế hoạch số 5-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về tuyên truyền\n\n"
        "## 1.1. Mục tiêu\n\n"
        "nâng cao nhận thức.\n\n"
        "# Tin hoạt động\n\n"
        "## Hội nghị tổng kết năm\n\n"
        "Thành ủy tổ chức hội nghị.\n"
    )
    result = import_into_draft(text, filename="x.md", month=1, year=2024)
    document, news = result.issue.entries.all()
    assert document.body == "<h3>1.1. Mục tiêu</h3><p>nâng cao nhận thức.</p>"
    assert news.kind == EntryKind.NEWS
    assert news.news_items.get().title == "Hội nghị tổng kết năm"
