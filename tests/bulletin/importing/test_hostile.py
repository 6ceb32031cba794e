"""Hostile text: each input gets a clear Vietnamese refusal or a correct import, never a silent
merge, and stays linear in time (see bench/import_scale.py for the figures)."""

import pytest

from bulletin.importing import ImportRefused, parse_only
from bulletin.importing.blocks import MAX_ITEMS

COVER = "THÀNH ỦY CAO BẰNG\n\nBAN TUYÊN GIÁO\n\nTháng 6 năm 2024\n\nNỘI DUNG\n\n"


def parse(text, **options):
    return parse_only(text.encode(), filename="x.txt", **options)


def test_100k_short_lines_are_one_paragraph_read_whole():
    text = COVER + "1. Giới thiệu sách\n\n" + "".join(f"dòng ngắn {n}\n" for n in range(100_000))
    parsed = parse(text)
    (entry,) = parsed.entries
    # A heading never runs on beyond six lines, and the report says so.
    assert (
        entry.title == "Giới thiệu sách dòng ngắn 0 dòng ngắn 1 dòng ngắn 2 dòng ngắn 3 dòng ngắn 4"
    )
    assert entry.body.startswith("<p>dòng ngắn 5 dòng ngắn 6 ")
    assert entry.body.endswith("dòng ngắn 99999</p>")
    assert [f.message for f in parsed.findings if f.unsure] == [
        "một tiêu đề dài 6 dòng: hãy kiểm tra tiêu đề kết thúc ở đâu"
    ]


def test_10k_numbered_items_are_refused_not_merged():
    text = COVER + "".join(f"{n}. Mục thứ {n}\n\nNội dung của mục.\n\n" for n in range(1, 10_001))
    with pytest.raises(
        ImportRefused, match=f"Tệp đánh số 10000 mục; một bản tin chỉ có tối đa {MAX_ITEMS} mục"
    ):
        parse(text)


def test_items_up_to_the_cap_are_imported_as_items():
    items = "".join(
        f"{n}. Kế hoạch số {n}-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về nhiệm vụ {n}\n\n"
        "Nội dung của kế hoạch.\n\n"
        for n in range(1, 41)
    )
    parsed = parse(COVER + items)
    assert len(parsed.entries) == 40
    assert [e.citation.number for e in parsed.entries][-1] == "40-KH/TU"
    # The cover's month is found however many items follow it.
    assert (parsed.month, parsed.year) == (6, 2024)


def test_the_cover_month_is_found_whatever_follows_it():
    text = COVER.replace("Tháng 6 năm 2024", "Tháng 6 năm 2024 (số 6)") + "".join(
        f"{n}. Kế hoạch số {n}-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về việc {n}\n\n"
        for n in range(1, 36)
    )
    assert (parse(text).month, parse(text).year) == (6, 2024)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp trống"),
        (b"\x00\x01\x02\x03binary\xff\xfe" * 100, "không phải tệp văn bản"),
        ("1. Tin hoạt động\n".encode() + b"a" * 21_000_000, "Tệp lớn hơn 20 MB"),
        (("Một dòng văn bản bình thường.\n" * 200_000).encode(), "tối đa 5,000,000 ký tự"),
    ],
)
def test_empty_binary_and_huge_files_are_refused(data, message):
    with pytest.raises(ImportRefused, match=message):
        parse_only(data, filename="x.txt", month=1, year=2024)


def test_text_without_items_is_refused():
    with pytest.raises(ImportRefused, match="Không tìm thấy mục nào được đánh số"):
        parse("Một bài viết không có mục nào được đánh số.\n", month=1, year=2024)


def test_a_line_of_one_word_and_a_number_is_read_after_a_full_title():
    """The words' casing is asked of a line like "Năm 2024." (one word, then a number): the
    text writes "năm" in lower case, so it opens a sentence after the title's full lines."""
    width_setter = "Trong năm nay và những năm tới, các cấp ủy tiếp tục quán triệt thực hiện tốt."
    text = COVER + "".join(
        f"{line} \n\n"
        for line in [
            "1. Tin hoạt động",
            "1.1. Đoàn đại biểu Ban Thường vụ Thành ủy Cao Bằng vào Lăng viếng Chủ tịch Hồ",
            "Chí Minh và tham quan các di tích lịch sử, văn hóa tiêu biểu của thủ đô Hà Nội",
            "Năm 2024.",
            *[width_setter] * 25,
        ]
    )
    (news,) = parse(text, month=6, year=2024).entries
    (item,) = news.news_items
    assert item.title.endswith(
        "Chủ tịch Hồ Chí Minh và tham quan các di tích lịch sử, văn hóa tiêu biểu của thủ đô Hà Nội"
    )
    assert item.body.startswith("<p>Năm 2024.</p><p>Trong năm nay")
