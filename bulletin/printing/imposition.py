"""What is done to a rendered PDF before a reader gets it: the watermark and the booklet.

Both work on the PDF with pypdf, never by rendering the issue again: the stamp is one small page
rendered once per download and laid over every page; the booklet puts A5 pages two by two on A4
landscape sheets in saddle-stitch order.
"""

from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

INTERNAL_NOTICE = "Tài liệu lưu hành nội bộ"
A4_LANDSCAPE = (841.89, 595.28)  # points
STAMP_NAME = "BanTinStamp"


def watermark_text(name, date):
    return f"Bản của {name} · {date:%d/%m/%Y} · {INTERNAL_NOTICE}"


def stamp(pdf_bytes, stamp_bytes):
    """``pdf_bytes`` with the first page of ``stamp_bytes`` laid over each of its pages.

    The stamp becomes one form XObject drawn at the end of every page, and the result is an
    incremental update of the original file: only the page dictionaries are rewritten, which
    keeps a whole issue under a tenth of a second where merging pages took three times longer.
    """
    writer = PdfWriter(BytesIO(pdf_bytes), incremental=True)
    stamp_page = PdfReader(BytesIO(stamp_bytes)).pages[0]
    form = DecodedStreamObject()
    form.set_data(stamp_page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stamp_page.mediabox,
            NameObject("/Resources"): stamp_page["/Resources"].get_object().clone(writer),
        }
    )
    form_ref = writer._add_object(form.flate_encode())
    # The page's own drawing is wrapped in q ... Q so that no state it leaves changes the stamp.
    head, tail = DecodedStreamObject(), DecodedStreamObject()
    head.set_data(b"q\n")
    tail.set_data(b"\nQ q /" + STAMP_NAME.encode() + b" Do Q\n")
    head_ref, tail_ref = writer._add_object(head), writer._add_object(tail)
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        xobjects.get_object()[NameObject("/" + STAMP_NAME)] = form_ref
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        if contents is None:
            contents = ArrayObject()
        elif isinstance(contents.get_object(), ArrayObject):
            contents = contents.get_object()
        else:
            contents = ArrayObject([contents])
        page[NameObject("/Contents")] = ArrayObject([head_ref, *contents, tail_ref])
    return _bytes(writer)


def booklet_order(page_count):
    """Page numbers (1-based, ``None`` for a blank) of each sheet side, left then right.

    Pages are padded to a multiple of 4. Sheet k (from 0) has on its front the pages
    n - 2k | 2k + 1 and on its back 2k + 2 | n - 2k - 1, so that folded and nested the sheets
    read 1, 2, ..., n.
    """
    total = max(4, -(-page_count // 4) * 4)
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, total - 2 * sheet - 1))
    return [tuple(number if number <= page_count else None for number in side) for side in sides]


def booklet(pdf_bytes):
    """Impose the (A5) pages of ``pdf_bytes`` two-up on A4 landscape sheets."""
    reader = PdfReader(BytesIO(pdf_bytes))
    pages = reader.pages
    first = pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    # A5 is 148 mm wide and A4 297 mm long: the pair is centred on a true A4 sheet.
    sheet_width, sheet_height = max(2 * width, A4_LANDSCAPE[0]), max(height, A4_LANDSCAPE[1])
    left, bottom = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    order = booklet_order(len(pages))
    for side in order:
        sheet = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for slot, number in enumerate(side):
            if number is None:
                continue
            page = pages[number - 1]
            sheet.merge_transformed_page(
                page, Transformation().translate(tx=left + slot * width, ty=bottom), over=True
            )
        writer.add_page(sheet)
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items()})
    sheet_of_page = {
        number - 1: sheet for sheet, side in enumerate(order) for number in side if number
    }
    _copy_outline(reader, writer, reader.outline, sheet_of_page)
    language = reader.root_object.get("/Lang")
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    return _bytes(writer)


def _copy_outline(reader, writer, items, sheet_of_page, parent=None):
    """The bookmarks of the A5 file, each pointing at the sheet side that carries its page."""
    last = None
    for item in items:
        if isinstance(item, list):  # the children of the bookmark before
            _copy_outline(reader, writer, item, sheet_of_page, last)
            continue
        page = reader.get_destination_page_number(item)
        last = writer.add_outline_item(
            title=item.title, page_number=sheet_of_page.get(page, 0), parent=parent
        )


def _bytes(writer):
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
