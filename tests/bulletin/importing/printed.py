"""The sample issues imported from text and printed to PDF, in the project's look and in others.

Printing needs the issue in the database; each sample is imported, printed and rolled back, so
only bytes outlive the fixture. The "other looks" render the same HTML with stylesheets of their
own through WeasyPrint, so the reader is checked against layouts it was not written for.
"""

import io
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw
from weasyprint import HTML

from bulletin.importing import import_into_draft
from bulletin.printing import rendering as pdf

SAMPLES = Path(settings.BASE_DIR) / "samples"
NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text())

# A sans-serif look: smaller type, narrow margins, no bold anywhere (headings are larger
# instead), left-aligned text without first-line indents, spaced paragraphs, the news in two
# columns, the page number at the bottom right, no running header.
SANS_TWO_COLUMNS = """
@page { size: A4; margin: 15mm 18mm 18mm 18mm;
  @bottom-right { content: "Trang " counter(page); font-size: 8pt; }
  @footnote { border-top: 0.5pt solid #999; padding-top: 1mm; } }
@page cover { @bottom-right { content: none; } }
html { font-family: "DejaVu Sans"; font-size: 10.5pt; line-height: 1.5; text-align: left; }
body { margin: 0; }
* { font-weight: normal !important; }
p { margin: 0 0 0.8em; text-indent: 0; }
.cover { page: cover; break-after: page; text-align: center; }
.cover p { margin: 0 0 0.5em; }
.cover .title { font-size: 22pt; margin: 60mm 0 10mm; }
.contents { break-after: page; }
.contents ol { list-style: none; padding: 0; }
.contents li { margin: 0 0 0.5em; }
.contents a::after { content: leader(". ") target-counter(attr(href), page); }
.entry { break-before: page; }
.entry-title { font-size: 1.45em; margin: 0 0 1em; }
.news-title { font-size: 1.2em; margin: 1.2em 0 0.6em; }
.body h3, .body h4 { font-size: 1.15em; margin: 0.8em 0 0.4em; }
.news-item .body { column-count: 2; column-gap: 9mm; }
.body ul, .body ol { margin: 0 0 0.8em; padding-left: 1.6em; }
.caption, .body .caption-pending, figcaption { font-style: italic; text-align: center;
  margin: 0.2em 0 1em; }
figure.photo { margin: 0.5em 0; text-align: center; }
figure.photo img { max-width: 100%; }
.footnote { float: footnote; font-size: 0.8em; }
.footnote::footnote-call { content: counter(footnote); vertical-align: super; font-size: 0.6em; }
.footnote::footnote-marker { content: counter(footnote) ". "; }
"""

# A serif look with justified text, large first-line indents and a running header at the foot.
SERIF_WIDE = """
@page { size: A4; margin: 30mm 30mm 25mm 30mm;
  @bottom-center { content: "Bản tin nội bộ · " counter(page); font-size: 9pt; }
  @footnote { border-top: 0.5pt solid black; } }
@page cover { @bottom-center { content: none; } }
html { font-family: "DejaVu Serif"; font-size: 11.5pt; line-height: 1.3; text-align: justify; }
body { margin: 0; }
p { margin: 0; text-indent: 2.5em; }
.cover { page: cover; break-after: page; text-align: center; }
.cover p { text-indent: 0; }
.cover .title { font-size: 20pt; margin: 40mm 0 5mm; font-weight: bold; }
.contents { break-after: page; }
.contents ol { list-style: none; padding: 0; }
.contents a::after { content: leader(".") target-counter(attr(href), page); }
.entry { break-before: page; }
.entry-title { font-size: 1.2em; font-weight: bold; text-align: center; margin: 0 0 1em; }
.news-title { font-size: 1em; font-weight: bold; margin: 1em 0 0.3em; }
.body h3, .body h4 { font-size: 1em; font-weight: bold; font-style: italic; margin: 0.6em 0 0.2em; }
.body .lead-in { font-weight: bold; }
.body ul, .body ol { margin: 0; padding-left: 2em; }
.caption, .body .caption-pending, figcaption { font-style: italic; text-align: center;
  text-indent: 0; margin: 0.3em 0 0.6em; }
figure.photo { margin: 0.5em 0; text-align: center; }
.footnote { float: footnote; font-size: 0.75em; text-indent: 0; }
.footnote::footnote-call { content: counter(footnote); vertical-align: super; font-size: 0.65em; }
.footnote::footnote-marker { content: counter(footnote) ". "; }
"""

LOOKS = {"sans-two-columns": SANS_TWO_COLUMNS, "serif-wide": SERIF_WIDE}

_STYLE_RE = re.compile(r"<style>.*?</style>", re.S)


class _Rollback(Exception):
    pass


def import_file(path, **month):
    return import_into_draft(path, **month).issue


def photo_png(width=480, height=320):
    """A small picture with shapes, so it is not a blank box."""
    image = Image.new("RGB", (width, height), (40, 90, 150))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 200, 200), fill=(240, 200, 40))
    draw.rectangle((260, 120, 440, 300), fill=(30, 160, 80))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def render_with(html, css):
    """The issue's print HTML laid out with another stylesheet."""
    html = _STYLE_RE.sub(lambda _match: f"<style>{css}</style>", html, count=1)
    return HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf._Fetcher()).write_pdf()


def print_samples(django_db_blocker, *, with_photo=False):
    """For each sample: its PDF in the project's look and in each of ``LOOKS``."""
    printed = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for name in NAMES:
                    issue = import_file(SAMPLES / name, **MANIFEST.get(name, {}))
                    printed[name] = {"project": pdf.render_issue(issue)}
                    html = pdf.issue_html(issue)
                    for look, css in LOOKS.items():
                        printed[name][look] = render_with(html, css)
                if with_photo:
                    printed["photo"] = _issue_with_photo()
                raise _Rollback
        except _Rollback:
            pass
    return printed


def _issue_with_photo():
    from news.models import Photo

    issue = import_file(SAMPLES / NAMES[0], month=11, year=2023)
    photo = Photo.objects.filter(news_item__section__issue=issue).order_by("pk").first()
    photo.image.save("tree-planting.png", ContentFile(photo_png()), save=True)
    return {"caption": photo.caption, "pdf": pdf.render_issue(issue)}


def print_sample(django_db_blocker, name):
    """One sample in the project's look."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                data = pdf.render_issue(import_file(SAMPLES / name, **MANIFEST.get(name, {})))
                raise _Rollback
        except _Rollback:
            pass
    return data
