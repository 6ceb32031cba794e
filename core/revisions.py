"""Revisions with django-reversion: the version guard, and the difference of two versions.

Each app registers its models with reversion in its ``AppConfig.ready`` (``register``), saying
what is versioned together: an issue's revision holds its entries, their footnotes and news items
with their photos, so restoring an issue or a news item brings back the children as they were.
"""

import datetime

import reversion
from django.db.models.signals import pre_save
from django.utils import formats, timezone

from .richtext import html_to_text


def register(model, *, follow=(), versioned=True):
    """Keep revisions of ``model`` (with the related objects named in ``follow``); a
    ``versioned`` model carries an edit ``version`` that a restore must move forward."""
    if not reversion.is_registered(model):
        reversion.register(model, follow=list(follow))
    if versioned:
        connect_version_guard(model)


def record(obj, *, user, comment):
    """Keep a revision of ``obj`` as it is now (with what it follows), by ``user``: for changes
    made outside an admin form, such as an import or a workflow step, so that the object's
    history tells its whole life."""
    with reversion.create_revision(atomic=False):
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment(str(comment)[:2000])
        reversion.add_to_revision(obj)


def keep_version_moving_forward(sender, instance, raw, **kwargs):
    """A restored revision carries the old ``version`` number; move it forward instead, so a form
    opened before the restore can never pass the lost-update check by coincidence."""
    if not raw or not instance.pk or not hasattr(instance, "version"):
        return
    current = (
        type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
    )
    if current:
        instance.version = max(current[0], instance.version) + 1


def connect_version_guard(*models):
    for model in models:
        pre_save.connect(
            keep_version_moving_forward, sender=model, dispatch_uid=f"version-{model.__name__}"
        )


# Bookkeeping fields whose change is no news to a reader of the comparison.
IGNORED_FIELDS = {
    "version",
    "updated_at",
    "content_changed_at",
    "body_html",
    "search_title",
    "search_text",
    "search_original",
    "search_vector",
    "updated_by_id",
}


def diff(model, old, new):
    """Rows (label, old text, new text) for the fields that differ between two field dicts."""
    rows = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in IGNORED_FIELDS or field.primary_key:
            continue
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        rows.append((field.verbose_name, _display(field, before), _display(field, after)))
    return rows


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if field.get_internal_type() == "TextField":  # the HTML fields too: they are TextFields
        return html_to_text(str(value))
    return str(value)
