"""Many committees, step 3: every issue has its committee; one issue per committee and month."""

import django.db.models.deletion
from django.db import migrations, models

import bulletin.models


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0009_default_committee")]

    operations = [
        migrations.AlterField(
            model_name="issue",
            name="committee",
            field=models.ForeignKey(
                default=bulletin.models.default_committee_id,
                help_text="The committee whose board publishes this issue.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issues",
                to="bulletin.committee",
                verbose_name="publisher",
            ),
        ),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.UniqueConstraint(
                fields=("committee", "year", "month"),
                name="unique_issue_per_committee_month",
                violation_error_message="This committee already has an issue for that month.",
            ),
        ),
    ]
