"""``manage.py import_bulletin``."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from bulletin.models import Issue, Status

pytestmark = pytest.mark.django_db

SAMPLES = settings.BASE_DIR / "samples"
S000 = SAMPLES / "000_c1a9d393be3cfc51.txt"
S002 = SAMPLES / "002_c75a862ff3ffb303.txt"


def run(*args):
    out = io.StringIO()
    call_command("import_bulletin", *map(str, args), stdout=out)
    return out.getvalue()


# The command --------------------------------------------------------------------------------------


def test_command_imports_and_reports():
    output = run(S002)
    issue = Issue.objects.get()
    assert issue.status == Status.DRAFT
    assert f"Đã nhập bản nháp số {issue.pk}" in output
    assert reverse("admin:bulletin_issue_change", args=[issue.pk]) in output
    assert (
        "4 mục: 2 văn bản, 1 bài viết, 4 tin hoạt động, 2 chú thích, 8 chú thích ảnh đang chờ ảnh"
        in output
    )
    assert "2. [document] Kế hoạch số 388-KH/TU" in output


def test_command_takes_the_month_of_a_sample_without_one():
    run(S000, "--month", 3, "--year", 2024)
    issue = Issue.objects.get()
    assert (issue.month, issue.year) == (3, 2024)


def test_command_fails_clearly_without_a_month():
    with pytest.raises(CommandError, match="không ghi tháng và năm"):
        run(S000)
    assert Issue.objects.count() == 0


def test_command_fails_clearly_on_the_same_month_and_replaces_on_request():
    run(S002)
    first = Issue.objects.get()
    with pytest.raises(CommandError, match="Đã có bản tin tháng 6/2024"):
        run(S002)
    output = run(S002, "--replace")
    assert "Bản tin cũ của tháng đó đã được thay thế." in output
    assert Issue.objects.get().pk != first.pk


def test_command_dry_run_writes_nothing():
    output = run(S000, "--month", 3, "--year", 2024, "--dry-run")
    assert "Chạy thử, chưa ghi gì" in output
    assert "4 mục: 3 văn bản, 0 bài viết, 5 tin hoạt động, 0 chú thích, 9 chú thích ảnh" in output
    assert Issue.objects.count() == 0


def test_command_missing_file():
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run(SAMPLES / "missing.txt")


def test_command_prints_the_import_report_with_links_to_unsure_items():
    output = run(S000, "--month", 3, "--year", 2024)
    issue = Issue.objects.get()
    lines = output.splitlines()
    report = lines[lines.index("Báo cáo nhập:") + 1 :]
    # What each item holds, naming the item by number and title.
    assert report[0].startswith("  - 1. Chỉ thị số 29-CT/TU, ngày 06/02/2024 của Ban")
    assert report[0].endswith(": văn bản 29-CT/TU")
    assert report[3] == "  - 4. Tin hoạt động: Tin hoạt động, 5 tin hoạt động, 9 chú thích ảnh"
    # What the importer was unsure of, each with the link to its item's admin page.
    unsure = [line for line in report if line.startswith("  ? ")]
    assert unsure
    for line in unsure:
        entry = issue.entries.get(position=int(line[4]))
        assert line.endswith(f"({reverse('admin:bulletin_entry_change', args=[entry.pk])})")
