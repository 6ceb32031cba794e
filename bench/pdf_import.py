"""Benchmark of reading printed PDFs and scans back into an issue's lines.

    .venv/bin/python bench/pdf_import.py [--runs 5] [--pages 25] [--ocr-pages 2]

It prints the samples with the project's own renderer (in a throwaway test database), joins
their pages into one PDF of ``--pages`` pages, and prints the median of ``--runs`` runs of:

- pdftotext: poppler's text extraction of the same file (a subprocess), the baseline: the floor
  any reader of a PDF's text pays, without any of the layout reading;
- read_pdf_lines: the importer's PDF reader (glyphs, rows, paragraphs, footnotes, pictures);
- parse_only: the reader and the importer's later stages, without the database;

with the ratio read_pdf_lines/pdftotext. The goal is a 25-page PDF read in under 3 seconds.

Then, unless ``--ocr-pages 0``, the first ``--ocr-pages`` pages are turned into a scan (pictures
at 300 dpi, no text layer) and read by text recognition once: seconds per page. Nothing is
asserted: the figures are for people.
"""

import argparse
import io
import subprocess
import tempfile
import time
from pathlib import Path

from harness import Rollback, median_ms, sample_issues, setup_django, throwaway_test_database


def printed_samples():
    from django.db import transaction

    from bulletin.importing import import_into_draft
    from bulletin.printing import rendering

    printed = []
    try:
        with transaction.atomic():
            for path, when in sample_issues():
                result = import_into_draft(
                    path.read_bytes(),
                    filename=path.name,
                    month=when.get("month"),
                    year=when.get("year"),
                )
                printed.append(rendering.render_issue(result.issue))
            raise Rollback
    except Rollback:
        pass
    return printed


def joined(pdfs, pages):
    """One PDF of ``pages`` pages taken from ``pdfs`` in turn."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    while len(writer.pages) < pages:
        for data in pdfs:
            for page in PdfReader(io.BytesIO(data)).pages:
                if len(writer.pages) < pages:
                    writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan_of(data, pages, folder):
    """The first ``pages`` pages of ``data`` as a PDF of 300-dpi pictures."""
    from PIL import Image

    source = folder / "printed.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-l", str(pages), str(source), folder / "p"],
        check=True,
    )
    pictures = [Image.open(path) for path in sorted(folder.glob("p-*.png"))]
    out = io.BytesIO()
    pictures[0].save(out, "PDF", save_all=True, append_images=pictures[1:], resolution=300)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--pages", type=int, default=25, help="pages of the PDF (default 25)")
    parser.add_argument("--ocr-pages", type=int, default=2, help="scanned pages (default 2)")
    args = parser.parse_args()

    setup_django("config.settings.test")
    from bulletin.importing import parse_only
    from bulletin.importing.ocr import missing_tools, read_scan
    from bulletin.importing.pdf_reader import read_pdf_lines

    with throwaway_test_database():
        data = joined(printed_samples(), args.pages)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "issue.pdf"
        path.write_bytes(data)

        def pdftotext():
            subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)

        read_pdf_lines(data)  # warm-up: imports, fonts, regular expressions
        baseline_ms = median_ms(pdftotext, args.runs)
        reader_ms = median_ms(lambda: read_pdf_lines(data), args.runs)
        parse_ms = median_ms(lambda: parse_only(data, filename="issue.pdf"), args.runs)
        print(f"PDF of {args.pages} pages, {len(data) // 1024} KB, median of {args.runs} runs")
        print(f"{'pdftotext ms':>14} {'read_pdf_lines ms':>18} {'parse ms':>9} {'ratio':>7}")
        print(
            f"{baseline_ms:14.0f} {reader_ms:18.0f} {parse_ms:9.0f} {reader_ms / baseline_ms:7.1f}"
        )
        print(f"goal: under 3000 ms for 25 pages -> {'met' if parse_ms < 3000 else 'NOT met'}")

        if args.ocr_pages:
            if missing_tools():
                print(f"OCR skipped: missing {', '.join(missing_tools())}")
                return
            scan = scan_of(data, args.ocr_pages, folder)
            start = time.perf_counter()
            reading = read_scan(scan, filename="scan.pdf")
            seconds = time.perf_counter() - start
            print(
                f"OCR: {args.ocr_pages} pages in {seconds:.1f} s, "
                f"{seconds / args.ocr_pages:.1f} s per page, "
                f"mean confidence {reading.report.confidence:.1f}"
            )


if __name__ == "__main__":
    main()
