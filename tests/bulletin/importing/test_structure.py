"""structure.py: blocks to a ParsedIssue — cover, items, news, captions, and the import report."""

from bulletin.importing.blocks import Block
from bulletin.importing.lines import Line
from bulletin.importing.structure import build_issue


def block(kind, text, *, number="", depth=0, top=False, notes=()):
    return Block(
        kind=kind,
        text=text,
        lines=[Line(text)],
        number=number,
        depth=depth,
        top=top,
        notes=list(notes),
    )


def test_cover_items_news_and_report():
    parsed = build_issue(
        [
            block("para", "THÀNH ỦY CAO BẰNG"),
            block("para", "BAN TUYÊN GIÁO"),
            block("para", "Tháng 6 năm 2024"),
            block("toc", "NỘI DUNG"),
            block(
                "num",
                "Kế hoạch số 5-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về tuyên truyền",
                number="1",
                top=True,
                notes=["a heading of 5 lines: check where it ends"],
            ),
            block("para", "Nội dung."),
            block("num", "Kết quả kỳ họp HĐND", number="2", top=True),
            block("para", "Kỳ họp đã thành công."),
            block("caption", "Đại biểu dự kỳ họp"),
            block("num", "Tin hoạt động", number="3", top=True),
            block("sub", "Hội nghị tổng kết", number="3.1", depth=2),
            block("para", "Sáng 05/01/2024, Thành ủy tổ chức hội nghị."),
            block("caption", "Quang cảnh hội nghị"),
        ]
    )
    assert (parsed.committee, parsed.board, parsed.month, parsed.year) == (
        "THÀNH ỦY CAO BẰNG",
        "BAN TUYÊN GIÁO",
        6,
        2024,
    )
    plan, article, news = parsed.entries
    assert plan.citation.number == "5-KH/TU" and plan.body == "<p>Nội dung.</p>"
    # A caption inside an article is a caption slot, kept in its place in the body.
    assert [c.text for c in article.captions] == ["Đại biểu dự kỳ họp"]
    assert article.body.endswith('<p class="caption-pending">Đại biểu dự kỳ họp</p>')
    (item,) = news.news_items
    assert (item.title, item.event_date.isoformat()) == ("Hội nghị tổng kết", "2024-01-05")
    assert [c.text for c in item.captions] == ["Quang cảnh hội nghị"]
    assert parsed.captions == 2
    # The report: what each item holds, then what the importer was unsure of, naming the item.
    report = [(f.entry, f.unsure, f.message) for f in parsed.findings]
    assert report == [
        (1, False, "văn bản 5-KH/TU"),
        (2, False, "Bài viết, 1 chú thích ảnh"),
        (3, False, "Tin hoạt động, 1 tin hoạt động, 1 chú thích ảnh"),
        (1, True, "a heading of 5 lines: check where it ends"),
    ]
    assert parsed.findings[-1].title.startswith("Kế hoạch số 5-KH/TU")


def test_the_month_is_read_from_the_cover_line_whatever_follows():
    parsed = build_issue(
        [
            block("para", "Tháng 12 năm 2023 - Số đặc biệt"),
            block("num", "Tin hoạt động", number="1", top=True),
        ]
    )
    assert (parsed.month, parsed.year) == (12, 2023)
