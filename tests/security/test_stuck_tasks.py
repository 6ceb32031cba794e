"""A task whose worker died is run again by the next worker (core/stuck_tasks.py)."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.stuck_tasks import requeue_stuck_tasks

ROOT = settings.BASE_DIR


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def queue_env(tmp_path):
    """A database of its own on disk that the worker processes share with this test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.security.worker_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
    }
    env.pop("SLOW_TASK_SECONDS", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


def test_a_task_whose_worker_was_killed_is_finished_by_the_next_worker(tmp_path, queue_env):
    done = str(tmp_path / "done")
    task_id = run_python(
        "from tests.security.slow_task import write_when_done; "
        f"print(write_when_done.enqueue({done!r}).id)",
        queue_env,
    ).strip()
    worker_command = [
        sys.executable,
        "manage.py",
        "task_worker",
        "--no-startup-delay",
        "--interval",
        "0.1",
        "--no-reload",
    ]
    doomed = subprocess.Popen(
        worker_command,
        cwd=ROOT,
        env={**queue_env, "SLOW_TASK_SECONDS": "600"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: os.path.exists(done + ".started"), 60), "the task never started"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait()
    status = (
        f"from django_tasks_db.models import DBTaskResult as T; t = T.objects.get(id={task_id!r})"
    )
    assert run_python(f"{status}; print(t.status)", queue_env).strip() == "RUNNING"

    # Move the clock: the claim is older than TASK_STUCK_AFTER.
    run_python(
        f"{status}; import datetime; "
        "T.objects.filter(pk=t.pk).update(started_at=t.started_at - datetime.timedelta(hours=2))",
        queue_env,
    )
    subprocess.run(
        [*worker_command, "--batch"],
        cwd=ROOT,
        env=queue_env,
        check=True,
        timeout=120,
        capture_output=True,
    )

    assert open(done).read() == "done"
    assert run_python(f"{status}; print(t.status, len(t.worker_ids))", queue_env).split() == [
        "SUCCESSFUL",
        "2",
    ]


def stuck_task(minutes_ago, claims):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.security.slow_task.write_when_done",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
        worker_ids=[f"worker-{n}" for n in range(claims)],
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return task


@pytest.mark.django_db
def test_a_running_task_is_left_alone_until_it_is_stuck():
    recent = stuck_task(minutes_ago=1, claims=1)
    old = stuck_task(minutes_ago=settings.TASK_STUCK_AFTER.total_seconds() / 60 + 1, claims=1)

    assert requeue_stuck_tasks() == (1, 0)

    assert DBTaskResult.objects.get(pk=recent.pk).status == TaskResultStatus.RUNNING
    requeued = DBTaskResult.objects.get(pk=old.pk)
    assert requeued.status == TaskResultStatus.READY
    assert requeued.started_at is None


@pytest.mark.django_db
def test_a_task_that_killed_every_worker_fails_with_a_reason():
    poison = stuck_task(minutes_ago=60 * 24, claims=settings.TASK_MAX_ATTEMPTS)

    assert requeue_stuck_tasks() == (0, 1)

    failed = DBTaskResult.objects.get(pk=poison.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "core.stuck_tasks.WorkerLost"
    assert "stopped before it finished" in failed.traceback
