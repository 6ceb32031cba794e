"""Hostile Word files, generated when the tests run (the large ones are never committed).

Each builder returns the bytes of a file an attacker or a broken tool could upload as a .docx.
"""

import io
import struct
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
DOCUMENT_TAIL = "</w:body></w:document>"


def paragraph(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def package(parts):
    """A zip holding ``parts`` (name -> bytes or str) and the content types part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(inflated_bytes, *, chunk=1 << 20):
    """A document.xml of ``inflated_bytes`` (spaces after a valid start), compressed as it is
    written so that building a 1.5 GB bomb never holds more than one chunk in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(DOCUMENT_HEAD.encode())
            written = len(DOCUMENT_HEAD)
            block = b" " * chunk
            while written < inflated_bytes:
                part.write(block[: inflated_bytes - written])
                written += chunk
    return buffer.getvalue()


def lying_directory(actual_bytes, claimed_bytes):
    """A zip whose directory claims document.xml inflates to ``claimed_bytes`` though it holds
    ``actual_bytes``: the reader must count what it inflates, not trust the claim."""
    body = DOCUMENT_HEAD + " " * (actual_bytes - len(DOCUMENT_HEAD))
    data = bytearray(package({"word/document.xml": body}))
    for offset in _central_entries(data):
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        name = bytes(data[offset + 46 : offset + 46 + name_length])
        if name == b"word/document.xml":
            struct.pack_into("<I", data, offset + 24, claimed_bytes)
    return bytes(data)


def encrypted_flag():
    """A zip whose document.xml says it is encrypted (general purpose flag bit 0)."""
    data = bytearray(package({"word/document.xml": DOCUMENT_HEAD + paragraph("x") + DOCUMENT_TAIL}))
    for offset in _central_entries(data):
        flags = struct.unpack_from("<H", data, offset + 8)[0]
        struct.pack_into("<H", data, offset + 8, flags | 0x1)
    return bytes(data)


def ole_protected():
    """What Word saves for a password-protected document: an OLE compound file, not a zip."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def _central_entries(data):
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        yield offset
        offset = data.find(b"PK\x01\x02", offset + 4)


def billion_laughs():
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE w:document [{''.join(entities)}]>"
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("&lol9;")}</w:body></w:document>'
    )
    return package({"word/document.xml": document})


def deep_nesting(levels=50_000):
    document = (
        DOCUMENT_HEAD + "<w:sdt>" * levels + paragraph("x") + "</w:sdt>" * levels + DOCUMENT_TAIL
    )
    return package({"word/document.xml": document})


def without_document():
    return package({"word/other.xml": DOCUMENT_HEAD + DOCUMENT_TAIL})


def with_part_replaced(docx_bytes, prefix, content):
    """``docx_bytes`` with every part whose name starts with ``prefix`` holding ``content``."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = content if info.filename.startswith(prefix) else source.read(info)
            archive.writestr(info.filename, data)
    return buffer.getvalue()
