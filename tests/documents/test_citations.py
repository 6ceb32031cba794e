import datetime

import pytest

from documents.citations import (
    CitationError,
    FoundCitation,
    find_citations,
    parse_citation,
    starts_with_citation,
)
from documents.models import DocumentType

# Every document cited by a top-level heading of the three samples, copied by hand from the
# files with their wrapped lines joined.
SAMPLE_HEADINGS = [
    (
        "Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban Thường vụ Tỉnh ủy Cao Bằng về lãnh đạo "
        "công tác bảo đảm an ninh, trật tự năm 2024",
        DocumentType.DIRECTIVE,
        "29-CT/TU",
        datetime.date(2024, 2, 6),
        "Ban Thường vụ Tỉnh ủy Cao Bằng",
        "lãnh đạo công tác bảo đảm an ninh, trật tự năm 2024",
    ),
    (
        "Chương trình hành động số 19-CTr/TU, ngày 12/01/2024 của Thành ủy Cao Bằng thực hiện "
        "Nghị quyết số 29-NQ/TW, ngày 17/11/2022 Hội nghị lần thứ sáu Ban Chấp hành Trung ương "
        "Đảng khóa XIII về tiếp tục đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước đến năm "
        "2030, tầm nhìn đến năm 2045",
        DocumentType.ACTION_PROGRAM,
        "19-CTr/TU",
        datetime.date(2024, 1, 12),
        "Thành ủy Cao Bằng",
        "thực hiện Nghị quyết số 29-NQ/TW, ngày 17/11/2022 Hội nghị lần thứ sáu Ban Chấp hành "
        "Trung ương Đảng khóa XIII về tiếp tục đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước "
        "đến năm 2030, tầm nhìn đến năm 2045",
    ),
    (
        "Kế hoạch số 361-KH/TU, ngày 30/01/2024 của Thành ủy Cao Bằng về phát triển Đảng viên "
        "năm 2024",
        DocumentType.PLAN,
        "361-KH/TU",
        datetime.date(2024, 1, 30),
        "Thành ủy Cao Bằng",
        "phát triển Đảng viên năm 2024",
    ),
    (
        "Chỉ thị số 26-CT/TW, ngày 23/11/2023 của Ban Bí thư về việc tổ chức tết Giáp Thìn năm "
        "2024",
        DocumentType.DIRECTIVE,
        "26-CT/TW",
        datetime.date(2023, 11, 23),
        "Ban Bí thư",
        "việc tổ chức tết Giáp Thìn năm 2024",
    ),
    (
        "Kế hoạch số 339-KH/TU, ngày 27/11/2023 của Thành ủy Cao Bằng về Xây dựng mô hình "
        "“Đảng bộ 4 tốt”, “Chi bộ 4 tốt”.",
        DocumentType.PLAN,
        "339-KH/TU",
        datetime.date(2023, 11, 27),
        "Thành ủy Cao Bằng",
        "Xây dựng mô hình “Đảng bộ 4 tốt”, “Chi bộ 4 tốt”",
    ),
    (
        "Đề án số 02-ĐA/TU, ngày 30/11/2023 về phát triển đảng viên đối với đoàn viên ưu tú là "
        "học sinh trong các trường Trung học phổ thông trên địa bàn Thành phố, giai đoạn 2023 - "
        "2025 và những năm tiếp theo.",
        DocumentType.PROJECT,
        "02-ĐA/TU",
        datetime.date(2023, 11, 30),
        None,
        "phát triển đảng viên đối với đoàn viên ưu tú là học sinh trong các trường Trung học "
        "phổ thông trên địa bàn Thành phố, giai đoạn 2023 - 2025 và những năm tiếp theo",
    ),
    (
        "Kế hoạch số 388-KH/TU, ngày 15/4/2024 của Thành ủy Cao Bằng về thực hiện Chỉ thị số "
        "24-CT/TU, ngày 19/5/2023 của BTV Tỉnh ủy Cao Bằng về tiếp tục tăng cường sự lãnh đạo "
        "của Đảng đối với công tác phòng chống tham nhũng, tiêu cực trên địa bàn thành phố Cao "
        "Bằng",
        DocumentType.PLAN,
        "388-KH/TU",
        datetime.date(2024, 4, 15),
        "Thành ủy Cao Bằng",
        "thực hiện Chỉ thị số 24-CT/TU, ngày 19/5/2023 của BTV Tỉnh ủy Cao Bằng về tiếp tục "
        "tăng cường sự lãnh đạo của Đảng đối với công tác phòng chống tham nhũng, tiêu cực trên "
        "địa bàn thành phố Cao Bằng",
    ),
    (
        "Kế hoạch số 402-KH/TU, ngày 08/5/2024 của Thành ủy Cao Bằng thực hiện Nghị quyết số "
        "42-NQ/TW, ngày 24/11/2023 Hội nghị lần thứ tám Ban Chấp hành Trung ương Đảng (khóa "
        "XIII) về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp ứng yêu cầu sự "
        "nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới.",
        DocumentType.PLAN,
        "402-KH/TU",
        datetime.date(2024, 5, 8),
        "Thành ủy Cao Bằng",
        "thực hiện Nghị quyết số 42-NQ/TW, ngày 24/11/2023 Hội nghị lần thứ tám Ban Chấp hành "
        "Trung ương Đảng (khóa XIII) về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, "
        "đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới",
    ),
]


@pytest.mark.parametrize(
    ("heading", "doc_type", "number", "issued_on", "issuer", "subject"), SAMPLE_HEADINGS
)
def test_sample_headings(heading, doc_type, number, issued_on, issuer, subject):
    citation = parse_citation(heading)
    assert citation.doc_type == doc_type
    assert citation.number == number
    assert citation.issued_on == issued_on
    assert citation.issuer == issuer
    assert citation.subject == subject


def test_numbers_are_kept_as_printed():
    citation = parse_citation("Kế hoạch số 210/KH-UBND, ngày 8/5/2024 của UBND Thành phố về y")
    assert citation.number == "210/KH-UBND"
    assert citation.issuer == "UBND Thành phố"


def test_heading_without_subject_has_an_empty_subject():
    citation = parse_citation("Quyết định số 15-QĐ/TU, ngày 01/3/2024 của Thành ủy Cao Bằng")
    assert citation.doc_type == DocumentType.DECISION
    assert citation.issuer == "Thành ủy Cao Bằng"
    assert citation.subject == ""


def test_subject_introduced_by_a_verb():
    citation = parse_citation(
        "Quyết định số 15-QĐ/TU, ngày 01/3/2024 của Thành ủy Cao Bằng ban hành Quy chế làm việc"
    )
    assert citation.issuer == "Thành ủy Cao Bằng"
    assert citation.subject == "ban hành Quy chế làm việc"


def test_no_issuer_is_guessed_when_it_cannot_be_told_apart():
    rest = "của Thành ủy " + "rất dài " * 30
    citation = parse_citation(f"Thông báo số 3-TB/TU, ngày 01/3/2024 {rest}")
    assert citation.issuer is None
    assert citation.subject == rest.strip()


def test_extra_spaces_and_decomposed_text_are_normalised():
    decomposed = "Chi\u0309 thi\u0323 số 29-CT/TU,  ngày 06/02/2024   về an ninh"
    citation = parse_citation(decomposed)
    assert citation.doc_type == DocumentType.DIRECTIVE
    assert citation.subject == "an ninh"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Chỉ thị số 29-CT/TU, ngày 31/02/2024 của Thành ủy", "Ngày 31/02/2024 của văn bản"),
        ("Chỉ thị số 29-CT/TU, ngày 06/13/2024 của Thành ủy", "không có thật"),
        ("Chỉ thị số, ngày 06/02/2024 của Thành ủy", "không có số văn bản"),
        ("Chỉ thị của Ban Bí thư về tết", "không có số văn bản"),
        ("Chỉ thị số 29-CT/TU của Ban Bí thư về tết", "không có ngày"),
        ("Thư số 29-CT/TU, ngày 06/02/2024 của Ban Bí thư", "không bắt đầu bằng một loại"),
        ("Giới thiệu tác phẩm của Tổng Bí thư", "không bắt đầu bằng một loại"),
    ],
)
def test_malformed_citations_are_refused_with_a_clear_message(text, message):
    with pytest.raises(CitationError, match=message):
        parse_citation(text)


def test_citation_error_is_a_value_error():
    assert issubclass(CitationError, ValueError)


def test_starts_with_citation():
    assert starts_with_citation("Kế hoạch số 361-KH/TU, ngày 30/01/2024")
    assert not starts_with_citation("Thực hiện có hiệu quả Quy định số 132-QĐ/TW")
    assert not starts_with_citation("Tin hoạt động")


def test_find_citations_in_running_text():
    text = (
        "Lãnh đạo thực hiện Nghị quyết số 29-NQ/TW, ngày 17/11/2022 Hội nghị lần thứ sáu; "
        "Kết luận số 21-KL/TW, ngày 25/10/2021 về kết luận Hội nghị; "
        "Đề án số 14-ĐA/TU ngày 27/12/2022 của Tỉnh ủy; tổng kết chỉ thị số 35-CT/TW của Bộ "
        "Chính trị và Nghị quyết 13 của Bộ Chính trị năm 1988."
    )
    found = find_citations(text)
    assert [(f.doc_type, f.number, f.issued_on) for f in found] == [
        (DocumentType.RESOLUTION, "29-NQ/TW", datetime.date(2022, 11, 17)),
        (DocumentType.CONCLUSION, "21-KL/TW", datetime.date(2021, 10, 25)),
        (DocumentType.PROJECT, "14-ĐA/TU", datetime.date(2022, 12, 27)),
        (DocumentType.DIRECTIVE, "35-CT/TW", None),
    ]
    assert text[found[0].start : found[0].end] == "Nghị quyết số 29-NQ/TW, ngày 17/11/2022"
    assert text[found[2].start : found[2].end] == "Đề án số 14-ĐA/TU ngày 27/12/2022"
    assert isinstance(found[0], FoundCitation)


def test_find_citations_leaves_an_impossible_date_out():
    text = "theo Chỉ thị số 29-CT/TU, ngày 31/02/2024 của Thành ủy"
    [found] = find_citations(text)
    assert found.issued_on is None
    assert text[found.start : found.end] == "Chỉ thị số 29-CT/TU"


def test_find_citations_joins_a_number_wrapped_at_its_hyphen():
    [found] = find_citations("thực hiện Chỉ thị 35- CT/TW; tập trung lãnh đạo")
    assert found.number == "35-CT/TW"


def test_find_citations_in_empty_text():
    assert find_citations("") == []
    assert find_citations(None) == []
