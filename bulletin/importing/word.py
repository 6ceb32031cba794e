"""Word files (.docx) as lines: paragraph styles say what each paragraph is."""

import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext as _

from .errors import ImportRefused
from .lines import Line


def _clean(text):
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def read_word_lines(data: bytes) -> list[Line]:
    """The paragraphs of a Word file as lines, their styles saying what they are."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data:
        raise ImportRefused(_("The file is empty."))
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportRefused(
            _("The Word file cannot be read: it is damaged or it is not a .docx file.")
        ) from exc
    lines = []
    picture_before = False
    for paragraph in document.paragraphs:
        text = _runs_markdown(paragraph)
        if not text.strip():
            # A paragraph holding only a picture is a photo's place, as a gap is in the text
            # files: the short line after it is that photo's caption.
            picture_before = picture_before or bool(paragraph._element.xpath(".//w:drawing"))
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style.startswith("heading 1"):
            kind = "h1"
        elif style.startswith("heading 2"):
            kind = "h2"
        elif style.startswith("heading"):
            kind = "h3"
        elif style.startswith("list bullet"):
            kind = "plus" if style.rstrip().endswith(("2", "3")) else "bullet"
        elif style.startswith("list number"):
            kind = "number"
        elif style == "caption":
            kind = "caption"
        else:
            kind = ""
        lines.append(Line(text=_clean(text), style=kind, gap=picture_before))
        picture_before = False
    return lines


def _runs_markdown(paragraph):
    """A paragraph's text with bold and italic runs marked the Markdown way."""
    parts = []
    for run in paragraph.runs:
        text = run.text
        if not text.strip() or not (run.bold or run.italic):
            parts.append(text)
            continue
        marks = "***" if run.bold and run.italic else "**" if run.bold else "*"
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        parts.append(f"{lead}{marks}{text.strip()}{marks}{tail}")
    text = "".join(parts)
    # Runs inside hyperlinks or fields are not in paragraph.runs: keep the whole text then.
    plain = "".join(run.text for run in paragraph.runs)
    return text if plain == paragraph.text else paragraph.text
