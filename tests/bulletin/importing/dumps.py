"""Hand-made text dumps: printed lines as given, with the habits of the real dumps."""

from .printer import wrap

# Running text that sets the page's usual full line (about 80 characters) around a test's lines.
FILLER = " ".join(
    [
        "Các cấp ủy, tổ chức đảng tiếp tục quán triệt, triển khai thực hiện nghiêm túc, có hiệu",
        "quả các chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tăng cường công tác",
        "kiểm tra, giám sát, kịp thời phát hiện, chấn chỉnh những hạn chế, thiếu sót trong quá",
        "trình tổ chức thực hiện ở cơ sở, bảo đảm đúng tiến độ và chất lượng đề ra.",
    ]
    * 6
)
COVER = ["THÀNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO", "Tháng 6 năm 2024", "NỘI DUNG"]


def filler(width=80):
    return wrap(FILLER, width)


def dump(*printed, cover=True, width=80):
    """A dump of ``printed`` lines (each followed by an empty line, as the dumps print them),
    after a cover and before a filler paragraph that shows the page's full line."""
    lines = (COVER if cover else []) + list(printed) + filler(width)
    return "".join(f"{line} \n\n" for line in lines)
