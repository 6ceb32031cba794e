"""Many committees, step 2: the default committee, and every existing issue attached to one.

The installation's committee (the settings ``BULLETIN_COMMITTEE``, ``BULLETIN_BOARD`` and
``BULLETIN_COMMITTEE_SLUG``) becomes the default committee and takes the existing issues. The old
rule was "one issue per publisher (the cover's two lines) and month", so an issue whose cover
names another committee was another publisher's: it gets a committee of its own, named as its
cover, so that no two issues of one committee share a month and nothing is lost. The staff
accounts join the default committee's staff. Its own
migration: on PostgreSQL a table cannot be altered in the transaction that just updated it.
"""

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify

import bulletin.committees
from core.richtext import fold


def _free_slug(Committee, name):  # noqa: N803 -- a historical model
    base = slugify(fold(name))[:40].strip("-") or "committee"
    slug, counter = base, 1
    while (
        slug in bulletin.committees.ALWAYS_RESERVED or Committee.objects.filter(slug=slug).exists()
    ):
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def attach_issues(apps, schema_editor):
    Committee = apps.get_model("bulletin", "Committee")  # noqa: N806
    Issue = apps.get_model("bulletin", "Issue")  # noqa: N806
    default, _ = Committee.objects.get_or_create(
        slug=settings.BULLETIN_COMMITTEE_SLUG,
        defaults={"name": settings.BULLETIN_COMMITTEE, "board": settings.BULLETIN_BOARD},
    )
    by_name = {fold(default.name): default}
    for issue in Issue.objects.order_by("pk").iterator():
        key = fold(issue.cover_committee or default.name)
        committee = by_name.get(key)
        if committee is None:
            committee = Committee.objects.create(
                name=issue.cover_committee,
                board=issue.cover_board or default.board,
                slug=_free_slug(Committee, issue.cover_committee),
            )
            by_name[key] = committee
        issue.committee = committee
        issue.save(update_fields=["committee"])
    # The board's staff so far worked on its one committee's issues; they keep doing so.
    User = apps.get_model(settings.AUTH_USER_MODEL)  # noqa: N806
    default.staff.add(*User.objects.filter(is_staff=True, is_superuser=False))


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0008_committees"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(attach_issues, migrations.RunPython.noop)]
