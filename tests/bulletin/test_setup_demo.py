from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from bulletin.models import Issue, Status
from core.roles import grant_roles

pytestmark = pytest.mark.django_db


def run_setup_demo():
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_the_three_samples_published_and_prints_the_accounts():
    output = run_setup_demo()

    issues = Issue.objects.order_by("year", "month")
    assert [(issue.month, issue.year) for issue in issues] == [(1, 2024), (3, 2024), (6, 2024)]
    assert {issue.status for issue in issues} == {Status.PUBLISHED}
    assert all(issue.is_published for issue in issues)
    for username in ("admin", "bientap", "lanhdao", "canbo", "dangvien"):
        assert f"  {username} / " in output
    member = get_user_model().objects.get(username="dangvien")
    assert list(member.groups.values_list("name", flat=True)) == ["Đảng viên"]
    assert not member.is_staff
    assert get_user_model().objects.get(username="lanhdao").has_perm("bulletin.publish_issue")


def test_demo_can_run_again_without_touching_the_issues():
    run_setup_demo()
    before = list(Issue.objects.values_list("pk", "updated_at"))

    output = run_setup_demo()

    assert list(Issue.objects.values_list("pk", "updated_at")) == before
    assert output.count("already loaded") == 3


def test_demo_sends_no_mail(mailoutbox):
    # Publishing walks the workflow; its notices would print raw e-mails amid the demo's output.
    run_setup_demo()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_demo_queues_no_notice_for_the_worker_to_send_later(settings, mailoutbox):
    """With the task queue of `make demo` (the database), the notices would be sent by the worker
    after setup_demo returned, printed amid the demo's output: none may be queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # A transactional test before this one may have flushed the groups the migrations made.
    grant_roles(Group, Permission)
    run_setup_demo()
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "bulletin.tasks.send_workflow_notice" not in paths
    assert "bulletin.tasks.render_issue_pdf" in paths  # the publications did queue their PDFs
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert mailoutbox == []
