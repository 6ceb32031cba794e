"""The Vietnamese catalog is complete: every interface string a person can meet is translated.

Read with the standard library's gettext parser rules kept simple on purpose: the .po file is
ours, written by makemessages, so entries are blocks separated by blank lines."""

import re
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"

_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _field(block, name):
    """The joined value of ``msgid``/``msgstr``/``msgstr[0]`` in one entry (a keyword line and
    the string lines that continue it), or None."""
    value = None
    for line in block.splitlines():
        if line.startswith(f"{name} "):
            value = "".join(_STRING_RE.findall(line[len(name) :]))
        elif value is not None and line.startswith('"'):
            value += "".join(_STRING_RE.findall(line))
        elif value is not None:
            break
    return value


def entries():
    text = CATALOG.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.startswith("#~") or "\nmsgid " not in f"\n{block}":
            continue
        msgid = _field(block, "msgid")
        if not msgid:  # the header
            continue
        yield block, msgid


def test_no_fuzzy_entry():
    fuzzy = [msgid for block, msgid in entries() if re.search(r"^#,.*\bfuzzy\b", block, re.M)]
    assert fuzzy == []


def test_every_entry_is_translated_into_something_else():
    problems = []
    for block, msgid in entries():
        if "msgid_plural" in block:
            forms = [_field(block, f"msgstr[{n}]") for n in range(2)]
            translations = [form for form in forms if form is not None]
        else:
            translations = [_field(block, "msgstr")]
        for translation in translations:
            if not translation:
                problems.append(f"untranslated: {msgid}")
            elif translation == msgid:
                problems.append(f"its own translation: {msgid}")
    assert problems == []


def test_the_check_sees_a_bad_entry(tmp_path, monkeypatch):
    """The checks above read the catalog as it is written: a fuzzy or self-translated entry in a
    catalog of the same shape is found."""
    bad = tmp_path / "django.po"
    bad.write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        '#, fuzzy\nmsgid "Publish"\nmsgstr "Xuất bản"\n\n'
        'msgid "Keywords"\nmsgstr "Keywords"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["CATALOG"]), "CATALOG", bad)
    found = list(entries())
    assert [msgid for _block, msgid in found] == ["Publish", "Keywords"]
    assert re.search(r"^#,.*\bfuzzy\b", found[0][0], re.M)
    assert _field(found[1][0], "msgstr") == "Keywords"
