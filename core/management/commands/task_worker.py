"""``manage.py task_worker``: django-tasks-db's ``db_worker`` (same options) that also runs again
the tasks a dead worker left RUNNING (core/stuck_tasks.py). Use it instead of ``db_worker``."""

import logging
import os
import time

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.stuck_tasks import requeue_stuck_tasks

# How often a worker looks for stuck tasks, in seconds.
REAP_EVERY = 60


class RecoveringWorker(db_worker.Worker):
    """Drains the queue in batches, with a look for stuck tasks before each one (at most every
    REAP_EVERY seconds) and the worker's interval between them when the queue is empty."""

    def run(self):
        keep_running = not self.batch
        self.batch = True
        last_reap = None
        while True:
            if last_reap is None or time.monotonic() - last_reap >= REAP_EVERY:
                requeue_stuck_tasks()
                last_reap = time.monotonic()
            super().run()
            # Each batch logs that a worker starts and that the queue is empty: said once, not
            # every second for as long as the worker runs (the demo's console, the server logs).
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
            self.startup_delay = False
            done = self.max_tasks is not None and self._run_tasks >= self.max_tasks
            if not keep_running or not self.running or done:
                return
            time.sleep(self.interval)


class Command(db_worker.Command):
    help = "Run a database background worker that also re-runs tasks a dead worker left behind"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = RecoveringWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
