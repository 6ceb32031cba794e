"""Read a scanned issue: pictures of pages (a PDF without text, or PNG/JPEG/TIFF files) through
text recognition, into the same lines a printed PDF gives.

Pages are rasterised at 300 dpi with ``pdftoppm`` (poppler-utils) and read by ``tesseract`` with
its Vietnamese model, one process per page with a time limit, two at a time. Tesseract gives
words with their boxes and confidence, grouped in lines; the boxes stand in for glyph positions
(the line height for the font size) and the rules of ``layout`` join them into
paragraphs, with tolerances for the unevenness of recognised boxes. Recognition cannot see bold
or italics: headings are found by their numbers, and captions by their place under a picture
are not recognised.

What the editor needs to check the draft comes back with the lines: a report of the pages and
words read with the lowest confidence, and the page images (PNG) to compare against.
"""

import csv
import io
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from . import pdf_reader
from .errors import ImportRefused
from .layout import Row, Word, read_layout

DPI = 300
MAX_SCAN_PAGES = 60
PAGE_TIMEOUT = 120  # seconds for one page, rasterising or recognising
TOTAL_TIMEOUT = 20 * 60
LANGUAGE = "vie"
WORKERS = 2
# The words shown to the editor first: those recognition was least sure of.
REPORT_WORDS = 30
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# Recognised boxes are uneven: a line's height depends on its letters, a left edge wavers by a
# pixel or two. The layout's tolerances are widened by this much for them.
SCAN_SLACK = 2.5
_UPRIGHT = (False, False)  # recognition cannot tell bold or italic
# What recognition makes of a round bullet at the start of a line.
_MISREAD_BULLETS = {"°", "«", "»", "*", "·", "●", "○", "◦", "•", "e", "®", "©"}


@dataclass
class PageReport:
    number: int
    confidence: float  # mean word confidence, 0 to 100
    words: int


@dataclass
class WeakWord:
    page: int
    text: str
    confidence: float
    box: tuple  # left, top, width, height in pixels of the page image


@dataclass
class OcrReport:
    pages: list = field(default_factory=list)  # PageReport, weakest first
    words: list = field(default_factory=list)  # WeakWord, weakest first

    @property
    def confidence(self):
        total = sum(page.words for page in self.pages)
        if not total:
            return 0.0
        return sum(page.confidence * page.words for page in self.pages) / total


@dataclass
class ScanReading:
    lines: list
    report: OcrReport
    page_images: list  # PNG bytes, one per recognised page, in order
    page_numbers: list = field(default_factory=list)  # the page number of each image
    layout_pages: list = field(default_factory=list)  # the recognised pages, before layout


def missing_tools():
    """What this server lacks to read scans: names of programs or models, empty when ready."""
    missing = []
    if shutil.which("tesseract") is None:
        return ["tesseract-ocr", "tesseract-ocr-vie"]
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30
        )
        languages = set((listed.stdout + listed.stderr).split())
    except (OSError, subprocess.SubprocessError):
        languages = set()
    if LANGUAGE not in languages:
        missing.append("tesseract-ocr-vie")
    if shutil.which("pdftoppm") is None:
        missing.append("poppler-utils")
    return missing


def _refuse_missing(missing):
    raise ImportRefused(
        _(
            "This file is a scan (pictures of pages without text) and text recognition is not "
            "installed on this server (missing: %(missing)s). Ask the administrator to install "
            "it, or import the issue as a Word or text file."
        )
        % {"missing": ", ".join(missing)}
    )


def read_scan(data: bytes, *, filename: str = "scan.pdf", max_pages: int | None = None):
    """The lines of a scanned issue, its OCR report and page images (``ScanReading``)."""
    recognised = recognise_pages(data, filename=filename, max_pages=max_pages)
    recognised.lines = read_layout(recognised.layout_pages)
    return recognised


def recognise_pages(
    data: bytes,
    *,
    filename: str = "scan.pdf",
    numbers: list | None = None,
    max_pages: int | None = None,
    body_size: float = 0.0,
):
    """The recognised pages as ``layout`` reads them (in ``layout_pages``), with the report and
    the page images, and no lines yet: the caller lays them out, perhaps among a PDF's text pages.

    ``numbers`` picks pages of a PDF (1-based), all of them when None; ``body_size`` is the body
    text's size in points on the PDF's text pages, so recognised lines are sized like them.
    """
    missing = missing_tools()
    if missing:
        _refuse_missing(missing)
    limit = min(max_pages or MAX_SCAN_PAGES, MAX_SCAN_PAGES)
    deadline = time.monotonic() + TOTAL_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="bantin-ocr-") as folder:
        folder = Path(folder)
        if Path(filename).suffix.lower() in IMAGE_EXTENSIONS:
            images = _image_pages(data, folder, limit)
        else:
            images = _pdf_pages(data, folder, limit, deadline, numbers)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            tables = list(pool.map(lambda path: _recognise(path, deadline), images))
        page_images = [path.read_bytes() for path in images]
    page_numbers = [_page_number(path) for path in images]
    pages = [_page(table, number - 1) for table, number in zip(tables, page_numbers, strict=True)]
    return ScanReading(
        lines=[],
        report=_report(pages),
        page_images=page_images,
        page_numbers=page_numbers,
        layout_pages=_layout_pages(pages, body_size),
    )


def _page_number(path):
    return int(path.stem.rsplit("-", 1)[-1])


def _pdf_pages(data, folder, limit, deadline, numbers=None):
    """Pages of a PDF (``numbers``, else all) as 300-dpi PNGs, at most ``limit`` pages."""
    document = pdf_reader.open_pdf(data)
    try:
        count = len(document.pages)
    finally:
        document.close()
    numbers = [n for n in numbers if 1 <= n <= count] if numbers is not None else None
    wanted = numbers if numbers is not None else list(range(1, count + 1))
    if len(wanted) > limit:
        raise ImportRefused(
            _(
                "The scan has %(pages)d pages; at most %(limit)d scanned pages can be read at "
                "once. Split the file and import it in parts."
            )
            % {"pages": len(wanted), "limit": limit}
        )
    source = folder / "scan.pdf"
    source.write_bytes(data)
    paths = []
    for number in wanted:
        target = folder / f"page-{number:03d}"
        _run(
            ["pdftoppm", "-r", str(DPI), "-png", "-f", str(number), "-l", str(number)]
            + ["-singlefile", str(source), str(target)],
            deadline,
            number,
        )
        paths.append(target.with_suffix(".png"))
    return paths


def _image_pages(data, folder, limit):
    """The frames of a PNG, JPEG or (multi-page) TIFF file as PNG pages, checked like uploads."""
    from PIL import ImageOps, UnidentifiedImageError

    if not data:
        raise ImportRefused(_("The file is empty."))
    paths = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG", "TIFF", "MPO"}:
                raise ImportRefused(_("A scanned page must be a PNG, JPEG or TIFF picture."))
            frames = getattr(image, "n_frames", 1)
            if frames > limit:
                raise ImportRefused(
                    _(
                        "The scan has %(pages)d pages; at most %(limit)d scanned pages can be "
                        "read at once. Split the file and import it in parts."
                    )
                    % {"pages": frames, "limit": limit}
                )
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ImportRefused(
                        _("Page %(page)d of the scan is too large (%(width)d × %(height)d pixels).")
                        % {"page": index + 1, "width": width, "height": height}
                    )
                page = ImageOps.exif_transpose(image).convert("L")
                path = folder / f"page-{index + 1:03d}.png"
                page.save(path, "PNG", dpi=(DPI, DPI))
                paths.append(path)
    except ImportRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImportRefused(
            _("The scanned picture cannot be read: it is damaged or not a PNG, JPEG or TIFF.")
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ImportRefused(_("The scanned picture has too many pixels.")) from exc
    return paths


def _run(command, deadline, page):
    timeout = min(PAGE_TIMEOUT, max(1.0, deadline - time.monotonic()))
    # One thread per process: two processes side by side are much faster than tesseract's own
    # threads fighting over two cores.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(
            command, capture_output=True, timeout=timeout, check=True, env=environment
        ).stdout
    except subprocess.TimeoutExpired as exc:
        raise ImportRefused(
            _("Reading page %(page)d of the scan took too long; nothing was imported.")
            % {"page": page}
        ) from exc
    except (subprocess.CalledProcessError, OSError) as exc:
        raise ImportRefused(
            _("Page %(page)d of the scan cannot be read: it is damaged.") % {"page": page}
        ) from exc


def _recognise(path, deadline):
    """Tesseract's table of the words of one page image."""
    page = _page_number(path)
    output = _run(["tesseract", str(path), "-", "-l", LANGUAGE, "tsv"], deadline, page)
    rows = csv.DictReader(
        io.StringIO(output.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    with Image.open(path) as image:
        size = image.size
    return {"rows": [row for row in rows if row.get("level") == "5"], "size": size}


def _page(table, number):
    """A page's recognised words, in points, grouped in tesseract's lines."""
    width_px, _height_px = table["size"]
    scale = 72 / DPI
    lines = {}
    confidences = []
    for row in table["rows"]:
        text = (row.get("text") or "").strip()
        if not text:
            continue
        try:
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
            confidence = float(row["conf"])
        except (KeyError, TypeError, ValueError):
            continue
        confidences.append((confidence, text, (left, top, width, height)))
        box = (left * scale, top * scale, (left + width) * scale, (top + height) * scale, text)
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(box)
    return {
        "lines": [sorted(words) for words in lines.values()],
        "width": width_px * scale,
        "confidences": confidences,
        "number": number + 1,
    }


def _layout_pages(pages, body_size=0.0):
    """Recognised lines as the rows ``layout`` reads: one size for body lines, evenness slack,
    bullets as recognition misreads them put back; sized like a PDF's text pages when
    ``body_size`` gives their body size."""
    heights = sorted(
        statistics.median(bottom - top for _x0, top, _x1, bottom, _text in words)
        for page in pages
        for words in page["lines"]
        if words
    )
    body = heights[len(heights) // 2] if heights else 0
    # A recognised box is as tall as its letters, not the font size the layout's tolerances are
    # measured in; beside pages with a text layer the two must speak alike.
    scale = body_size / body if body and body_size else 1.0
    layout_pages = []
    for page in pages:
        index = page["number"] - 1
        rows = []
        for words in sorted(page["lines"], key=lambda ws: statistics.median(w[3] for w in ws)):
            top = statistics.median(w[1] for w in words)
            bottom = statistics.median(w[3] for w in words)
            size = bottom - top
            # One body size for lines whose letters happen to reach higher or lower (diacritics,
            # descenders): a recognised box cannot tell 13 pt from 14 pt, only a title from text.
            if body and abs(size - body) < 0.35 * body:
                size = body
            size = round(size * scale, 1)
            if len(words) > 1 and words[0][4] in _MISREAD_BULLETS:
                words = [(*words[0][:4], "•"), *words[1:]]
            rows.append(
                Row(
                    words=[
                        Word(
                            unicodedata.normalize("NFC", text), x0, x1, top, bottom, size, *_UPRIGHT
                        )
                        for x0, _top, x1, _bottom, text in words
                    ],
                    page=index,
                    size=size,
                    slack=SCAN_SLACK,
                )
            )
        layout_pages.append(
            {
                "rows": rows,
                "pictures": [],
                "rules": [],
                "number": page["number"],
                "width": page["width"],
            }
        )
    return layout_pages


def _report(pages):
    report = OcrReport()
    weak = []
    for page in pages:
        scores = [c for c, _text, _box in page["confidences"] if c >= 0]
        mean = sum(scores) / len(scores) if scores else 0.0
        report.pages.append(PageReport(number=page["number"], confidence=mean, words=len(scores)))
        weak += [
            WeakWord(page=page["number"], text=text, confidence=c, box=box)
            for c, text, box in page["confidences"]
            if c >= 0
        ]
    report.pages.sort(key=lambda page: page.confidence)
    report.words = sorted(weak, key=lambda word: word.confidence)[:REPORT_WORDS]
    return report
