"""reading.py: bytes to lines, with the layout's evidence and the refusals of bad input."""

import pytest

from bulletin.importing.errors import ImportRefused
from bulletin.importing.reading import MAX_TEXT_CHARS, normalise, read_lines


def texts(lines):
    return [line.text for line in lines]


def test_lines_carry_the_layout():
    text = "Một dòng đầy \n\n tiếp theo.\n\n\n\nChú thích ảnh  \n\n12\n\nsau trang\n"
    lines = read_lines(text.encode(), filename="x.txt")
    assert texts(lines) == ["Một dòng đầy", "tiếp theo.", "Chú thích ảnh", "sau trang"]
    first, second, caption, after_page = lines
    assert second.indent == 1 and not second.gap
    assert caption.gap and caption.after_stop and caption.trailing == 2
    # The page number is dropped; the line after it is neither a gap nor a new paragraph.
    assert after_page.page_break and not after_page.gap


def test_markdown_headings_become_styles():
    lines = read_lines("# 1. Kế hoạch\n\n## 1.1. Mục tiêu\n\n### a\n".encode(), filename="x.md")
    assert [(line.style, line.text) for line in lines] == [
        ("h1", "1. Kế hoạch"),
        ("h2", "1.1. Mục tiêu"),
        ("h3", "a"),
    ]


def test_text_is_nfc_with_plain_spaces():
    lines = read_lines("Ho\u0300a\u00a0bi\u0300nh\r\n".encode(), filename="x.txt")
    assert texts(lines) == ["Hòa bình"]


@pytest.mark.parametrize(
    ("printed", "plain"),
    [
        ("“Đảng bộ 4 tốtˮ, “Chi bộ 4 tốtˮ", "“Đảng bộ 4 tốt”, “Chi bộ 4 tốt”"),
        ("“Chi bộ 4 tốtʺ", "“Chi bộ 4 tốt”"),
        # Without an opening quote the look-alike is left as printed: it is not unambiguous.
        ("ˮ lẻ loi", "ˮ lẻ loi"),
    ],
)
def test_lookalike_closing_quotes_are_made_plain(printed, plain):
    assert normalise(printed) == plain


def test_utf16_with_a_bom_is_read():
    lines = read_lines("1. Tin hoạt động\n".encode("utf-16"), filename="x.txt")
    assert texts(lines) == ["1. Tin hoạt động"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.txt", "Tệp trống"),
        (b"\n \n", "x.md", "Tệp trống"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt", "không phải tệp văn bản"),
        (b"1. Tin ho\xb9t \xae\xe9ng\n", "x.txt", "TCVN3 hoặc VNI"),
        ("1. Tin".encode("utf-16-le"), "x.txt", "thiếu dấu BOM"),
        (b"1. Tin", "x.odt", "Không nhập được tệp loại “.odt”"),
        (b"1. Tin", "x.pdf", "không phải là tệp PDF"),
        ("1. Tin", "x.pdf", "PDF hoặc bản quét phải được đưa vào dưới dạng byte"),
        (b"x" * 30_000 + b"\n", "x.txt", "Dòng 1 dài 30,000 ký tự"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(data, filename, message):
    with pytest.raises(ImportRefused, match=message):
        read_lines(data, filename=filename)


def test_huge_text_is_refused_before_it_is_split():
    text = ("Một dòng văn bản bình thường của bản tin.\n" * (MAX_TEXT_CHARS // 40 + 10)).encode()
    with pytest.raises(ImportRefused, match="tối đa 5,000,000 ký tự"):
        read_lines(text, filename="x.txt")
