from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
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
        # The SQLite full-text index follows the tables the migrations remade.
        post_migrate.connect(repair_search_index, dispatch_uid="core.sqlite_search.repair")


class TasksConfig(TasksAppConfig):
    """The background task queue, with a translated name in the admin (the package's is in
    English)."""

    verbose_name = _("Background tasks")


def repair_search_index(using="default", **kwargs):
    from . import sqlite_search
    from .models import Searchable

    models = [model for model in apps.get_models() if issubclass(model, Searchable)]
    sqlite_search.repair(models, using)
