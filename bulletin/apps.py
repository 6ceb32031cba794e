from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BulletinConfig(AppConfig):
    default = True  # the module also holds TasksConfig
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from . import signals  # noqa: F401 -- keeps the stored PDFs in step with the content


class TasksConfig(TasksAppConfig):
    """The PDF task queue, with a translated name in the admin (the package's is in English)."""

    verbose_name = _("Background tasks")
