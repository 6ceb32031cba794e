"""The printed pages measured: how full they are, margins, contents, list markers, footnote
marks, metadata. Run on the three samples imported through the importer, and on variants no
sample has (items in reverse order, a very long heading, lists the importer marked), so that the
layout holds for issues not yet seen.

Positions come from ``pdftotext -bbox-layout`` (word boxes, y from the top of the page, points)
and from pypdf's text visitor (font sizes and baselines).
"""

import io
import json
import re
import shutil
import statistics
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from pypdf import PdfReader

from bulletin.models import EntryKind
from bulletin.printing import imposition, rendering
from tests.factories import make_entry, make_issue

SAMPLES = Path(settings.BASE_DIR) / "samples"
NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))
MM = 72 / 25.4
LONG_HEADING = (
    "Kế hoạch số 999-KH/TU, ngày 30/12/2024 của Thành ủy Cao Bằng thực hiện Nghị quyết số "
    "57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi "
    "mới sáng tạo và chuyển đổi số quốc gia, gắn với Kết luận số 123-KL/TW và Chỉ thị số "
    "45-CT/TW về lãnh đạo đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV"
)
LISTS_BODY = (
    "<p>Nhiệm vụ trọng tâm trong năm gồm các nội dung sau đây:</p>"
    '<ul class="list-dash"><li>Tăng cường công tác tuyên truyền, giáo dục chính trị.</li>'
    "<li>Nâng cao chất lượng sinh hoạt chi bộ.</li></ul>"
    '<ul class="list-plus"><li>Sinh hoạt chuyên đề mỗi quý một lần.</li></ul>'
    "<ul><li>Mức một không đánh dấu lớp<ul><li>Mức hai lồng trong mức một</li></ul></li></ul>"
    + "<p>Các cấp ủy, tổ chức đảng quán triệt và triển khai thực hiện nghiêm túc các nội dung "
    "của kế hoạch, gắn với việc thực hiện nhiệm vụ chính trị của địa phương, đơn vị; định kỳ "
    "sơ kết, đánh giá kết quả thực hiện, kịp thời biểu dương những tập thể, cá nhân làm tốt, "
    "chấn chỉnh những nơi làm chưa tốt và báo cáo kết quả về Ban Thường vụ Thành ủy.</p>" * 4
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


class Rollback(Exception):
    pass


def _variants(import_file, manifest):
    """(label, issue) for every sample and the variants built from them. A variant changes an
    issue already yielded (and so already printed): the importer takes each issue once."""
    issues = {}
    for name in NAMES:
        issues[name[:3]] = import_file(SAMPLES / name, **manifest.get(name, {}))
        yield name[:3], issues[name[:3]]
    reordered = issues["002"]
    for position, entry in enumerate(reversed(list(reordered.entries.all())), start=1):
        entry.position = position
        entry.save()
    yield "reversed", reordered
    long_heading = issues["000"]
    first = long_heading.entries.first()
    first.title = LONG_HEADING
    first.save()
    yield "long-heading", long_heading
    lists = make_issue(month=9, year=2030)
    for number in range(1, 7):
        make_entry(lists, title=f"Chuyên đề số {number} về công tác xây dựng Đảng", body=LISTS_BODY)
    make_entry(lists, kind=EntryKind.DOCUMENT, title=LONG_HEADING)
    yield "lists", lists


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """{(label, paper): (pdf bytes, number of items)} for every issue, A4 and A5."""
    from bulletin.importing import import_into_draft

    def import_file(path, **options):
        return import_into_draft(path, **options).issue

    manifest = json.loads((SAMPLES / "manifest.json").read_text())
    results = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for label, issue in _variants(import_file, manifest):
                    for paper in ("A4", "A5"):
                        data = rendering.render_issue(issue, paper)
                        results[label, paper] = (data, issue.entries.count())
                raise Rollback
        except Rollback:
            pass
    return results


LABELS = ["000", "001", "002", "reversed", "long-heading", "lists"]
CASES = [(label, paper) for label in LABELS for paper in ("A4", "A5")]


def pages_of(data, tmp_path):
    """Per page: its size and its lines, each a list of words (x0, y0, x1, y1, text)."""
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(xhtml)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [
                (
                    float(word.get("xMin")),
                    float(word.get("yMin")),
                    float(word.get("xMax")),
                    float(word.get("yMax")),
                    word.text or "",
                )
                for word in line.iter("{http://www.w3.org/1999/xhtml}word")
            ]
            if words:
                lines.append(words)
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def first_item_page(data):
    """The index of the page where item 1 starts, from the PDF's bookmarks."""
    reader = PdfReader(io.BytesIO(data))
    item = next(i for i in reader.outline if not isinstance(i, list) and i.title.startswith("1."))
    return reader.get_destination_page_number(item)


def filled_share(lines, top, bottom):
    """The share of the page area between ``top`` and ``bottom`` covered by text: the vertical
    extents of the lines, with the gaps between lines and paragraphs (under a line's height)
    counted as filled, as a reader sees a block of text."""
    boxes = sorted(
        (min(w[1] for w in line), max(w[3] for w in line))
        for line in lines
        if min(w[1] for w in line) >= top - 2 and max(w[3] for w in line) <= bottom + 2
    )
    if not boxes:
        return 0.0
    height = statistics.median(y1 - y0 for y0, y1 in boxes)
    covered, (start, end) = 0.0, boxes[0]
    for y0, y1 in boxes[1:]:
        if y0 - end <= height:
            end = max(end, y1)
        else:
            covered += end - start
            start, end = y0, y1
    covered += end - start
    return covered / (bottom - top)


@pytest.mark.parametrize(("label", "paper"), CASES)
def test_no_page_before_the_last_is_nearly_empty(printed, label, paper, tmp_path):
    data, _count = printed[label, paper]
    setup = rendering.page_setup(paper)
    top_mm, _right, bottom_mm, _left = setup.margins
    pages = pages_of(data, tmp_path)
    first = first_item_page(data)
    shares = {}
    for index in range(first, len(pages) - 1):
        _width, height, lines = pages[index]
        shares[index + 1] = filled_share(lines, top_mm * MM, height - bottom_mm * MM)
    assert min(shares.values()) >= 0.4, {page: round(share, 2) for page, share in shares.items()}


@pytest.mark.parametrize(("label", "paper"), CASES)
def test_list_markers_are_dashes_and_pluses(printed, label, paper, tmp_path):
    data, _count = printed[label, paper]
    text = "\n".join(
        " ".join(word[4] for word in line)
        for _width, _height, lines in pages_of(data, tmp_path)
        for line in lines
    )
    assert not set(text) & {"•", "◦", "▪", "‣"}
    if label == "lists":
        # Each marker printed before its item's words, on the same line.
        assert "- Tăng cường công tác tuyên truyền" in text
        assert "- Nâng cao chất lượng sinh hoạt chi bộ" in text
        assert "+ Sinh hoạt chuyên đề mỗi quý" in text
        assert "- Mức một không đánh dấu lớp" in text
        assert "+ Mức hai lồng trong mức một" in text


@pytest.mark.parametrize("label", LABELS)
def test_a4_text_keeps_to_the_margins_of_36_hd(printed, label, tmp_path):
    data, _count = printed[label, "A4"]
    for number, (width, _height, lines) in enumerate(pages_of(data, tmp_path), start=1):
        words = [word for line in lines for word in line]
        assert min(word[0] for word in words) >= 30 * MM - 0.5, f"page {number}: left margin"
        # A justified line's last glyph may reach a point past the measure.
        assert max(word[2] for word in words) <= width - 15 * MM + 1.5, f"page {number}: right"


def contents_rows(page_lines, width):
    """The contents page's words grouped into printed rows (same baseline), left to right."""
    rows = []
    for word in sorted((w for line in page_lines for w in line), key=lambda w: (w[3], w[0])):
        if rows and abs(rows[-1][-1][3] - word[3]) < 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row) for row in rows]


@pytest.mark.parametrize(("label", "paper"), CASES)
def test_contents_numbers_in_their_columns(printed, label, paper, tmp_path):
    data, count = printed[label, paper]
    width, height, lines = pages_of(data, tmp_path)[1]
    bottom = height - rendering.page_setup(paper).margins[2] * MM
    rows = contents_rows(lines, width)
    # Not the heading, nor the page's own number in the bottom margin.
    rows = [r for r in rows if " ".join(w[4] for w in r) != "NỘI DUNG" and r[0][1] < bottom]
    # The page number of each item: alone at the right, after a dot leader on the same row.
    page_rows = [
        row
        for row in rows
        if re.fullmatch(r"\d+", row[-1][4])
        and re.search(r"(\. ?){2,}$", " ".join(w[4] for w in row[:-1]))
    ]
    assert len(page_rows) == count
    right_edges = [row[-1][2] for row in page_rows]
    assert max(right_edges) - min(right_edges) <= 1, right_edges
    # The item numbers in one column, every line of the titles starting at the same x after it.
    numbered = [row for row in rows if re.fullmatch(r"\d+\.", row[0][4])]
    assert len(numbered) == count
    number_edges = [row[0][0] for row in numbered]
    assert max(number_edges) - min(number_edges) <= 1
    text_starts = [row[1][0] if row in numbered else row[0][0] for row in rows if len(row) > 1]
    text_starts += [row[0][0] for row in rows if len(row) == 1 and row not in page_rows]
    assert max(text_starts) - min(text_starts) <= 1, sorted(set(round(x) for x in text_starts))


def text_runs(page):
    """(x, baseline y, size in points, text) of every piece of text on a pypdf page."""
    runs = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = tm[3] * cm[3]
            runs.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], size * scale, text))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("label", ["002", "reversed"])
@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_footnote_numbers_are_superscript_at_the_foot_as_in_the_text(printed, label, paper):
    data, _count = printed[label, paper]
    body = rendering.page_setup(paper).body_pt
    marks, calls = [], []
    for page in PdfReader(io.BytesIO(data)).pages:
        runs = text_runs(page)
        for x, y, size, text in runs:
            if not re.fullmatch(r"\d+", text.strip()) or size > 0.7 * body:
                continue
            # The text the number belongs to: the nearest run to its right on that line.
            after = [r for r in runs if r[0] > x and abs(r[1] - y) < size and r[2] > size]
            before = [r for r in runs if r[0] < x and abs(r[1] - y) < size and r[2] > size]
            neighbour = min(after, key=lambda r: r[0], default=None)
            if neighbour is None:
                continue
            assert y > neighbour[1] + 0.2 * size, (text, "not raised above its line")
            (calls if before else marks).append((text.strip(), size, neighbour[2]))
    assert sorted(n for n, *_ in marks) == ["1", "2"], marks
    assert sorted(n for n, *_ in calls) == ["1", "2"], calls
    # At the foot as in the text: a raised number clearly smaller than the note's own type.
    for _number, size, note_size in marks:
        assert size < 0.8 * note_size


@pytest.mark.parametrize("label", LABELS)
def test_metadata_and_bookmarks_in_every_variant(printed, label):
    a4, _count = printed[label, "A4"]
    a5, count = printed[label, "A5"]
    for data in (a4, a5, imposition.booklet(a5)):
        reader = PdfReader(io.BytesIO(data))
        meta = reader.metadata
        assert meta.title and "Tháng" in meta.title
        assert meta.author == "BAN TUYÊN GIÁO, THÀNH ỦY CAO BẰNG"
        assert meta.subject and meta.creation_date
        assert reader.root_object["/Lang"] == "vi"
        items = [i for i in reader.outline if not isinstance(i, list) and i.title[0].isdigit()]
        assert len(items) == count
