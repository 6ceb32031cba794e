"""Workflow notices leave through the task queue once the step has committed: a step rolled back
sends nothing, and the click never waits for the mail server."""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from bulletin.models import Issue, Status
from tests.factories import make_issue, make_user

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def editor():
    return make_user(group="Biên tập viên", is_staff=True, email="btv@example.vn")


@pytest.fixture
def reviewer():
    return make_user(group="Lãnh đạo Ban", is_staff=True, email="lanhdao@example.vn")


def test_a_step_rolled_back_sends_no_mail(django_capture_on_commit_callbacks, editor, reviewer):
    issue = make_issue(created_by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            issue.submit(editor)
            raise RuntimeError("something later in the same request failed")

    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT
    assert mail.outbox == []


# Real commits: the step's transaction commits as in production, and the worker (which closes
# a connection left outside autocommit) runs in this process.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_click_queues_the_notice_and_the_worker_sends_it():
    # Superusers: a transactional test may run after another one flushed the role groups.
    editor = make_user(is_superuser=True, is_staff=True, email="btv@example.vn")
    make_user(is_superuser=True, is_staff=True, email="lanhdao@example.vn")
    issue = make_issue(created_by=editor)

    # A mail server that would hang: the step must not even open a connection.
    with mock.patch("django.core.mail.get_connection", side_effect=TimeoutError) as smtp:
        issue.submit(editor)
    smtp.assert_not_called()
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "bulletin.tasks.send_workflow_notice"

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert [message.to for message in mail.outbox] == [["lanhdao@example.vn"]]
    assert "Cần duyệt" in mail.outbox[0].subject
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
