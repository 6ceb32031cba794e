from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    """What every app of the site uses: rich text, search, images, health, logs, security
    headers, versioned editing. It has no models and imports none of the domain apps."""

    default = True  # the module also holds TasksConfig
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from . import auth

        auth.connect_signals()


class TasksConfig(TasksAppConfig):
    """The background task queue, with a translated name in the admin (the package's is in
    English)."""

    verbose_name = _("Background tasks")
