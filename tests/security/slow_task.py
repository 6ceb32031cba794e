"""A task for test_stuck_tasks.py: says when it starts, takes a long time while
SLOW_TASK_SECONDS is set (the worker about to be killed), and leaves a file when it finishes."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def write_when_done(path):
    Path(path + ".started").write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SLOW_TASK_SECONDS", "0")))
    Path(path).write_text("done")
    return "done"
