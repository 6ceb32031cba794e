"""Import a printed issue (plain text, Markdown or Word) into a draft issue.

The import is a row of stages, each a pure function with its own tests, only the last touching
the database:

1. ``reading``: bytes → ``Line``s (decoding, size limits; Word files through ``word``, PDFs
   through ``pdf_reader`` and ``layout``, scans and PDF pages without text through ``ocr``);
2. ``blocks``: lines → paragraphs, headings, list items, footnotes, captions;
3. ``structure``: blocks → ``ParsedIssue`` (cover, items, news, HTML bodies, the import report);
4. ``writer``: a draft issue in one transaction, or nothing.

The two entry points are ``import_into_draft`` and ``parse_only`` (a dry run); bad input raises
``ImportRefused`` with a message for the editor.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from .blocks import read_blocks
from .errors import ImportRefused
from .reading import read_file
from .structure import ParsedIssue, build_issue
from .writer import ImportResult, resolve_month, write_draft

__all__ = ["ImportRefused", "ImportResult", "ParsedIssue", "import_into_draft", "parse_only"]


def parse_only(data_or_path, *, filename=None, month=None, year=None) -> ParsedIssue:
    """Read a file (its bytes, its text, or a path) into a ``ParsedIssue``, writing nothing.

    The month and year are resolved as an import would (the cover's, else the ones given), so a
    dry run refuses what the import would refuse for want of them.
    """
    data, filename = _data(data_or_path, filename)
    reading = read_file(data, filename=filename)
    parsed = build_issue(read_blocks(reading.lines, from_word=reading.typeset))
    parsed.scan = reading.scan
    if not parsed.entries:
        raise ImportRefused(
            _(
                "No numbered items were found. The contents of an issue are numbered items "
                "(“1. Chỉ thị số ...”, “2. ...”), each starting on a line of its own."
            )
        )
    parsed.month, parsed.year = resolve_month(parsed, month, year)
    return parsed


def import_into_draft(
    data_or_path, *, filename=None, month=None, year=None, replace=False, by=None, committee=None
) -> ImportResult:
    """Import a file (its bytes, its text, or a path) as a draft issue.

    Writes nothing and raises ``ImportRefused`` when the file cannot be read, has no numbered
    items, lacks its month, or when the month already has an issue (see ``writer.write_draft``
    for ``replace``). ``by`` is the user recorded as the issue's author; ``committee`` the
    issue's publisher (the default committee when None).
    """
    parsed = parse_only(data_or_path, filename=filename, month=month, year=year)
    return write_draft(parsed, replace=replace, by=by, committee=committee)


def _data(data_or_path, filename):
    if isinstance(data_or_path, Path):
        try:
            data = data_or_path.read_bytes()
        except OSError as exc:
            raise ImportRefused(
                _("The file %(name)s cannot be read: %(error)s")
                % {"name": data_or_path.name, "error": exc.strerror}
            ) from exc
        return data, filename or data_or_path.name
    if filename is None:
        raise TypeError("filename is required when the file's content is given")
    return data_or_path, filename
