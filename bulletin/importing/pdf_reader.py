"""Read a printed issue from a PDF with a text layer into the importer's lines.

pdfplumber (pdfminer) gives each glyph with its position, font and size; here they become words
and printed lines with what the fonts say (bold, italic), the page's pictures and rules, and
``layout`` reads paragraphs, headings, footnotes, captions, the cover and the contents from them.

``read_pdf_lines`` refuses (``ImportRefused``) what it must not read: encrypted, damaged, too
large or too long PDFs, pictures that declare too many pixels, and PDFs without a text layer
(``NoTextLayer``: those are scans, for ``ocr``).
"""

import io
import logging
import re
import time
import unicodedata
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.images import clean_image

from .errors import ImportRefused
from .layout import Word, read_layout, rows_of
from .lines import Line, Picture

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PAGES = 200
# Reading a page takes a few hundredths of a second; a page that makes it take far longer is a
# trap (millions of tiny drawing operations), and the whole file gets a bound too.
MAX_SECONDS = 60
# Fewer characters than this on every page: the PDF is pictures of pages, a scan.
MIN_TEXT_CHARS_PER_PAGE = 10


class NoTextLayer(ImportRefused):
    """The PDF holds pictures of its pages only: a scan, for text recognition (``ocr``)."""


def _refuse(message):
    raise ImportRefused(message)


@lru_cache(maxsize=256)
def _font_flags(fontname):
    name = fontname.split("+", 1)[-1].lower()
    bold = any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi")) or bool(
        re.search(r"(?:^|[-,_ ])bd", name)
    )
    italic = "italic" in name or "oblique" in name or bool(re.search(r"(?:^|[-,_ ])(it|i)$", name))
    return bold, italic


def _damaged_pdf_message():
    # Every reader of the file (pypdf, pdfminer, each page) fails in its own way on a damaged
    # PDF: the editor gets one message for all of them.
    return _("The PDF cannot be read: it is damaged or incomplete. Save it again and retry.")


def open_pdf(data):
    """The pdfplumber document of ``data``, after the checks that make reading it safe."""
    import pdfplumber
    from pypdf import PdfReader

    if not data:
        _refuse(_("The file is empty."))
    if len(data) > MAX_PDF_BYTES:
        _refuse(
            _("The PDF is too large (%(size)d MB); at most %(limit)d MB can be imported.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_PDF_BYTES // (1024 * 1024)}
        )
    if not data.lstrip()[:5] == b"%PDF-":
        _refuse(_("This is not a PDF file."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            _refuse(_("The PDF is protected by a password. Remove the protection and try again."))
        # The declared count, read before any page is: a file may claim millions of pages.
        declared = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))
    except ImportRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise ImportRefused(_damaged_pdf_message()) from exc
    if declared > MAX_PAGES:
        _refuse(
            _("The PDF has %(pages)d pages; at most %(limit)d pages can be imported at once.")
            % {"pages": declared, "limit": MAX_PAGES}
        )
    try:
        _check_pictures(reader)
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(_damaged_pdf_message()) from exc
    try:
        document = pdfplumber.open(io.BytesIO(data), password="" if reader.is_encrypted else None)
        pages = len(document.pages)
    except Exception as exc:  # pdfminer's errors have no common base class
        raise ImportRefused(_damaged_pdf_message()) from exc
    if not pages:
        _refuse(_("The PDF has no pages."))
    if pages > MAX_PAGES:
        document.close()
        _refuse(
            _("The PDF has %(pages)d pages; at most %(limit)d pages can be imported at once.")
            % {"pages": pages, "limit": MAX_PAGES}
        )
    return document


def _check_pictures(reader):
    """Refuse a picture that declares more pixels than an upload may have, from its dictionary
    alone (nothing is decoded): a few bytes of compressed zeros can declare gigapixels."""
    limit = getattr(settings, "IMAGE_MAX_PIXELS", 40_000_000)

    def visit(resources, page, depth):
        xobjects = (resources or {}).get("/XObject") or {}
        for name in xobjects:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") == "/Image":
                width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
                if width * height > limit:
                    _refuse(
                        _(
                            "A picture on page %(page)d is too large (%(width)d × %(height)d "
                            "pixels). Reduce it and try again."
                        )
                        % {"page": page, "width": width, "height": height}
                    )
            elif xobject.get("/Subtype") == "/Form" and depth < 3:
                visit(xobject.get("/Resources"), page, depth + 1)

    for number, page in enumerate(reader.pages, start=1):
        visit(page.get("/Resources"), number, 0)


def read_pdf_lines(data: bytes) -> list[Line]:
    """The lines of a printed issue in ``data`` (a PDF with a text layer on every page)."""
    pages = read_pdf_pages(data)
    if not any(page and page["rows"] for page in pages):
        raise NoTextLayer(
            _(
                "This PDF has no text, only pictures of its pages (a scan): it has to "
                "be read by text recognition."
            )
        )
    return read_layout([page for page in pages if page is not None])


def scanned_page_numbers(data: bytes) -> list:
    """The numbers of the pages of a PDF that are pictures of pages, to be read by recognition;
    refuses a PDF that cannot be read at all, as ``read_pdf_pages`` would."""
    scanned = []
    with _opened_pdf(data) as document:
        for number, page in enumerate(document.pages, start=1):
            chars, images, rules = [], [], []
            _collect(page.layout, page.height, chars, images, rules)
            if len(chars) < MIN_TEXT_CHARS_PER_PAGE and images:
                scanned.append(number)
            page.close()
    return scanned


def read_pdf_pages(data: bytes) -> list:
    """The pages of a PDF as ``layout`` reads them, with None for a page without text (a
    scanned page, for ``ocr``): a PDF may mix pages exported from Word with scanned ones."""
    with _opened_pdf(data) as document:
        return _read_pages(document)


@contextmanager
def _opened_pdf(data):
    """``open_pdf(data)`` for the block, closed after it; a page pdfminer cannot interpret in
    the block is a damaged file, refused with the message ``open_pdf`` gives one."""
    document = open_pdf(data)
    try:
        yield document
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(_damaged_pdf_message()) from exc
    finally:
        document.close()


# Glyphs to rows ---------------------------------------------------------------------------------


def _read_pages(document):
    deadline = time.monotonic() + MAX_SECONDS
    pages = []
    for number, page in enumerate(document.pages):
        if time.monotonic() > deadline:
            _refuse(
                _("The PDF takes too long to read (page %(page)d). It may be damaged.")
                % {"page": number + 1}
            )
        # pdfminer's own objects, not pdfplumber's dictionaries: building a dictionary of every
        # attribute of every glyph costs as much as interpreting the page.
        chars, images, rules = [], [], []
        _collect(page.layout, page.height, chars, images, rules)
        if len(chars) < MIN_TEXT_CHARS_PER_PAGE and images:
            # A picture of a page: its one big picture is the page, not a news photo.
            pages.append(None)
            page.close()
            continue
        pages.append(
            {
                "rows": rows_of(_words(chars, page.height), number),
                "pictures": _page_pictures(page, images, number),
                "rules": rules,
                "number": page.page_number,
                "width": page.width,
            }
        )
        # Memory stays bounded by one page's glyph objects, not the whole file's.
        page.close()
    return pages


def _collect(container, height, chars, images, rules):
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    for obj in container:
        if isinstance(obj, LTChar):
            if obj.upright:
                chars.append(obj)
        elif isinstance(obj, LTImage):
            images.append(obj)
        elif isinstance(obj, LTCurve):
            if obj.x1 - obj.x0 > 40 and obj.y1 - obj.y0 < 3:
                rules.append((obj.x0, obj.x1, height - obj.y1))
        elif isinstance(obj, LTContainer):
            _collect(obj, height, chars, images, rules)


def _words(chars, height):
    """Glyphs grouped into words: adjacent glyphs of one font and size, split at spaces."""
    words = []
    current = None
    for char in chars:
        text = char.get_text()
        top, bottom = height - char.y1, height - char.y0
        size = round(char.size, 2)
        if not text.strip():
            current = None
            continue
        joins = (
            current is not None
            and current.size == size
            and current.fontname == char.fontname
            and abs(current.bottom - bottom) < 0.2 * size
            and -0.5 * size < char.x0 - current.x1 < 0.1 * size
        )
        if joins:
            current.text += text
            current.x1 = char.x1
            current.top = min(current.top, top)
            current.bottom = max(current.bottom, bottom)
            continue
        bold, italic = _font_flags(char.fontname)
        current = Word(text, char.x0, char.x1, top, bottom, size, bold, italic)
        current.fontname = char.fontname
        words.append(current)
    for word in words:
        word.text = unicodedata.normalize("NFC", word.text)
    return words


def _page_pictures(page, images, number):
    """The pictures of a page, as ``(top, x0, x1, Picture)``: a JPEG kept as it is, other
    pictures rendered from the page at 150 dpi; none larger than ``IMAGE_MAX_PIXELS``."""
    pictures = []
    limit = getattr(settings, "IMAGE_MAX_PIXELS", 40_000_000)
    for index, image in enumerate(images):
        width, height = image.srcsize or (0, 0)
        if (width or 0) * (height or 0) > limit:
            _refuse(
                _(
                    "A picture on page %(page)d is too large (%(width)d × %(height)d pixels). "
                    "Reduce it and try again."
                )
                % {"page": number + 1, "width": width, "height": height}
            )
        box = (
            max(image.x0, 0),
            max(page.height - image.y1, 0),
            min(image.x1, page.width),
            min(page.height - image.y0, page.height),
        )
        if box[2] - box[0] < 20 or box[3] - box[1] < 20:
            continue  # a rule, a dot, a bullet picture: not a photo
        filters = [str(getattr(name, "name", name)) for name, _params in image.stream.get_filters()]
        if filters == ["DCTDecode"]:
            data = image.stream.get_rawdata()
            filename = f"page{number + 1}-picture{index + 1}.jpg"
        else:
            rendered = page.crop(box).to_image(resolution=150).original
            buffer = io.BytesIO()
            rendered.save(buffer, format="PNG")
            data = buffer.getvalue()
            filename = f"page{number + 1}-picture{index + 1}.png"
        if picture := _checked_picture(data, filename):
            pictures.append((box[1], box[0], box[2], picture))
    return pictures


def _checked_picture(data, filename):
    """The picture checked and re-encoded like an upload (as the Word reader does), or None: a
    picture that fails the checks is left out and its caption waits for a photo."""
    try:
        content = clean_image(ContentFile(data, name=filename))
    except ValidationError as refusal:
        logger.warning("picture %s dropped: %s", filename, " ".join(refusal.messages))
        return None
    return Picture(data=content.read(), filename=content.name)
