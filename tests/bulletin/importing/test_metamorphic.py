"""The same issue printed at other line widths imports to the same structure.

Each sample is parsed, printed back as a text dump (``printer.py``) at widths from 55 to 95
characters, and parsed again: items and kinds, the cited documents, news titles, captions,
footnotes, sub-headings and list items with their markers must all come out the same.
"""

import json

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bulletin.importing import parse_only

from .printer import print_issue
from .shape import issue_shape

SAMPLES = settings.BASE_DIR / "samples"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
NAMES = sorted(name for name in MANIFEST if not name.startswith("_"))
# Every fourth width from 55 to 95 characters; the hypothesis test below tries any other.
WIDTHS = list(range(55, 96, 4))

_parsed = {}


def sample_parsed(name):
    if name not in _parsed:
        _parsed[name] = parse_only(SAMPLES / name, **MANIFEST[name])
    return _parsed[name]


def first_difference(expected, actual, path="issue"):
    """Where two shapes first differ, for a readable failure."""
    if isinstance(expected, dict):
        for key in expected:
            if expected[key] != actual.get(key):
                return first_difference(expected[key], actual.get(key), f"{path}.{key}")
    if isinstance(expected, list | tuple) and isinstance(actual, list | tuple):
        for n, (a, b) in enumerate(zip(expected, actual, strict=False)):
            if a != b:
                return first_difference(a, b, f"{path}[{n}]")
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} expected, {len(actual)} found"
    return f"{path}: expected {expected!r}, found {actual!r}"


def assert_same_structure_at(name, width, stray_phase=0):
    parsed = sample_parsed(name)
    expected = issue_shape(parsed)
    dump = print_issue(parsed, width, stray_phase=stray_phase)
    actual = issue_shape(parse_only(dump.encode(), filename="printed.txt"))
    assert actual == expected, f"width {width}: " + first_difference(expected, actual)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_printed_at_another_width_gives_the_same_structure(name, width):
    """The month, the items and their kinds, titles and cited documents (type, number, date,
    issuer, subject), and inside each item its sub-headings, list items with their markers and
    levels, lead-ins, captions, footnotes and news items (titles, captions, bodies): all the
    same, with no exception for what the import report flags."""
    assert_same_structure_at(name, width)


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(NAMES),
    width=st.integers(min_value=55, max_value=95),
    stray_phase=st.integers(min_value=0, max_value=2),
)
def test_any_width_gives_the_same_structure(name, width, stray_phase):
    """Any width, not just every fourth, with the stray leading spaces on other paragraphs:
    the whole structure again."""
    assert_same_structure_at(name, width, stray_phase)
