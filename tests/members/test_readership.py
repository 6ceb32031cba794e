"""Readership by party cell: readings recorded by the issue page, counted by cell, charted,
exported, and shown only to the board."""

import csv
import datetime
import io
import random
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bulletin.models import Download, Visibility
from core.roles import Role
from members.models import Profile, Reading
from tests.factories import make_issue, make_user
from tests.site_data import published

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def make_member(cell, **fields):
    user = make_user(group=Role.MEMBER.value, **fields)
    Profile.objects.create(user=user, full_name=f"Đồng chí {user.username}", party_cell=cell)
    return user


@pytest.fixture
def readership_data(client):
    """Generated cells, members and reads: some by opening the issue page, some by a PDF
    download, some both; one cell reads nothing. Returns the issues and the expected counts."""
    rng = random.Random(20241130)
    issues = [
        published(year=2024, month=month, visibility=Visibility.MEMBERS) for month in (4, 5, 6)
    ]
    cells = {f"Chi bộ Khu phố {n}": rng.randint(3, 9) for n in range(1, 5)}
    silent_cell = "Chi bộ Khu phố 4"
    expected = {}
    for cell, size in cells.items():
        members = [make_member(cell) for _ in range(size)]
        for issue in issues:
            on_site, downloaded = set(), set()
            if cell != silent_cell:
                on_site = set(rng.sample(range(size), rng.randint(0, size)))
                downloaded = set(rng.sample(range(size), rng.randint(0, size // 2)))
            for index in on_site:
                client.force_login(members[index])
                assert client.get(issue.get_absolute_url()).status_code == 200
            for index in downloaded:
                Download.objects.create(issue=issue, user=members[index])
            expected[(issue.pk, cell)] = {
                "members": size,
                "on_site": len(on_site),
                "downloaded": len(downloaded),
                "readers": len(on_site | downloaded),
            }
    # Not members of any cell's count: a disabled account and a profile without a cell.
    gone = make_member("Chi bộ Khu phố 1", is_active=False)
    Reading.record(gone, issues[-1], timezone.now())
    make_member("")
    client.logout()
    return {"issues": issues, "cells": cells, "expected": expected, "silent": silent_cell}


@pytest.fixture
def reviewer_client(client):
    reviewer = make_user(group=Role.REVIEWER.value, is_staff=True)
    client.force_login(reviewer)
    return client


def test_opening_an_issue_records_one_reading_per_member(client):
    issue = published(year=2024, month=6, visibility=Visibility.MEMBERS)
    member = make_member("Chi bộ 1")
    client.force_login(member)
    client.get(issue.get_absolute_url())
    first = Reading.objects.get(user=member, issue=issue)
    later = first.last_at + datetime.timedelta(hours=3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        client.get(issue.get_absolute_url())
    reading = Reading.objects.get(user=member, issue=issue)
    assert Reading.objects.count() == 1
    assert reading.first_at == first.first_at
    assert reading.last_at == later


def test_anonymous_visits_and_draft_previews_are_not_readings(client, superuser):
    public = published(year=2024, month=5, visibility=Visibility.PUBLIC)
    draft = make_issue(year=2024, month=7)
    assert client.get(public.get_absolute_url()).status_code == 200
    client.force_login(superuser)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert not Reading.objects.exists()


def test_counts_by_cell_match_the_generated_reads(readership_data):
    from members.readership import readership_by_cell

    for issue in readership_data["issues"]:
        rows = readership_by_cell(issue)
        assert [row.cell for row in rows] == sorted(readership_data["cells"])
        for row in rows:
            want = readership_data["expected"][(issue.pk, row.cell)]
            assert row.members == want["members"]
            assert row.on_site == want["on_site"]
            assert row.downloaded == want["downloaded"]
            assert row.readers == want["readers"]
            assert row.percent == round(100 * want["readers"] / want["members"])


def test_admin_page_shows_the_chosen_issue_by_cell(readership_data, reviewer_client):
    issue = readership_data["issues"][1]
    url = reverse("admin:members_reading_changelist")
    response = reviewer_client.get(url, {"issue": issue.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tháng 5 năm 2024" in page
    table = page.split('id="readership-table"')[1].split("</table>")[0]
    for cell in readership_data["cells"]:
        want = readership_data["expected"][(issue.pk, cell)]
        row = table.split(f'<th scope="row">{cell}</th>')[1].split("</tr>")[0]
        share = round(100 * want["readers"] / want["members"])
        assert (
            f"<td>{want['members']}</td><td>{want['on_site']}</td><td>{want['downloaded']}</td>"
            in row
        )
        assert f"<td>{want['readers']}</td><td>{share}%</td>" in row
    # Counts only: no member's name appears.
    for profile in Profile.objects.all():
        assert profile.full_name not in page


def test_a_wrong_issue_number_falls_back_to_the_latest_with_a_message(
    readership_data, reviewer_client
):
    response = reviewer_client.get(
        reverse("admin:members_reading_changelist"), {"issue": "x' or 1=1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không có số bản tin đã phát hành nào mang số đó" in page
    assert "<h2>Tháng 6 năm 2024</h2>" in page


def test_the_chart_of_each_cell_matches_the_counts(readership_data, reviewer_client):
    page = reviewer_client.get(reverse("admin:members_reading_changelist")).content.decode()
    charts = [
        ET.fromstring(part.split("</figure>")[0])
        for part in page.split('<figure class="readership-chart">')[1:]
    ]
    assert len(charts) == len(readership_data["cells"])
    by_month = {issue.month: issue for issue in readership_data["issues"]}
    for chart in charts:
        cell = chart.find(f"{SVG}text").text
        bars = chart.findall(f"{SVG}g")
        assert [int(bar.get("data-month")) for bar in bars] == [4, 5, 6]
        heights = []
        for bar in bars:
            issue = by_month[int(bar.get("data-month"))]
            want = readership_data["expected"][(issue.pk, cell)]
            labels = [text.text for text in bar.findall(f"{SVG}text")]
            share = round(100 * want["readers"] / want["members"])
            assert labels == [
                f"{share}%",
                f"{want['readers']}/{want['members']}",
                f"{issue.month}/2024",
            ]
            heights.append(
                (want["readers"] / want["members"], float(bar.find(f"{SVG}rect").get("height")))
            )
        # Taller bars for larger shares, none for a cell that read nothing.
        assert [h for _, h in sorted(heights)] == sorted(h for _, h in heights)
        if cell == readership_data["silent"]:
            assert all(h == 0 for _, h in heights)


def test_csv_export_matches_the_counts(readership_data, reviewer_client):
    response = reviewer_client.get(reverse("admin:members_reading_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Năm", "Tháng", "Chi bộ"]
    issues = {(issue.year, issue.month): issue for issue in readership_data["issues"]}
    assert len(rows) - 1 == len(issues) * len(readership_data["cells"])
    for year, month, cell, members, on_site, downloaded, readers, share in rows[1:]:
        want = readership_data["expected"][(issues[(int(year), int(month))].pk, cell)]
        assert [int(members), int(on_site), int(downloaded), int(readers)] == [
            want["members"],
            want["on_site"],
            want["downloaded"],
            want["readers"],
        ]
        assert int(share) == round(100 * want["readers"] / want["members"])


@pytest.mark.parametrize("name", ["changelist", "export"])
def test_members_and_editors_cannot_see_readership(client, name):
    url = reverse(f"admin:members_reading_{name}")
    member = make_member("Chi bộ 1")
    client.force_login(member)
    assert client.get(url).status_code == 302  # not staff: the admin's login page
    editor = make_user(group=Role.EDITOR.value, is_staff=True)
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert "Tình hình đọc theo chi bộ" not in client.get(reverse("admin:index")).content.decode()


def test_reviewers_find_readership_in_the_admin_index(reviewer_client):
    index = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "Tình hình đọc theo chi bộ" in index
    assert reverse("admin:members_reading_changelist") in index


def test_reviewers_hold_the_readership_permission_from_the_migration():
    reviewer = make_user(group=Role.REVIEWER.value, is_staff=True)
    assert reviewer.has_perm("members.view_readership")
    assert not make_member("Chi bộ 1").has_perm("members.view_readership")


def test_reading_rows_have_no_page_of_their_own(readership_data, reviewer_client):
    reading = Reading.objects.first()
    for action in ("change", "delete", "history"):
        response = reviewer_client.get(f"/admin/members/reading/{reading.pk}/{action}/")
        assert response.status_code == 403
    assert reviewer_client.get("/admin/members/reading/add/").status_code == 403


def test_monthly_report_mails_reviewers_the_cells_that_did_not_open_the_latest_issue(
    readership_data,
):
    leader = make_user(group=Role.REVIEWER.value, is_staff=True, email="lanhdao@example.vn")
    make_user(group=Role.REVIEWER.value, is_staff=True, email="", username="noemail")
    out = io.StringIO()
    call_command("send_readership_report", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [leader.email]
    assert "Tháng 6 năm 2024" in message.subject
    silent = readership_data["silent"]
    assert silent in message.body
    latest = readership_data["issues"][-1]
    for cell in readership_data["cells"]:
        if readership_data["expected"][(latest.pk, cell)]["readers"]:
            assert cell not in message.body
    assert silent in out.getvalue()


def test_monthly_report_with_nothing_published_says_so_and_sends_nothing():
    make_user(group=Role.REVIEWER.value, is_staff=True)
    out = io.StringIO()
    call_command("send_readership_report", stdout=out)
    assert not mail.outbox
    assert "Chưa có số bản tin nào được phát hành" in out.getvalue()


def test_the_report_is_also_a_background_task(readership_data):
    from members.tasks import send_readership_report

    make_user(group=Role.REVIEWER.value, is_staff=True, email="lanhdao@example.vn")
    result = send_readership_report.enqueue()
    assert result.return_value == 1
    assert readership_data["silent"] in mail.outbox[0].body


def test_a_failing_record_does_not_keep_the_member_from_reading(client, monkeypatch):
    from django.db import OperationalError

    issue = published(year=2024, month=6, visibility=Visibility.MEMBERS)
    client.force_login(make_member("Chi bộ 1"))

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Reading, "record", locked)
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert issue.title in response.content.decode()


def test_a_mail_server_failure_is_reported_and_the_command_fails(readership_data, monkeypatch):
    from django.core.management.base import CommandError

    from members import report

    make_user(group=Role.REVIEWER.value, is_staff=True, email="lanhdao@example.vn")

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(report, "send_mail", refused)
    with pytest.raises(CommandError, match="Không gửi được báo cáo"):
        call_command("send_readership_report", stdout=io.StringIO())


def test_without_a_leader_address_the_command_says_so(readership_data):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có lãnh đạo Ban nào"):
        call_command("send_readership_report", stdout=io.StringIO())
    assert not mail.outbox


def test_a_reading_costs_one_statement_and_rereading_soon_costs_none(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.signals import READING_REFRESH

    issue = published(year=2024, month=6, visibility=Visibility.MEMBERS)
    member = make_member("Chi bộ 1")
    client.force_login(member)
    opened = timezone.now()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: opened)
        with CaptureQueriesContext(connection) as first:
            assert client.get(issue.get_absolute_url()).status_code == 200
        reread = opened + READING_REFRESH - datetime.timedelta(seconds=1)
        patch.setattr(timezone, "now", lambda: reread)
        with CaptureQueriesContext(connection) as soon:
            assert client.get(issue.get_absolute_url()).status_code == 200
        later = opened + READING_REFRESH + datetime.timedelta(seconds=1)
        patch.setattr(timezone, "now", lambda: later)
        with CaptureQueriesContext(connection) as after:
            assert client.get(issue.get_absolute_url()).status_code == 200

    def writes(captured):
        return [q["sql"] for q in captured if "members_reading" in q["sql"]]

    assert len(writes(first.captured_queries)) == 1
    assert writes(first.captured_queries)[0].upper().startswith("INSERT")
    assert writes(soon.captured_queries) == []
    assert len(writes(after.captured_queries)) == 1
    reading = Reading.objects.get(user=member, issue=issue)
    assert (reading.first_at, reading.last_at) == (opened, later)
