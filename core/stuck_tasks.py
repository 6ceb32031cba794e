"""Background tasks left RUNNING by a worker that died (killed, out of memory, container
restarted) are run again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed during a PDF render left its task RUNNING for ever, and the PDF was never made.
The workers of ``manage.py task_worker`` call :func:`requeue_stuck_tasks` as they start and
then every minute: a task RUNNING for longer than ``TASK_STUCK_AFTER`` is put back in the queue,
or failed with a message once it has been claimed ``TASK_MAX_ATTEMPTS`` times (a task that kills
every worker that takes it must not take the queue down with it).
"""

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded on a task failed by ``requeue_stuck_tasks`` (its ``exception_class_path``)."""


def requeue_stuck_tasks(now=None):
    """Re-queue or fail the tasks stuck in RUNNING; returns (re-queued, failed) counts."""
    now = now or timezone.now()
    cutoff = now - settings.TASK_STUCK_AFTER
    requeued = failed = 0
    stuck = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for task in stuck.only("id", "started_at", "worker_ids", "task_path"):
        # Conditional on the state just read: two workers reaping at once change it once, and
        # a task its worker finishes meanwhile is left alone.
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        attempts = len(task.worker_ids)
        if attempts >= settings.TASK_MAX_ATTEMPTS:
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"The worker running this task stopped before it finished, "
                    f"{attempts} times; it is not tried again."
                ),
            )
            failed += changed
            if changed:
                logger.error(
                    "task %s (%s) failed: %d workers lost", task.pk, task.task_path, attempts
                )
        else:
            changed = same.update(status=TaskResultStatus.READY, started_at=None)
            requeued += changed
            if changed:
                logger.warning(
                    "task %s (%s) re-queued: its worker stopped during it", task.pk, task.task_path
                )
    return requeued, failed
