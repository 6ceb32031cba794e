import django.db.models.deletion
from django.db import migrations, models

import bulletin.models


class Migration(migrations.Migration):
    dependencies = [("members", "0004_profile_committee")]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="committee",
            field=models.ForeignKey(
                default=bulletin.models.default_committee_id,
                help_text="The committee the member's party cell belongs to: the member reads its members-only issues, and every public one.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="profiles",
                to="bulletin.committee",
                verbose_name="committee",
            ),
        ),
    ]
