"""Whether the month's material reached the party cells: readers of each issue, by cell.

A member "read" an issue when they opened it on the site (``Reading``) or downloaded its PDF
(``bulletin.Download``). Counts are by party cell only, never per person; the share is of the
cell's current members (active accounts whose profile names the cell).
"""

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from bulletin.models import Download, Issue

from .models import Profile, Reading

# The chart shows a year of issues: enough to see a trend, small enough to read on a phone.
CHART_ISSUES = 12


@dataclass(frozen=True)
class CellReadership:
    cell: str
    members: int
    on_site: int
    downloaded: int
    readers: int

    @property
    def share(self):
        return self.readers / self.members if self.members else 0.0

    @property
    def percent(self):
        return round(self.share * 100)


def members_by_cell(committee_id=None):
    """Active members with a party cell; of one committee when ``committee_id`` is given (the
    members of an issue's committee are the ones it is meant for)."""
    members = Profile.objects.filter(user__is_active=True).exclude(party_cell="")
    if committee_id is not None:
        members = members.filter(committee_id=committee_id)
    return members


def readership_by_cell(issue):
    """One CellReadership per party cell that has members, cells without any reader included,
    in the order of the cells' names. One query, whatever the number of members."""
    opened = Exists(Reading.objects.filter(user=OuterRef("user"), issue=issue))
    downloaded = Exists(Download.objects.filter(user=OuterRef("user"), issue=issue))
    rows = (
        members_by_cell(issue.committee_id)
        .values("party_cell")
        .annotate(
            members=Count("pk"),
            on_site=Count("pk", filter=Q(opened)),
            downloaded=Count("pk", filter=Q(downloaded)),
            readers=Count("pk", filter=Q(opened) | Q(downloaded)),
        )
        .order_by("party_cell")
    )
    return [
        CellReadership(
            cell=row["party_cell"],
            members=row["members"],
            on_site=row["on_site"],
            downloaded=row["downloaded"],
            readers=row["readers"],
        )
        for row in rows
    ]


def recent_issues(count=CHART_ISSUES, issues=None):
    """The latest ``count`` published issues (of ``issues``, default: all), oldest first (the
    order of a chart's bars)."""
    issues = Issue.objects.all() if issues is None else issues
    latest = issues.published().select_related("committee").order_by("-year", "-month", "-pk")
    return list(latest[:count])[::-1]


def latest_issue(committee=None):
    issues = Issue.objects.published()
    if committee is not None:
        issues = issues.filter(committee=committee)
    return issues.order_by("-year", "-month", "-pk").first()


def monthly_by_cell(issues):
    """{cell: [(issue, CellReadership), ...]} over ``issues``, one query per issue. A cell
    with no member left has no row; a cell with members but no reader has zeros."""
    by_cell = {}
    for issue in issues:
        for row in readership_by_cell(issue):
            by_cell.setdefault(row.cell, []).append((issue, row))
    return dict(sorted(by_cell.items()))


def cells_without_readers(issue):
    return [row for row in readership_by_cell(issue) if row.readers == 0]


# The chart's geometry in SVG user units. Bars are as tall as the share they show.
_BAR_WIDTH = 44
_GAP = 12
_PLOT_HEIGHT = 120
_TOP = 40
_LEFT = 8
_BOTTOM = 44


def chart_svg(cell, points):
    """A bar chart of a cell's readership, month by month, as SVG text.

    Drawn on the server, readable without JavaScript and without styles: each bar carries its
    figures as text (share above, readers/members and the month below), and a <title> names
    the chart for screen readers. ``points`` is a list of (issue, CellReadership).
    """
    width = _LEFT * 2 + max(len(points), 1) * (_BAR_WIDTH + _GAP)
    height = _TOP + _PLOT_HEIGHT + _BOTTOM
    title = _("Readers of the bulletin in %(cell)s, by month") % {"cell": cell}
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-label": title,
            "class": "readership-chart",
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "text", {"x": str(_LEFT), "y": "16", "font-size": "13"}).text = cell
    baseline = _TOP + _PLOT_HEIGHT
    ET.SubElement(
        svg,
        "line",
        {"x1": str(_LEFT), "x2": str(width - _LEFT), "y1": str(baseline), "y2": str(baseline)},
        stroke="#555",
    )
    for index, (issue, row) in enumerate(points):
        x = _LEFT + index * (_BAR_WIDTH + _GAP)
        bar_height = round(row.share * _PLOT_HEIGHT, 1)
        centre = str(x + _BAR_WIDTH / 2)
        group = ET.SubElement(
            svg,
            "g",
            {
                "class": "bar",
                "data-year": str(issue.year),
                "data-month": str(issue.month),
                "data-readers": str(row.readers),
                "data-members": str(row.members),
            },
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": str(x),
                "y": str(round(baseline - bar_height, 1)),
                "width": str(_BAR_WIDTH),
                "height": str(bar_height),
                "fill": "#a5161d" if row.readers else "#bbb",
            },
        )
        label = {"x": centre, "text-anchor": "middle", "font-size": "11"}
        ET.SubElement(
            group, "text", {**label, "y": str(round(baseline - bar_height - 4, 1))}
        ).text = f"{row.percent}%"
        ET.SubElement(
            group, "text", {**label, "y": str(baseline + 14)}
        ).text = f"{row.readers}/{row.members}"
        ET.SubElement(
            group, "text", {**label, "y": str(baseline + 30)}
        ).text = f"{issue.month}/{issue.year}"
    return ET.tostring(svg, encoding="unicode")


def _spreadsheet_safe(text):
    # A cell name typed as "=..." or "+..." would run as a formula when the file is opened.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def csv_text(issues):
    """Readership of ``issues`` by cell as CSV, one line per issue and cell, with a BOM so that
    Excel (what the board opens it with) reads the Vietnamese letters as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Year"),
            _("Month"),
            _("Party cell"),
            _("Members"),
            _("Opened on the site"),
            _("Downloaded the PDF"),
            _("Readers"),
            _("Share of members (%)"),
        ]
    )
    for issue in issues:
        for row in readership_by_cell(issue):
            writer.writerow(
                [
                    issue.year,
                    issue.month,
                    _spreadsheet_safe(row.cell),
                    row.members,
                    row.on_site,
                    row.downloaded,
                    row.readers,
                    row.percent,
                ]
            )
    return out.getvalue()
