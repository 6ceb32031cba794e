"""Reading citations of official documents the way the bulletin prints them.

A heading such as "Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban Thường vụ Tỉnh ủy Cao Bằng về
lãnh đạo công tác..." names a type, a number (kept exactly as printed), a date, usually an
issuing body and a subject (the trích yếu). ``parse_citation`` reads such a heading and refuses
anything it cannot read with certainty; ``find_citations`` finds every citation-like mention inside
running text, for linking it to the registry.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import DocumentType

# Longest labels first, so "Chương trình hành động" wins over a shorter label.
TYPE_LABELS = {
    "chương trình hành động": DocumentType.ACTION_PROGRAM,
    "nghị quyết": DocumentType.RESOLUTION,
    "chỉ thị": DocumentType.DIRECTIVE,
    "kết luận": DocumentType.CONCLUSION,
    "quy định": DocumentType.REGULATION,
    "quyết định": DocumentType.DECISION,
    "kế hoạch": DocumentType.PLAN,
    "đề án": DocumentType.PROJECT,
    "công văn": DocumentType.OFFICIAL_LETTER,
    "hướng dẫn": DocumentType.GUIDANCE,
    "thông báo": DocumentType.NOTICE,
    "báo cáo": DocumentType.REPORT,
}
_TYPE_RE = "|".join(re.escape(label) for label in sorted(TYPE_LABELS, key=len, reverse=True))
# A document number has at least one "-" or "/" part: 29-CT/TU, 210/KH-UBND, 1210/2016/UBTVQH13.
# A bare number ("Nghị quyết 13") is a way of speaking, not a citation.
_NUMBER_RE = r"\d+(?:\s?[-/]\s?[0-9A-Za-zĐđ]+)+"
_DATE_RE = r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4})"

_HEADING_RE = re.compile(
    rf"^(?P<type>{_TYPE_RE})\b\s*(?P<so>số\s*)?(?P<number>{_NUMBER_RE})?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_HEADING_DATE_RE = re.compile(rf"^\s*,?\s*(?:ngày\s+)?{_DATE_RE}(?P<rest>.*)$", re.DOTALL)
_IN_TEXT_RE = re.compile(
    rf"(?P<type>{_TYPE_RE})\s+(?:số\s+)?(?P<number>{_NUMBER_RE})"
    rf"(?:\s*,?\s*(?:ngày\s+)?{_DATE_RE})?",
    re.IGNORECASE,
)
# Where the issuing body ends and the subject begins: "về ..." or a verb of the summary line.
_SUBJECT_START_RE = re.compile(
    r"\s+(?=(?:về|thực hiện|ban hành|triển khai|tổng kết|sơ kết|tiếp tục|đẩy mạnh|tăng cường)\s)",
    re.IGNORECASE,
)
# Longer than any issuing body: the subject was not told apart, so no issuer is guessed.
MAX_ISSUER_LENGTH = 120


class CitationError(ValueError):
    """A heading that looks like a citation but cannot be read with certainty."""


@dataclass(frozen=True)
class Citation:
    doc_type: str
    number: str
    issued_on: datetime.date
    issuer: str | None
    subject: str


@dataclass(frozen=True)
class FoundCitation:
    """A citation found in running text: ``text[start:end]`` is the citation as printed."""

    start: int
    end: int
    doc_type: str
    number: str
    issued_on: datetime.date | None


def _clean(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def _clean_number(number):
    # A number wrapped at its hyphen ("35- CT/TW") is still one number.
    return re.sub(r"\s*([-/])\s*", r"\1", number)


def _make_date(day, month, year):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def doc_type_for(label):
    """The DocumentType of a printed label ("Chỉ thị"), or None."""
    return TYPE_LABELS.get(_clean(label).lower())


def parse_citation(text):
    """Read a citation heading; raise CitationError when any part of it is missing or wrong.

    The subject is the text after "về". A heading whose subject starts with a verb such as
    "thực hiện" ("... của Thành ủy Cao Bằng thực hiện Nghị quyết số 42-NQ/TW ...") keeps it,
    since it is the document's summary line. When no issuing body can be told apart from the
    subject, ``issuer`` is None and the subject keeps the whole rest. A heading without an
    issuing body ("Đề án số 02-ĐA/TU, ngày 30/11/2023 về ...") has ``issuer=None``.
    """
    text = _clean(text)
    match = _HEADING_RE.match(text)
    if not match:
        raise CitationError(
            _("“%(text)s” does not start with a known document type.") % {"text": text[:80]}
        )
    doc_type = doc_type_for(match["type"])
    if not match["number"]:
        raise CitationError(
            _("“%(text)s” has no document number (such as 29-CT/TU).") % {"text": text[:80]}
        )
    number = _clean_number(match["number"])
    date_match = _HEADING_DATE_RE.match(match["rest"])
    if not date_match:
        raise CitationError(
            _("The citation of %(number)s has no date (such as “ngày 06/02/2024”).")
            % {"number": number}
        )
    issued_on = _make_date(date_match["day"], date_match["month"], date_match["year"])
    if issued_on is None:
        raise CitationError(
            _("The date %(date)s of %(number)s does not exist.")
            % {
                "date": f"{date_match['day']}/{date_match['month']}/{date_match['year']}",
                "number": number,
            }
        )
    rest = date_match["rest"].strip().lstrip(",").strip()
    issuer = None
    subject = rest
    if rest.lower().startswith("của "):
        after = rest[4:]
        parts = _SUBJECT_START_RE.split(after, maxsplit=1)
        issuer = parts[0].strip().rstrip(",") or None
        subject = parts[1] if len(parts) > 1 else ""
        if issuer and len(issuer) > MAX_ISSUER_LENGTH:
            issuer, subject = None, rest
    if subject.lower().startswith("về "):
        subject = subject[3:]
    return Citation(
        doc_type=doc_type,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        subject=subject.strip().rstrip(".").strip(),
    )


def starts_with_citation(text):
    """Whether ``text`` begins like a citation ("Kế hoạch số 361-KH/TU...")."""
    match = _HEADING_RE.match(_clean(text))
    return bool(match and match["number"])


def find_citations(text):
    """Every citation-like mention in ``text``, in order, as ``FoundCitation``s.

    Matches "Nghị quyết số 29-NQ/TW, ngày 17/11/2022", "Chỉ thị 35-CT/TW" (no date: ``issued_on``
    is None) and "Đề án số 14-ĐA/TU ngày 27/12/2022" (a date without "ngày"). A date that does not
    exist is left out rather than guessed: the mention is returned with ``issued_on=None``.
    Offsets index ``text`` as given, so callers can wrap the mention in a link.
    """
    found = []
    for match in _IN_TEXT_RE.finditer(text or ""):
        issued_on = None
        end = match.end()
        if match["day"]:
            issued_on = _make_date(match["day"], match["month"], match["year"])
            if issued_on is None:
                end = match.end("number")
        found.append(
            FoundCitation(
                start=match.start(),
                end=end,
                doc_type=doc_type_for(match["type"]),
                number=_clean_number(match["number"]),
                issued_on=issued_on,
            )
        )
    return found
