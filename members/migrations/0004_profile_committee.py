"""A member belongs to the committee of their party cell; existing members to the default one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import bulletin.models


def attach_profiles(apps, schema_editor):
    Committee = apps.get_model("bulletin", "Committee")  # noqa: N806
    Profile = apps.get_model("members", "Profile")  # noqa: N806
    default, _ = Committee.objects.get_or_create(
        slug=settings.BULLETIN_COMMITTEE_SLUG,
        defaults={"name": settings.BULLETIN_COMMITTEE, "board": settings.BULLETIN_BOARD},
    )
    Profile.objects.update(committee=default)


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0010_issue_committee_required"),
        ("members", "0003_reviewers_see_readership"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="committee",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="profiles",
                to="bulletin.committee",
            ),
        ),
        migrations.RunPython(attach_profiles, migrations.RunPython.noop),
    ]
