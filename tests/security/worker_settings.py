"""Settings of the worker processes started by test_stuck_tasks.py: the test settings with the
real database queue."""

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
