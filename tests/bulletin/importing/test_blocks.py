"""blocks.py: which printed lines belong together, decided from evidence in the text.

Each case is a hand-made dump of a pattern real issues print; the assertions are on what the
editor gets (titles, subjects, the HTML of bodies), through ``parse_only`` (no database).
"""

import pytest

from bulletin.importing import parse_only
from bulletin.importing.blocks import read_blocks
from bulletin.importing.lines import Line

from .dumps import dump


def parse(*printed):
    return parse_only(dump(*printed).encode(), filename="x.txt")


def test_a_citation_heading_over_five_lines_keeps_its_whole_subject():
    parsed = parse(
        "1. Kế hoạch số 45-KH/TU, ngày 12/3/2024 của Ban Thường vụ Thành ủy Cao Bằng về",
        "Tăng cường thực hiện Nghị quyết số 21-NQ/TW, ngày 16/6/2022 của Hội nghị lần",
        "thứ năm Ban Chấp hành Trung ương Đảng khóa XIII về tăng cường củng cố, xây dựng",
        "Tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ đảng viên trong giai đoạn mới",
        "trên địa bàn Thành phố",
        "Ngày 12/3/2024, Ban Thường vụ Thành ủy ban hành Kế hoạch nhằm tiếp tục quán triệt",
        "sâu sắc các quan điểm, mục tiêu của Nghị quyết. Kế hoạch nêu rõ các nhiệm vụ cụ thể.",
    )
    (entry,) = parsed.entries
    assert entry.citation.subject.startswith("Tăng cường thực hiện Nghị quyết số 21-NQ/TW")
    assert entry.citation.subject.endswith("trong giai đoạn mới trên địa bàn Thành phố")
    assert entry.body.startswith("<p>Ngày 12/3/2024, Ban Thường vụ Thành ủy ban hành")
    # Five lines is unusual: the report asks the editor to check where the heading ends.
    assert [f.message for f in parsed.findings if f.unsure] == [
        "một tiêu đề dài 5 dòng: hãy kiểm tra tiêu đề kết thúc ở đâu"
    ]


def test_a_citation_heading_of_three_full_lines_ending_with_a_stop():
    (entry,) = parse(
        "1. Kế hoạch số 402-KH/TU, ngày 08/5/2024 của Thành ủy Cao Bằng thực hiện Nghị",
        "quyết số 42-NQ/TW, ngày 24/11/2023 Hội nghị lần thứ tám Ban Chấp hành Trung ương",
        "Đảng (khóa XIII) về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp",
        "ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới.",
        "Thực hiện Nghị quyết, Thành ủy ban hành kế hoạch với các nội dung sau đây:",
    ).entries
    assert entry.title.endswith("bảo vệ Tổ quốc trong giai đoạn mới.")
    assert entry.body.startswith("<p>Thực hiện Nghị quyết, Thành ủy ban hành")


def test_a_heading_whose_last_line_is_full_stops_before_a_paragraph():
    (entry,) = parse(
        "1. Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban Thường vụ Tỉnh ủy Cao Bằng về",
        "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024 trên địa bàn toàn tỉnh",
        "Năm 2023 tình hình thế giới, khu vực và trong nước tiếp tục diễn biến nhanh,",
        "phức tạp. Dưới sự lãnh đạo của cấp ủy, tình hình an ninh trật tự được giữ vững.",
    ).entries
    assert entry.citation.subject == (
        "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024 trên địa bàn toàn tỉnh"
    )
    assert entry.body.startswith("<p>Năm 2023 tình hình thế giới")


def test_a_news_title_over_three_lines_and_a_caption_over_two():
    (news,) = parse(
        "1. Tin hoạt động",
        "1.1. Đồng chí Bí thư Thành ủy dự Hội nghị tổng kết công tác xây dựng Đảng và hệ",
        "thống chính trị năm 2023, triển khai nhiệm vụ trọng tâm năm 2024 của Đảng bộ các",
        "phường, xã trên địa bàn Thành phố",
        "Sáng 15/01/2024, Đảng ủy phường Hợp Giang tổ chức hội nghị tổng kết công tác năm",
        "2023. Dự hội nghị có lãnh đạo Thành ủy và các ban, ngành của Thành phố.",
        " ",
        "Đồng chí Bí thư Thành ủy phát biểu chỉ đạo tại hội nghị tổng kết công tác xây dựng",
        "Đảng của phường Hợp Giang",
        " ",
        "Hội nghị đã thảo luận, thống nhất các chỉ tiêu và giải pháp cho năm 2024.",
    ).entries
    (item,) = news.news_items
    assert item.title.endswith("năm 2024 của Đảng bộ các phường, xã trên địa bàn Thành phố")
    assert [caption.text for caption in item.captions] == [
        "Đồng chí Bí thư Thành ủy phát biểu chỉ đạo tại hội nghị tổng kết công tác xây dựng "
        "Đảng của phường Hợp Giang"
    ]
    assert item.event_date.isoformat() == "2024-01-15"
    assert (
        '<p class="caption-pending">Đồng chí Bí thư Thành ủy phát biểu chỉ đạo tại hội nghị tổng '
        "kết công tác xây dựng Đảng của phường Hợp Giang</p><p>Hội nghị đã thảo luận"
    ) in item.body


def body(*printed):
    return parse("1. Giới thiệu sách Những mẩu chuyện về Bác Hồ", *printed).entries[0].body


@pytest.mark.parametrize(
    ("printed", "heading"),
    [
        ("1.1 Mục tiêu phát triển", "<h3>1.1. Mục tiêu phát triển</h3>"),
        ("4. 2. Thời gian thi đua", "<h3>4.2. Thời gian thi đua</h3>"),
        ("2.1.1. Mục tiêu chung", "<h4>2.1.1. Mục tiêu chung</h4>"),
    ],
)
def test_sub_headings_as_printed(printed, heading):
    html = body(printed, "Nâng cao năng lực lãnh đạo của tổ chức đảng.")
    assert html.startswith(heading + "<p>Nâng cao năng lực")


def test_a_quantity_is_not_a_sub_heading():
    html = body("Tổng thu ngân sách đạt", "1.5 lần so với cùng kỳ năm trước.")
    assert "<h3>" not in html and "1.5 lần so với" in html


def test_a_run_in_heading_is_a_heading_and_a_paragraph():
    html = body(
        "4.3. Đối tượng thi đua: Các cơ quan, ban, ngành, đoàn thể Thành phố; các chi, đảng bộ",
        "trực thuộc Thành ủy; các tập thể, cá nhân có thành tích xuất sắc trong thực hiện nhiệm",
        "vụ chính trị của địa phương, đơn vị năm 2024.",
    )
    assert html.startswith(
        "<h3>4.3. Đối tượng thi đua:</h3><p>Các cơ quan, ban, ngành, đoàn thể Thành phố; "
        "các chi, đảng bộ trực thuộc Thành ủy;"
    )
    assert "đơn vị năm 2024.</p>" in html


def test_a_plus_item_split_at_a_full_stop_stays_in_its_list():
    html = body(
        "Các nhiệm vụ cụ thể:",
        "- Đối với các chi, đảng bộ:",
        "+ Thường xuyên rà soát, thống kê nguồn quần chúng của đơn vị, chủ động bồi dưỡng.",
        "Đồng thời báo cáo kết quả về Ban Tổ chức Thành ủy.",
        "+ Tăng cường giáo dục chính trị tư tưởng cho đảng viên.",
        "- Đối với các cơ quan chuyên môn:",
        "+ Tham mưu thực hiện các chỉ tiêu.",
    )
    assert html.startswith(
        '<p>Các nhiệm vụ cụ thể:</p><ul class="list-dash"><li>Đối với các chi, đảng bộ:'
        '<ul class="list-plus"><li>Thường xuyên rà soát, thống kê nguồn quần chúng của đơn vị, '
        "chủ động bồi dưỡng. Đồng thời báo cáo kết quả về Ban Tổ chức Thành ủy.</li>"
        "<li>Tăng cường giáo dục chính trị tư tưởng cho đảng viên.</li></ul></li>"
        '<li>Đối với các cơ quan chuyên môn:<ul class="list-plus"><li>Tham mưu thực hiện các '
        "chỉ tiêu.</li></ul></li></ul>"
    )


def test_plus_items_after_an_interrupting_paragraph_stay_under_their_parent():
    parsed = parse(
        "1. Giới thiệu sách Những mẩu chuyện về Bác Hồ",
        "- Đối với các chi, đảng bộ:",
        "+ Thường xuyên rà soát nguồn quần chúng.",
        "Việc này làm hằng quý.",
        "+ Tăng cường giáo dục chính trị tư tưởng.",
    )
    assert parsed.entries[0].body.startswith(
        '<ul class="list-dash"><li>Đối với các chi, đảng bộ:<ul class="list-plus"><li>Thường '
        "xuyên rà soát nguồn quần chúng.</li></ul><p>Việc này làm hằng quý.</p>"
        '<ul class="list-plus"><li>Tăng cường giáo dục chính trị tư tưởng.</li></ul></li></ul>'
    )
    assert any("cấp của danh sách là phỏng đoán" in f.message for f in parsed.findings)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Thành phố thực hiện các chỉ tiêu kinh tế - xã hội của giai đoạn 2022 -", "- 2025."),
        ("Thành phố thực hiện các chỉ tiêu kinh tế - xã hội của giai đoạn 2022 cho tới", "- 2025."),
    ],
)
def test_a_dash_that_goes_on_a_wrapped_line_is_text(first, second):
    html = body(first, second)
    assert "<li>" not in html
    assert "2022 - 2025." in html or "2022 cho tới - 2025." in html


def test_a_dash_before_a_capital_opens_an_item():
    html = body("Nhiệm vụ trọng tâm", "- Tiếp tục quán triệt các nghị quyết.")
    assert '<ul class="list-dash"><li>Tiếp tục quán triệt các nghị quyết.</li></ul>' in html


def test_a_lookalike_closing_quote_is_made_plain():
    html = body("Nhiều mô hình được đánh giá là “Chi bộ 4 tốtˮ trong năm.")
    assert "“Chi bộ 4 tốt”" in html and "ˮ" not in html


def test_a_year_the_wrap_put_first_on_a_line_is_not_a_numbered_point():
    html = body(
        "Tổng thu ngân sách trên địa bàn đạt kết quả tốt, tăng so với cùng kỳ của năm",
        "2023. Các chỉ tiêu khác đều đạt và vượt kế hoạch đề ra.",
    )
    assert "năm 2023. Các chỉ tiêu khác" in html


# Word typography, given as hand-built lines -------------------------------------------------------


def word_blocks(*lines):
    return [(b.kind, b.number, b.text) for b in read_blocks(list(lines), from_word=True)]


class Picture:
    data = b"\x89PNG"
    filename = "anh.png"


def test_a_bold_numbered_line_is_a_heading():
    blocks = word_blocks(
        Line("1. Giới thiệu sách", style="h1"),
        Line("1.1 mục tiêu", bold=True),
        Line("Nội dung."),
    )
    assert blocks[1] == ("sub", "1.1", "mục tiêu")


def test_a_bold_lead_is_a_run_in_heading():
    blocks = word_blocks(
        Line("1. Giới thiệu sách", style="h1"),
        Line("4.3. Đối tượng thi đua: Các cơ quan, ban, ngành.", bold_lead=24),
        Line("Đối với cá nhân: ghi rõ thành tích.", bold_lead=16),
    )
    assert blocks[1:] == [
        ("sub", "4.3", "Đối tượng thi đua:"),
        ("para", "", "Các cơ quan, ban, ngành."),
        ("lead", "", "Đối với cá nhân:"),
        ("para", "", "ghi rõ thành tích."),
    ]


def test_words_in_bold_opening_a_sentence_are_no_run_in_heading():
    blocks = word_blocks(
        Line("1. Giới thiệu sách", style="h1"),
        Line("Gồm 78 bài viết, bài phát biểu của Tổng Bí thư.", bold_lead=6),
    )
    assert blocks[1:] == [("para", "", "Gồm 78 bài viết, bài phát biểu của Tổng Bí thư.")]


def test_a_centred_italic_line_after_pictures_is_their_caption():
    picture = Picture()
    blocks = read_blocks(
        [
            Line("1. Tin hoạt động", style="h1"),
            Line("1.1. Hội nghị", style="h2"),
            Line("Sáng 05/01/2024, Thành ủy tổ chức hội nghị."),
            Line("Quang cảnh hội nghị", italic=True, centred=True, pictures=[picture]),
            Line("Hội nghị đã thống nhất các chỉ tiêu."),
        ],
        from_word=True,
    )
    caption = blocks[3]
    assert (caption.kind, caption.text, caption.pictures) == (
        "caption",
        "Quang cảnh hội nghị",
        [picture],
    )
    assert blocks[4].kind == "para"


def test_contents_lines_are_skipped():
    blocks = read_blocks(
        [
            Line("NỘI DUNG"),
            Line("1. Giới thiệu sách ........ 3", contents=True),
            Line("2. Tin hoạt động ........ 9", contents=True),
            Line("1. Giới thiệu sách", style="h1"),
            Line("Nội dung."),
        ],
        from_word=True,
    )
    tops = [b.text for b in blocks if b.top]
    assert tops == ["Giới thiệu sách"]
    assert [b.kind for b in blocks[:3]] == ["toc", "toc", "toc"]


def test_a_page_break_is_not_a_paragraph_end():
    width_setters = [Line("x" * 78 + ".") for _ in range(25)]
    lines = [
        Line("1. Giới thiệu sách Những mẩu chuyện về Bác Hồ"),
        Line("Cuốn sách gồm ba mươi mẩu chuyện về cuộc đời hoạt động cách mạng của Bác Hồ, do"),
        Line("Nhà xuất bản Chính trị quốc gia Sự thật ấn hành năm 2023.", page_break=True),
        *width_setters,
    ]
    blocks = read_blocks(lines)
    assert blocks[1].text == (
        "Cuốn sách gồm ba mươi mẩu chuyện về cuộc đời hoạt động cách mạng của Bác Hồ, do "
        "Nhà xuất bản Chính trị quốc gia Sự thật ấn hành năm 2023."
    )


# A heading, news title or caption whose last printed line happens to be full -------------------
# Each case was a wrong join at some width of the metamorphic tests; the text around the full
# line decides, as it would in a real issue printed at another width.


def news_item(*printed):
    (news,) = parse("1. Tin hoạt động", *printed).entries
    (item,) = news.news_items
    return item


def test_a_caption_of_full_lines_ends_where_the_photos_place_closes():
    item = news_item(
        "1.1. Bí thư Tỉnh ủy dự Lễ phát động Tết trồng cây",
        "Sáng 15/2, tại Trung tâm Hội nghị tỉnh, Thành ủy tổ chức Lễ phát động Tết trồng cây.",
        " ",
        "Đồng chí Trần Hồng Minh, Ủy viên Ban Chấp hành Trung ương Đảng, Ủy viên Quốc hội,",
        "Bí thư Tỉnh ủy trao tặng hơn 1.600 cây Mai Anh Đào cho thành phố Cao Bằng năm nay",
        " ",
        "Tại buổi lễ, Đồng chí Bí thư Tỉnh ủy đã trao tặng 1.650 cây Mai Anh Đào cho Thành phố.",
    )
    assert [caption.text for caption in item.captions] == [
        "Đồng chí Trần Hồng Minh, Ủy viên Ban Chấp hành Trung ương Đảng, Ủy viên Quốc hội, "
        "Bí thư Tỉnh ủy trao tặng hơn 1.600 cây Mai Anh Đào cho thành phố Cao Bằng năm nay"
    ]
    assert "năm nay</p><p>Tại buổi lễ, Đồng chí Bí thư Tỉnh ủy đã trao tặng" in item.body


def test_a_line_opening_with_a_number_goes_on_the_sentence_before_it():
    """A line starting "2024; Nghị quyết ..." goes on a sentence: the capital after the number
    opens none, so the full caption before the paragraph does not take its first lines."""
    item = news_item(
        "1.1. Kỳ họp thứ 12, HĐND Thành phố khóa XXII",
        "Kỳ họp đã hoàn thành toàn bộ nội dung chương trình đề ra và thành công tốt đẹp.",
        " ",
        "Đại biểu HĐND Thành phố biểu quyết thông qua các tờ trình và dự thảo nghị quyết",
        "Trên cơ sở xem xét, thảo luận các báo cáo, tờ trình và dự thảo nghị quyết trình tại",
        "kỳ họp, các đại biểu đã nhất trí biểu quyết thông qua 07 nghị quyết về kế hoạch năm",
        "2024; Nghị quyết về dự toán thu ngân sách nhà nước trên địa bàn và các nghị quyết",
        "khác theo đúng quy định. Kỳ họp bế mạc vào chiều cùng ngày.",
    )
    assert [caption.text for caption in item.captions] == [
        "Đại biểu HĐND Thành phố biểu quyết thông qua các tờ trình và dự thảo nghị quyết"
    ]
    assert "dự thảo nghị quyết</p><p>Trên cơ sở xem xét" in item.body


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "1.1. Hội đàm giữa Đoàn đại biểu Thành ủy Cao Bằng và thành phố Tĩnh Tây (Trung",
            "Quốc) về hợp tác trên các lĩnh vực kinh tế, văn hóa, xã hội, du lịch và đô thị",
        ),
        (
            "1.1. Thành ủy Cao Bằng tổ chức nói chuyện chuyên đề “Cuộc đời, sự nghiệp của Hoàng",
            "Đình Giông và Hoàng Văn Nọn đối với cách mạng Việt Nam và quê hương Cao Bằng”",
        ),
    ],
    ids=["bracket", "quotation"],
)
def test_a_news_title_with_a_bracket_or_quotation_left_open_goes_on(first, second):
    item = news_item(
        first,
        second,
        "Sáng 09/5/2024, tại thành phố Cao Bằng đã diễn ra cuộc Hội đàm giữa hai Đoàn đại",
        "biểu. Hai bên trao đổi, thống nhất nhiều nội dung về hoạt động giao lưu, hợp tác.",
    )
    assert item.title == f"{first[5:]} {second}"
    assert item.body.startswith("<p>Sáng 09/5/2024, tại thành phố Cao Bằng")


def test_a_bracket_a_typo_left_open_does_not_make_the_paragraph_a_title():
    item = news_item(
        "1.1. Hội nghị Ban Chấp hành Đảng bộ Thành phố lần thứ 15 (mở rộng tổng kết năm 2023",
        "Sáng 05/01/2024, Thành ủy tổ chức Hội nghị tổng kết công tác năm 2023. Dự hội nghị",
        "có các đồng chí lãnh đạo Thành ủy, HĐND, UBND Thành phố và các ban, ngành, đoàn thể.",
    )
    assert item.title == (
        "Hội nghị Ban Chấp hành Đảng bộ Thành phố lần thứ 15 (mở rộng tổng kết năm 2023"
    )
    assert item.body.startswith("<p>Sáng 05/01/2024, Thành ủy tổ chức Hội nghị")


@pytest.mark.parametrize(
    "paragraph",
    [
        "Trong hai ngày 04 và 05/12, Đoàn công tác của Thành ủy do đồng chí Bí thư Thành",
        " Đoàn công tác của Thành ủy Cao Bằng trong hai ngày 04 và 05/12 do đồng chí Bí thư",
    ],
    ids=["a-sentence-opens", "an-indented-line"],
)
def test_a_news_title_whose_last_line_is_full_ends_before_the_paragraph(paragraph):
    item = news_item(
        "1.1. Đoàn đại biểu Ban Thường vụ Thành ủy Cao Bằng vào Lăng viếng Chủ tịch Hồ",
        "Chí Minh và tham quan các di tích lịch sử, văn hóa tiêu biểu tại thủ đô Hà Nội",
        paragraph,
        "ủy làm trưởng đoàn đã dâng hoa, vào Lăng viếng Chủ tịch Hồ Chí Minh và thăm quan",
        "Tòa nhà Quốc hội, Hoàng thành Thăng Long cùng nhiều di tích lịch sử khác của Thủ",
        "đô. Các đại biểu bày tỏ lòng biết ơn vô hạn đối với công lao to lớn của Người.",
    )
    assert item.title == (
        "Đoàn đại biểu Ban Thường vụ Thành ủy Cao Bằng vào Lăng viếng Chủ tịch Hồ Chí Minh và "
        "tham quan các di tích lịch sử, văn hóa tiêu biểu tại thủ đô Hà Nội"
    )
    assert item.body.startswith(f"<p>{paragraph.strip()} ủy làm trưởng đoàn")


def test_a_full_news_title_is_not_joined_to_a_one_line_sentence_after_it():
    """The line after the title opens a sentence ("Sáng 15/2, ..."): the text writes "sáng" in
    lower case inside its lines, so its stop is not the title's."""
    item = news_item(
        "1.1. Bí thư Tỉnh ủy dự Lễ phát động Tết trồng cây đời đời nhớ ơn Bác Hồ tại Cao Bằng",
        "Sáng 15/2, tại Trung tâm Hội nghị tỉnh, Thành ủy tổ chức Lễ phát động Tết trồng cây.",
        "Ngay trong buổi sáng, các đại biểu đã trồng 35 cây hoa Lê tại khu vực trung tâm và",
        "khuyến khích những cách làm sáng tạo để phong trào trồng cây lan tỏa rộng khắp.",
    )
    assert item.title == (
        "Bí thư Tỉnh ủy dự Lễ phát động Tết trồng cây đời đời nhớ ơn Bác Hồ tại Cao Bằng"
    )
    assert item.body.startswith("<p>Sáng 15/2, tại Trung tâm Hội nghị tỉnh")


def test_a_citation_heading_reads_on_over_a_full_line_to_its_stop():
    """The subject goes on over a full line to a line starting with a name ("Trung học phổ
    thông") and ends with a stop two lines further on: a four-line heading."""
    (entry,) = parse(
        "1. Đề án số 02-ĐA/TU, ngày 30/11/2023 về phát triển đảng viên đối với đoàn viên ưu",
        "tú là học sinh đang theo học tại các lớp bồi dưỡng nhận thức về Đảng ở các trường",
        "Trung học phổ thông và Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên tỉnh",
        "trong giai đoạn 2023 - 2025 và những năm tiếp theo.",
        "Kết cấu đề án gồm 4 phần",
        "Phần 1: Sự cần thiết và căn cứ xây dựng đề án",
    ).entries
    assert entry.citation.number == "02-ĐA/TU"
    assert entry.title.endswith(
        "ở các trường Trung học phổ thông và Trung tâm Giáo dục nghề nghiệp - Giáo dục "
        "thường xuyên tỉnh trong giai đoạn 2023 - 2025 và những năm tiếp theo."
    )
    assert entry.body.startswith("<p>Kết cấu đề án gồm 4 phần</p>")


def test_a_citation_heading_stops_before_a_one_sentence_paragraph():
    """After the heading's full last line a paragraph opens with a capital on a word the text
    writes in lower case ("Năm" / "năm 2024"): its stop two lines on is not the heading's."""
    (entry,) = parse(
        "1. Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban Thường vụ Tỉnh ủy Cao Bằng về",
        "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024 trên địa bàn toàn tỉnh Cao Bằng",
        "Năm 2023 tình hình thế giới, khu vực và trong nước tiếp tục diễn biến nhanh, phức",
        "tạp, ảnh hưởng trực tiếp đến sự phát triển kinh tế - xã hội.",
        "Để chủ động bảo đảm an ninh, trật tự năm 2024, Ban Thường vụ Tỉnh ủy yêu cầu các",
        "cấp ủy, tổ chức đảng thực hiện tốt các nhiệm vụ trọng tâm trong năm 2024 như sau:",
    ).entries
    assert entry.citation.subject == (
        "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024 trên địa bàn toàn tỉnh Cao Bằng"
    )
    assert entry.body.startswith(
        "<p>Năm 2023 tình hình thế giới, khu vực và trong nước tiếp tục diễn biến nhanh, phức "
        "tạp, ảnh hưởng trực tiếp đến sự phát triển kinh tế - xã hội.</p><p>Để chủ động"
    )


def test_a_long_citation_heading_whose_last_line_is_full_is_flagged_for_the_editor():
    parsed = parse(
        "1. Kế hoạch số 402-KH/TU, ngày 08/5/2024 của Thành ủy Cao Bằng thực hiện Nghị",
        "quyết số 42-NQ/TW, ngày 24/11/2023 Hội nghị lần thứ tám Ban Chấp hành Trung ương",
        "Đảng (khóa XIII) về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp",
        "ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới hiện nay",
        "Thực hiện Nghị quyết số 42-NQ/TW, Thành ủy Cao Bằng ban hành kế hoạch thực hiện",
        "với các nội dung cụ thể. Kế hoạch xác định mục đích, yêu cầu và các nhiệm vụ chủ yếu.",
    )
    (entry,) = parsed.entries
    assert entry.title.endswith("bảo vệ Tổ quốc trong giai đoạn mới hiện nay")
    assert entry.body.startswith("<p>Thực hiện Nghị quyết số 42-NQ/TW, Thành ủy Cao Bằng")
    assert [f.message for f in parsed.findings if f.unsure] == [
        "một tiêu đề có dòng cuối đầy: hãy kiểm tra tiêu đề kết thúc ở đâu"
    ]


def test_a_list_item_runs_on_over_a_clause_to_its_next_marker():
    html = body(
        "- Các chi, đảng bộ thực hiện tốt các văn bản sau:",
        "+ Chỉ thị số 04-CT/TU, ngày 04/3/2021 của Tỉnh ủy về nâng cao chất lượng sinh hoạt;",
        "Kế hoạch số 76-KH/TU, ngày 05/5/2021 của Ban Thường vụ Thành ủy về việc thực hiện.",
        "+ Tăng cường giáo dục chính trị tư tưởng cho đảng viên.",
    )
    assert html.startswith(
        '<ul class="list-dash"><li>Các chi, đảng bộ thực hiện tốt các văn bản sau:'
        '<ul class="list-plus"><li>Chỉ thị số 04-CT/TU, ngày 04/3/2021 của Tỉnh ủy về nâng cao '
        "chất lượng sinh hoạt; Kế hoạch số 76-KH/TU, ngày 05/5/2021 của Ban Thường vụ Thành ủy "
        "về việc thực hiện.</li><li>Tăng cường giáo dục chính trị tư tưởng cho đảng viên.</li>"
        "</ul></li></ul>"
    )
