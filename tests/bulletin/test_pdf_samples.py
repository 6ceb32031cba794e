"""The three sample issues, imported and printed: the PDF holds their text, in order.

Each sample is imported and rendered once for the module, inside a transaction that is rolled
back, so the rendering cost is paid three times and no data outlives the module.
"""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from bulletin.printing import rendering
from tests.bulletin.fidelity import html_text, in_order_ratio, missing_words, source_text, words

SAMPLES = Path(settings.BASE_DIR) / "samples"
NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))
COMMITTED = {
    TTFont(path)["name"].getDebugName(6): TTFont(path)["name"].getDebugName(5)
    for path in (Path(settings.BASE_DIR) / "static" / "fonts").glob("*.ttf")
}

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


class Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """For each sample: the PDF bytes and the numbered headings of its items."""
    from bulletin.importing import import_into_draft

    manifest = json.loads((SAMPLES / "manifest.json").read_text())
    results = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for name in NAMES:
                    issue = import_into_draft(SAMPLES / name, **manifest.get(name, {})).issue
                    entries = list(issue.entries.order_by("position", "pk"))
                    results[name] = {
                        "pdf": rendering.render_issue(issue),
                        "entries": [
                            (str(number), entry.title)
                            for number, entry in enumerate(entries, start=1)
                        ],
                        "month_label": issue.month_label,
                        "citations": [pair for entry in entries for pair in citations(entry)],
                    }
                raise Rollback
        except Rollback:
            pass
    return results


def citations(entry):
    """(words before a footnote marker, first words of its footnote) for each marker."""
    notes = list(entry.footnotes.all())
    parts = re.split(r'<sup[^>]*class="footnote-ref"[^>]*>.*?</sup>', entry.body_html)
    pairs = []
    for before, note in zip(parts[:-1], notes, strict=False):
        # The word that carries the marker is printed glued to its number: leave it out.
        pairs.append((" ".join(words(html_text(before))[-6:-1]), " ".join(words(note.text)[:8])))
    return pairs


def page_texts(data, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def layout_page(data, number, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", NAMES)
def test_text_is_all_there_in_order(printed, name, tmp_path):
    produced = "\n".join(page_texts(printed[name]["pdf"], tmp_path))
    sample = (SAMPLES / name).read_text(encoding="utf-8")
    # Footnotes float to the foot of the page, away from the paragraph that cites them in the
    # sample: the body is compared without them, and each footnote on its own.
    body = source_text(sample, drop_footnotes=True)
    ratio = in_order_ratio(body, produced)
    assert ratio >= 0.995, missing_words(body, produced)
    for line in source_text(sample).splitlines():
        if re.match(r"^\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s", line):
            note = re.sub(r"^\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s", "", line)
            assert in_order_ratio(note, produced) >= 0.995, note[:80]


@pytest.mark.parametrize("name", NAMES)
def test_cover_is_page_one(printed, name, tmp_path):
    cover = page_texts(printed[name]["pdf"], tmp_path)[0]
    for line in [
        "THÀNH ỦY CAO BẰNG",
        "BAN TUYÊN GIÁO",
        "TÀI LIỆU",
        "PHỤC VỤ SINH HOẠT CHI BỘ",
        printed[name]["month_label"],
        "SỬ DỤNG VÀ BẢO QUẢN TRONG NỘI BỘ CỦA ĐẢNG",
    ]:
        assert line in cover


@pytest.mark.parametrize("name", NAMES)
def test_contents_page_numbers(printed, name, tmp_path):
    pages = page_texts(printed[name]["pdf"], tmp_path)
    contents = layout_page(printed[name]["pdf"], 2, tmp_path)
    assert "NỘI DUNG" in contents
    # Each item: its number at the start of a line, then the title, a dot leader, the page.
    chunks = re.split(r"(?m)^\s*(\d+)\.\s", contents)
    printed_numbers = {
        chunks[i]: int(re.findall(r"(?:\.\s*){2,}(\d+)", chunks[i + 1])[-1])
        for i in range(1, len(chunks) - 1, 2)
    }
    entries = printed[name]["entries"]
    assert set(printed_numbers) == {number for number, _title in entries}
    for number, title in entries:
        start = " ".join(words(f"{number} {title}")[:6])
        page = next(
            index + 1
            for index, text in enumerate(pages)
            if index > 1 and start in " ".join(words(text))
        )
        assert printed_numbers[number] == page, title


@pytest.mark.parametrize("name", NAMES)
def test_only_the_committed_fonts_are_embedded(printed, name):
    reader = PdfReader(io.BytesIO(printed[name]["pdf"]))
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
                name_table = program["name"]
                seen.add((name_table.getDebugName(6), name_table.getDebugName(5)))
    assert seen
    assert seen <= set(COMMITTED.items()), seen


@pytest.mark.parametrize("name", NAMES)
def test_every_item_is_a_bookmark(printed, name):
    reader = PdfReader(io.BytesIO(printed[name]["pdf"]))
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    for number, title in printed[name]["entries"]:
        assert any(t.startswith(f"{number}. ") for t in titles), title


@pytest.mark.parametrize("name", NAMES)
def test_footnotes_are_at_the_foot_of_the_citing_page(printed, name, tmp_path):
    pages = [" ".join(words(text)) for text in page_texts(printed[name]["pdf"], tmp_path)]
    if name.startswith("002"):  # the sample with footnotes, ¹ and ²
        assert len(printed[name]["citations"]) == 2
    for cited, note in printed[name]["citations"]:
        citing_page = next(i for i, text in enumerate(pages) if i > 1 and cited in text)
        # Items run on, so a citation may fall low on a page: a note longer than the room left
        # there moves to the foot of a following page, and the notes after it wait behind it
        # (WeasyPrint's footnote-policy: auto; "line" and "block" break the layout in
        # WeasyPrint 70). Never before the citation, never more than two pages after it.
        assert note in " ".join(pages[citing_page : citing_page + 3]), note


def test_committed_fonts_cover_every_character_of_the_samples():
    import unicodedata

    characters = set()
    for name in NAMES:
        text = unicodedata.normalize("NFC", (SAMPLES / name).read_text(encoding="utf-8"))
        characters |= {char for char in text if not char.isspace()}
    faces = sorted((Path(settings.BASE_DIR) / "static" / "fonts").glob("*.ttf"))
    assert len(faces) == 4
    assert (Path(settings.BASE_DIR) / "static" / "fonts" / "OFL.txt").exists()
    for face in faces:
        cmap = TTFont(face).getBestCmap()
        assert not sorted(char for char in characters if ord(char) not in cmap), face.name
