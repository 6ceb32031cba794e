"""Read a Word (.docx) file into lines, taking its typography as evidence.

Office staff type issues in Word with the Normal style only: headings are bold paragraphs whose
numbers are typed, run-in headings a bold run followed by plain text, bullets typed as "- " and
"+ ", captions centred italic lines under their pictures, and a typed "NỘI DUNG" list with dotted
tabs to page numbers after the cover. So bold, italic, centring, size, page breaks and pictures
are read into the fields of ``Line`` (clean text, no Markdown) for the later stages to weigh;
only emphasis inside a paragraph becomes ``**``/``*`` marks, which those stages render.

A .docx is a zip archive of XML parts, and an upload is untrusted: the archive's directory, the
inflated size of every part, DTDs and entity declarations, nesting depth, the number of
paragraphs and pictures are all checked before and while anything is parsed, so that a zip or
XML bomb is refused with a message instead of taking the server's memory.
"""

import logging
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, fields
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

from core.images import clean_image

from .errors import ImportRefused
from .lines import Line, Picture

logger = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

DOCUMENT_PART = "word/document.xml"
# An OLE compound file: what Word writes for a password-protected document (or an old .doc).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits of what an uploaded Word file may hold; settings may lower them (the tests do).
DEFAULT_LIMITS = {
    "WORD_MAX_UNCOMPRESSED_BYTES": 50 * 1024 * 1024,  # all parts together, as inflated
    "WORD_MAX_XML_BYTES": 25 * 1024 * 1024,  # one XML part, as inflated
    "WORD_MAX_COMPRESSION_RATIO": 200,  # a part of more than 1 MB inflating beyond that is a bomb
    "WORD_MAX_PARTS": 2000,
    "WORD_MAX_DEPTH": 100,  # Word nests tables and drawings, but not a hundred levels deep
    "WORD_MAX_PARAGRAPHS": 20_000,
    "WORD_MAX_PICTURES": 300,
}
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024

# A run of text ends a sentence; closing quotes and brackets may follow the mark.
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]*]*$")
# A typed contents line: its title, then leader dots or a tab, then the page number.
_CONTENTS_ENTRY_RE = re.compile(
    r"^(?P<title>.*?\S)(?:[ \t]*[.…·_]{3,}[ \t]*|[ \t]*\t[ \t]*)\d{1,3}$"
)
# A contents list is typed after the cover, before the first long paragraph of the body.
_BODY_PARAGRAPH = 300
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _limit(name):
    return getattr(settings, name, DEFAULT_LIMITS[name])


def _collapse(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _damaged():
    return ImportRefused(
        _("The Word file cannot be read: it is damaged or it is not a .docx file.")
    )


# The archive ------------------------------------------------------------------------------------


class _Package:
    """The parts of a .docx, read through limits: nothing is trusted from the upload."""

    def __init__(self, data):
        if data.startswith(OLE_MAGIC):
            raise ImportRefused(
                _(
                    "The Word file is protected by a password or saved in the old .doc format. "
                    "Remove the password or save it as .docx (Word 2007 or later) and try again."
                )
            )
        try:
            self.archive = zipfile.ZipFile(BytesIO(data))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise _damaged() from exc
        self.infos = {}
        self._check_directory()

    def _check_directory(self):
        infos = self.archive.infolist()
        if len(infos) > _limit("WORD_MAX_PARTS"):
            raise ImportRefused(
                _("The Word file holds %(count)d parts, more than a bulletin ever needs.")
                % {"count": len(infos)}
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ImportRefused(
                    _(
                        "The Word file is encrypted. Remove its password, save it again and "
                        "try again."
                    )
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _RATIO_FLOOR and ratio > _limit("WORD_MAX_COMPRESSION_RATIO"):
                raise self._too_large()
            self.infos[info.filename] = info
        if total > _limit("WORD_MAX_UNCOMPRESSED_BYTES"):
            raise self._too_large()

    @staticmethod
    def _too_large():
        return ImportRefused(
            _(
                "The Word file unpacks to more than %(limit)s: it is too large to import, or "
                "it was made to overload the server. Save the text in a new document and try "
                "again."
            )
            % {"limit": filesizeformat(_limit("WORD_MAX_UNCOMPRESSED_BYTES"))}
        )

    def has(self, name):
        return name in self.infos

    def read(self, name, limit):
        """The inflated bytes of a part, refused as soon as they pass ``limit`` whatever the
        directory claims."""
        chunks = []
        size = 0
        try:
            with self.archive.open(self.infos[name]) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise self._too_large()
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _damaged() from exc
        except RuntimeError as exc:  # zipfile's "File is encrypted, password required"
            raise _damaged() from exc
        return b"".join(chunks)

    def xml(self, name):
        """The parsed root of an XML part, or None when the package lacks it."""
        if not self.has(name):
            return None
        data = self.read(name, _limit("WORD_MAX_XML_BYTES"))
        return _parse_xml(data)

    def relationships(self, part):
        """The targets of a part's relationships: id -> part name (None for external links)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        targets = {}
        if root is None:
            return targets
        for rel in root.iter(PACKAGE_RELS):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                targets[rel.get("Id")] = None
            elif target.startswith("/"):
                targets[rel.get("Id")] = target.lstrip("/")
            else:
                targets[rel.get("Id")] = posixpath.normpath(posixpath.join(folder, target))
        return targets


def _parse_xml(data):
    """Parse one XML part with no DTD, no entities, no network and a bounded depth."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportRefused(
            _(
                "The Word file contains XML declarations (DOCTYPE or ENTITY) that Word never "
                "writes; it may have been made to overload the server. It was not imported."
            )
        )
    if b"\x00" in data:
        # UTF-16 XML would hide a DOCTYPE from the check above; Word writes UTF-8.
        raise _damaged()
    depth = 0
    max_depth = _limit("WORD_MAX_DEPTH")
    events = etree.iterparse(
        BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, _element in events:
            depth += 1 if event == "start" else -1
            if depth > max_depth:
                raise ImportRefused(
                    _(
                        "The Word file nests its content more than %(depth)d levels deep; it "
                        "may have been made to overload the server. It was not imported."
                    )
                    % {"depth": max_depth}
                )
    except etree.XMLSyntaxError as exc:
        raise _damaged() from exc
    return events.root


# Styles and numbering ---------------------------------------------------------------------------


@dataclass
class _Format:
    """The formatting a style, a paragraph or a run sets; None where it says nothing."""

    name: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None
    superscript: bool | None = None
    centred: bool | None = None
    page_break_before: bool | None = None
    num_id: str | None = None
    level: int | None = None
    outline: int | None = None

    def under(self, parent):
        """This format with what it leaves unsaid taken from ``parent``."""
        merged = _Format()
        for f in fields(self):
            value = getattr(self, f.name)
            setattr(merged, f.name, value if value is not None else getattr(parent, f.name))
        return merged


def _on(element):
    """A Word on/off property: present means on unless its value says off."""
    if element is None:
        return None
    return element.get(f"{W}val", "true").lower() not in {"0", "false", "off", "none"}


def _run_format(rpr):
    fmt = _Format()
    if rpr is None:
        return fmt
    fmt.bold = _on(rpr.find(f"{W}b"))
    fmt.italic = _on(rpr.find(f"{W}i"))
    if (size := rpr.find(f"{W}sz")) is not None:
        try:
            fmt.size = int(size.get(f"{W}val", "0")) / 2
        except ValueError:
            pass
    if (align := rpr.find(f"{W}vertAlign")) is not None:
        fmt.superscript = align.get(f"{W}val") == "superscript"
    return fmt


def _paragraph_format(ppr):
    fmt = _Format()
    if ppr is None:
        return fmt
    if (jc := ppr.find(f"{W}jc")) is not None:
        fmt.centred = jc.get(f"{W}val") == "center"
    fmt.page_break_before = _on(ppr.find(f"{W}pageBreakBefore"))
    if (num := ppr.find(f"{W}numPr")) is not None:
        num_id = num.find(f"{W}numId")
        level = num.find(f"{W}ilvl")
        fmt.num_id = num_id.get(f"{W}val") if num_id is not None else None
        fmt.level = _int(level.get(f"{W}val")) if level is not None else None
    if (outline := ppr.find(f"{W}outlineLvl")) is not None:
        fmt.outline = _int(outline.get(f"{W}val"))
    return fmt


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _Styles:
    """The styles part: each style's formatting with what it inherits (``basedOn``)."""

    def __init__(self, root):
        self.raw = {}
        self.parents = {}
        self.resolved = {}
        self.default_paragraph = None
        self.defaults = _Format()
        if root is None:
            return
        if (rpr := root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")) is not None:
            self.defaults = _run_format(rpr)
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            name = style.find(f"{W}name")
            fmt = _run_format(style.find(f"{W}rPr")).under(_paragraph_format(style.find(f"{W}pPr")))
            fmt.name = (name.get(f"{W}val") if name is not None else style_id or "").lower()
            self.raw[style_id] = fmt
            if (based := style.find(f"{W}basedOn")) is not None:
                self.parents[style_id] = based.get(f"{W}val")
            if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in {"1", "true"}:
                self.default_paragraph = style_id

    def get(self, style_id):
        """The full formatting of a style (the document defaults under it)."""
        if style_id not in self.resolved:
            chain = []
            current = style_id
            # basedOn may loop in a hostile file: follow it a bounded number of times.
            while current in self.raw and current not in chain and len(chain) < 20:
                chain.append(current)
                current = self.parents.get(current)
            fmt = self.defaults
            for link in reversed(chain):
                name = fmt.name
                fmt = self.raw[link].under(fmt)
                fmt.name = self.raw[link].name or name
            if chain:
                fmt.name = self.raw[chain[0]].name
            self.resolved[style_id] = fmt
        return self.resolved[style_id]


_NUMBER_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperLetter": lambda n: _letters(n),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": lambda n: _roman(n),
}


def _letters(n):
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _roman(n):
    out = []
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


@dataclass
class _Level:
    format: str = "decimal"
    text: str = "%1."
    start: int = 1


class _Numbering:
    """Word's automatic lists: what each paragraph's number or bullet prints as."""

    def __init__(self, root):
        self.levels = {}  # num id -> {level: _Level}
        self.counters = {}  # num id -> [count per level]
        if root is None:
            return
        abstract = {}
        for definition in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in definition.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[_int(lvl.get(f"{W}ilvl"))] = _Level(
                    format=fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text=text.get(f"{W}val", "") if text is not None else "",
                    start=_int(start.get(f"{W}val"), 1) if start is not None else 1,
                )
            abstract[definition.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})

    def kind(self, num_id, level):
        """ "bullet" or "number" for a paragraph in list ``num_id``, None when it is not one."""
        definition = self.levels.get(num_id, {}).get(level)
        if definition is None:
            return None
        return "bullet" if definition.format == "bullet" else "number"

    def printed(self, num_id, level):
        """Count this paragraph in its list and return the number Word prints, e.g. "2.1."."""
        levels = self.levels.get(num_id, {})
        counters = self.counters.setdefault(num_id, [0] * 10)
        level = min(max(level, 0), 9)
        if counters[level] == 0:
            counters[level] = levels[level].start - 1 if level in levels else 0
        counters[level] += 1
        for deeper in range(level + 1, 10):
            counters[deeper] = 0
        template = levels[level].text if level in levels else "%1."

        def number(match):
            index = int(match[1]) - 1
            value = counters[index] or (levels[index].start if index in levels else 1)
            fmt = levels[index].format if index in levels else "decimal"
            return _NUMBER_FORMATS.get(fmt, str)(value)

        return re.sub(r"%([1-9])", number, template)


# Paragraphs -------------------------------------------------------------------------------------


@dataclass
class _Segment:
    text: str
    bold: bool
    italic: bool


def _owner(element, paragraph):
    """Whether ``element`` belongs to ``paragraph`` itself: not to a text box paragraph inside it,
    not to a deleted revision, not to the fallback copy of a drawing."""
    parent = element.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in {f"{W}p", f"{W}del", f"{W}moveFrom", MC_FALLBACK}:
            return False
        parent = parent.getparent()
    return parent is paragraph


def _in_fallback(element):
    parent = element.getparent()
    while parent is not None:
        if parent.tag == MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


class _Reader:
    def __init__(self, package):
        self.package = package
        self.styles = _Styles(package.xml("word/styles.xml"))
        self.numbering = _Numbering(package.xml("word/numbering.xml"))
        self.targets = package.relationships(DOCUMENT_PART)
        self.footnotes = self._footnotes(package.xml("word/footnotes.xml"))
        self.pictures_seen = 0
        self.picture_cache = {}
        self.pending_pictures = []
        # A picture's place was seen, even if its picture was dropped: the line after it is
        # still read as what stands under a photo (its caption then waits for the photo).
        self.pending_place = False
        self.pending_break = False
        self.footnote_count = 0
        self.entries = []  # (Line, the text with its tabs, for the contents list)

    def _footnotes(self, root):
        notes = {}
        if root is None:
            return notes
        for note in root.iter(f"{W}footnote"):
            text = "".join(t.text or "" for t in note.iter(f"{W}t"))
            notes[note.get(f"{W}id")] = _collapse(text).strip()
        return notes

    def read(self, root):
        body = root.find(f"{W}body")
        if body is None:
            raise _damaged()
        paragraphs = 0
        for paragraph in body.iter(f"{W}p"):
            if _in_fallback(paragraph):
                continue
            paragraphs += 1
            if paragraphs > _limit("WORD_MAX_PARAGRAPHS"):
                raise ImportRefused(
                    _("The Word file has more than %(count)d paragraphs, more than an issue holds.")
                    % {"count": _limit("WORD_MAX_PARAGRAPHS")}
                )
            self._paragraph(paragraph)
        if self.pending_pictures:
            logger.warning(
                "%d picture(s) after the last line of text dropped", len(self.pending_pictures)
            )
        return self.entries

    def _paragraph_style(self, ppr):
        style_id = None
        if ppr is not None and (ref := ppr.find(f"{W}pStyle")) is not None:
            style_id = ref.get(f"{W}val")
        return self.styles.get(style_id or self.styles.default_paragraph)

    def _paragraph(self, paragraph):
        ppr = paragraph.find(f"{W}pPr")
        pfmt = _paragraph_format(ppr).under(self._paragraph_style(ppr))
        segments = []
        notes = []
        page_break_here = bool(pfmt.page_break_before)
        page_break_after = ppr is not None and ppr.find(f"{W}sectPr") is not None
        size = 0.0
        for run in paragraph.iter(f"{W}r"):
            if not _owner(run, paragraph):
                continue
            rfmt = self._run_format(run, pfmt)
            for child in run:
                tag = child.tag
                text = ""
                if tag == f"{W}t":
                    text = child.text or ""
                elif tag == f"{W}tab":
                    text = "\t"
                elif tag in {f"{W}br", f"{W}cr"}:
                    if child.get(f"{W}type") == "page":
                        if any(s.text.strip() for s in segments):
                            page_break_after = True
                        else:
                            page_break_here = True
                    else:
                        text = " "
                elif tag == f"{W}noBreakHyphen":
                    text = "-"
                elif tag == f"{W}footnoteReference":
                    self.footnote_count += 1
                    mark = str(self.footnote_count).translate(_SUPERSCRIPT)
                    notes.append((mark, self.footnotes.get(child.get(f"{W}id"), "")))
                    text = mark
                else:
                    self._collect_pictures(child)
                    continue
                if rfmt.superscript and text.strip().isdigit():
                    # A typed footnote marker: printed raised, read as "¹" the way the text is.
                    text = text.translate(_SUPERSCRIPT)
                if text:
                    if not size and text.strip() and rfmt.size:
                        size = rfmt.size
                    segments.append(_Segment(text, bool(rfmt.bold), bool(rfmt.italic)))
        if page_break_here:
            self.pending_break = True
        self._emit(segments, pfmt, ppr, size)
        for mark, note in notes:
            self._emit([_Segment(f"{mark} {note}", False, False)], _Format(), None, 0.0)
        if page_break_after:
            self.pending_break = True

    def _run_format(self, run, pfmt):
        rpr = run.find(f"{W}rPr")
        fmt = _run_format(rpr)
        if rpr is not None and (ref := rpr.find(f"{W}rStyle")) is not None:
            fmt = fmt.under(self.styles.get(ref.get(f"{W}val")))
        return fmt.under(pfmt)

    def _collect_pictures(self, element):
        for node in element.iter(A_BLIP, V_IMAGEDATA):
            if _in_fallback(node):
                continue
            rel = node.get(f"{R}embed") if node.tag == A_BLIP else node.get(f"{R}id")
            if not rel:
                continue
            self.pictures_seen += 1
            self.pending_place = True
            if self.pictures_seen > _limit("WORD_MAX_PICTURES"):
                raise ImportRefused(
                    _("The Word file has more than %(count)d pictures, more than an issue holds.")
                    % {"count": _limit("WORD_MAX_PICTURES")}
                )
            if picture := self._picture(self.targets.get(rel)):
                self.pending_pictures.append(picture)

    def _picture(self, part):
        """The checked, re-encoded picture of an image part, or None (with a warning)."""
        if part is None or not self.package.has(part):
            logger.warning("picture %s is not in the Word file; dropped", part)
            return None
        if part in self.picture_cache:
            return self.picture_cache[part]
        picture = None
        limit = settings.IMAGE_UPLOAD_MAX_BYTES
        if self.package.infos[part].file_size > limit:
            logger.warning("picture %s is larger than %d bytes; dropped", part, limit)
        else:
            data = self.package.read(part, limit)
            try:
                content = clean_image(ContentFile(data, name=posixpath.basename(part)))
            except ValidationError as refusal:
                logger.warning("picture %s dropped: %s", part, " ".join(refusal.messages))
            else:
                picture = Picture(data=content.read(), filename=content.name)
        self.picture_cache[part] = picture
        return picture

    def _emit(self, segments, pfmt, ppr, size):
        raw = "".join(s.text for s in segments)
        if not raw.strip():
            return
        text, bold, italic, bold_lead = _typography(segments)
        style = self._style(pfmt)
        if pfmt.num_id not in {None, "0"} and style not in {"bullet", "plus", "number"}:
            listed = self.numbering.kind(pfmt.num_id, pfmt.level or 0)
            if listed == "bullet" and not style:
                style = "bullet" if not pfmt.level else "plus"
            elif listed == "number":
                # The number Word prints is not in the text: put it there, as it was read.
                printed = self.numbering.printed(pfmt.num_id, pfmt.level or 0)
                if printed:
                    text = f"{printed} {text}"
                    raw = f"{printed} {raw}"
                    bold_lead = bold_lead + len(printed) + 1 if bold_lead else 0
        previous = self.entries[-1][0].text if self.entries else ""
        line = Line(
            text=text,
            indent=_indent(ppr),
            gap=self.pending_place,
            after_stop=bool(_SENTENCE_END_RE.search(previous)),
            style=style,
            bold=bold,
            bold_lead=bold_lead,
            italic=italic,
            centred=bool(pfmt.centred),
            size=size or float(pfmt.size or 0),
            page_break=self.pending_break,
            pictures=self.pending_pictures,
        )
        self.pending_pictures = []
        self.pending_place = False
        self.pending_break = False
        self.entries.append((line, raw))

    def _style(self, pfmt):
        name = pfmt.name or ""
        if name.startswith("heading 1") or name == "title" or pfmt.outline == 0:
            return "h1"
        if name.startswith("heading 2") or pfmt.outline == 1:
            return "h2"
        if name.startswith("heading") or pfmt.outline in {2, 3, 4, 5}:
            return "h3"
        if name.startswith("list bullet"):
            return "plus" if name.rstrip().endswith(("2", "3")) else "bullet"
        if name.startswith("list number"):
            return "number"
        if name == "caption":
            return "caption"
        return ""


def _indent(ppr):
    """The first line's indent in spaces, counting 120 twips (a twelfth of an inch) a space."""
    if ppr is None or (ind := ppr.find(f"{W}ind")) is None:
        return 0
    left = _int(ind.get(f"{W}left") or ind.get(f"{W}start"))
    first = _int(ind.get(f"{W}firstLine")) - _int(ind.get(f"{W}hanging"))
    return max(0, (left + first) // 120)


def _typography(segments):
    """The clean text of a paragraph, whether it is all bold or all italic, the length of a
    leading bold run followed by plain text, and Markdown marks for emphasis inside it."""
    visible = [s for s in segments if s.text.strip()]
    bold = all(s.bold for s in visible)
    italic = all(s.italic for s in visible)
    lead = ""
    rest = segments
    if not bold and visible[0].bold:
        index = 0
        while index < len(segments) and (segments[index].bold or not segments[index].text.strip()):
            index += 1
        # Whitespace between the bold run and the plain text belongs to neither.
        lead = "".join(s.text for s in segments[:index])
        rest = segments[index:]
    marked = []
    for group in _groups(rest):
        content = "".join(s.text for s in group)
        strong = group[0].bold and not bold
        slanted = group[0].italic and not italic
        marks = "***" if strong and slanted else "**" if strong else "*" if slanted else ""
        if not marks:
            marked.append(content)
            continue
        head = content[: len(content) - len(content.lstrip())]
        tail = content[len(content.rstrip()) :]
        marked.append(f"{head}{marks}{content.strip()}{marks}{tail}")
    text = _collapse(lead + "".join(marked)).strip()
    bold_lead = len(_collapse(lead).strip())
    return text, bold and bool(visible), italic and bool(visible), bold_lead


def _groups(segments):
    """Consecutive segments of the same emphasis (Word splits runs anywhere), whitespace going
    with the group before it."""
    groups = []
    for segment in segments:
        key = (segment.bold, segment.italic)
        if groups and (
            (groups[-1][0].bold, groups[-1][0].italic) == key or not segment.text.strip()
        ):
            groups[-1].append(segment)
        else:
            groups.append([segment])
    return groups


# The typed contents list ------------------------------------------------------------------------


def _mark_contents(entries):
    """Flag a typed table of contents: a run of at least two lines each ending in leader dots or a
    tab and a page number (a line without one may sit between, an entry's title typed on two
    lines), with its title line before it, before the body's first long paragraph. Their
    leaders and page numbers are stripped."""
    lines = [line for line, _raw in entries]
    shaped = [bool(_CONTENTS_ENTRY_RE.match(_tabbed(raw))) for _line, raw in entries]
    index = 0
    while index < len(entries):
        line = lines[index]
        if not shaped[index]:
            if len(line.text) > _BODY_PARAGRAPH:
                return lines
            index += 1
            continue
        end = index
        while end + 1 < len(entries) and (
            shaped[end + 1]
            or (
                end + 2 < len(entries)
                and shaped[end + 2]
                and len(lines[end + 1].text) < _BODY_PARAGRAPH
            )
        ):
            end += 1
        if sum(shaped[index : end + 1]) >= 2:
            for n in range(index, end + 1):
                match = _CONTENTS_ENTRY_RE.match(_tabbed(entries[n][1]))
                if match:
                    lines[n].text = _collapse(match["title"]).strip()
                lines[n].contents = True
            if index > 0 and _is_contents_title(lines[index - 1]):
                lines[index - 1].contents = True
            return lines
        index = end + 1
    return lines


def _tabbed(raw):
    """A line's text with its tabs kept and every other run of spaces made one space."""
    raw = unicodedata.normalize("NFC", raw).strip()
    return re.sub(r"[^\S\t]+", " ", raw)


def _is_contents_title(line):
    """ "NỘI DUNG", "MỤC LỤC": a short line in capitals or bold, not itself an entry."""
    text = line.text
    return (
        len(text) <= 30
        and not re.search(r"\d", text)
        and (text.upper() == text or line.bold)
        and any(ch.isalpha() for ch in text)
    )


# The stage --------------------------------------------------------------------------------------


def read_word_lines(data: bytes) -> list[Line]:
    """The paragraphs of a .docx as lines, with their typography, pictures and contents list.

    Raises ``ImportRefused`` with a message for a damaged, encrypted or hostile file.
    """
    if not data:
        raise ImportRefused(_("The file is empty."))
    package = _Package(data)
    if not package.has(DOCUMENT_PART):
        raise ImportRefused(
            _("This file is not a Word document: it has no word/document.xml inside.")
        )
    reader = _Reader(package)
    entries = reader.read(package.xml(DOCUMENT_PART))
    return _mark_contents(entries)
