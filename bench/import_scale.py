"""Benchmark: reading and parsing stay linear in the number of lines.

    .venv/bin/python bench/import_scale.py [--runs 3]

For 2k, 8k, 32k and 100k lines it times ``parse_only`` (reading, joining lines, recovering the
structure; no database) on two kinds of text and prints milliseconds, microseconds per line, and
the ratio of the time per line at 100k to the time per line at 2k, measured in the same run
(about 1 for a linear parser; the old joiner was quadratic: 8,000 lines took 4 s):

- dump: an issue as the extraction tools print it, made of sample 000's body lines (cover,
  numbered items with citation headings, sub-headings, lists, captions, page numbers);
- short: a cover and one item, then short lines without punctuation, the worst case for
  joining (every line goes on the one before it);
- titles: news items whose titles run over full lines into paragraphs of full lines opening with
  a capital, so that every join asks whether a line opens a sentence (the words' casing is
  counted from the first lines only, ``blocks.CASING_LINES``).

Nothing is asserted: the figures are for people. The goal is 100k lines in under 3 s.
"""

import argparse

from harness import ROOT, median_ms, setup_django

SIZES = [2_000, 8_000, 32_000, 100_000]
COVER = "THÀNH ỦY CAO BẰNG\n\nBAN TUYÊN GIÁO\n\nTháng 6 năm 2024\n\nNỘI DUNG\n\n"


def body_lines():
    """Sample 000's lines inside its first item, without item headings."""
    text = (ROOT / "samples" / "000_c1a9d393be3cfc51.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("1. Chỉ thị")) + 4
    end = next(i for i, line in enumerate(lines) if line.startswith("2. Chương trình"))
    return lines[start:end]


def dump_text(size):
    body = body_lines()
    items = max(1, size // 2000)
    per_item = size // items
    out = [COVER]
    for number in range(1, items + 1):
        out.append(
            f"{number}. Kế hoạch số {number}-KH/TU, ngày 15/4/2024 của Thành ủy Cao Bằng về \n\n"
            f"thực hiện nhiệm vụ năm 2024 \n\n"
        )
        # The sample prints an empty line after each line: one printed line is two text lines.
        out.extend(f"{body[n % len(body)]}\n" for n in range(per_item - 2))
    return "".join(out)


def short_text(size):
    head = COVER + "1. Giới thiệu sách\n\n"
    return head + "".join(f"dòng ngắn {n}\n" for n in range(size))


def titles_text(size):
    """News titles whose last line is full, each followed by a paragraph of full lines."""
    head = COVER + "1. Tin hoạt động\n\n"
    block = [
        "Đoàn đại biểu Ban Thường vụ Thành ủy Cao Bằng vào Lăng viếng Chủ tịch Hồ",
        "Chí Minh và tham quan các di tích lịch sử, văn hóa tiêu biểu của thủ đô Hà Nội",
        "Trong hai ngày 04 và 05/12, Đoàn công tác của Thành ủy do đồng chí Bí thư Thành",
        "ủy làm trưởng đoàn đã dâng hoa, vào Lăng viếng Chủ tịch Hồ Chí Minh và thăm quan",
        "Tòa nhà Quốc hội, Hoàng thành Thăng Long cùng nhiều di tích lịch sử khác của Thủ",
        "đô. Các đại biểu bày tỏ lòng biết ơn trong niềm xúc động trước công lao của Người.",
    ]
    out = [head]
    for number in range(1, size // (2 * len(block)) + 1):
        out.append(f"1.{number}. {block[0]} \n\n")
        out.extend(f"{line} \n\n" for line in block[1:])
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    setup_django("config.settings.test")
    from bulletin.importing import parse_only

    print(f"{'text':6} {'lines':>8} {'ms':>9} {'µs/line':>9}")
    for name, make in (("dump", dump_text), ("short", short_text), ("titles", titles_text)):
        per_line = {}
        for size in SIZES:
            data = make(size).encode()
            lines = data.count(b"\n")
            ms = median_ms(lambda data=data: parse_only(data, filename="x.txt"), args.runs)
            per_line[size] = ms * 1000 / lines
            goal = "   over the 3 s goal" if size == SIZES[-1] and ms > 3000 else ""
            print(f"{name:6} {lines:8d} {ms:9.1f} {per_line[size]:9.2f}{goal}")
        ratio = per_line[SIZES[-1]] / per_line[SIZES[0]]
        print(f"{name:6} time per line, 100k vs 2k: {ratio:.2f}x")


if __name__ == "__main__":
    main()
