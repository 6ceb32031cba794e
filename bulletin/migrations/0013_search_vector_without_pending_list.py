"""The GIN index of ``search_vector`` again, without its pending list (``fastupdate=False``):
see ``core.models.Searchable``. Nothing on SQLite (see ``core.postgres``)."""

from django.db import migrations

import core.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0012_search_rank_vector"),
        ("documents", "0008_search_vector_without_pending_list"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="entry",
            name="bulletin_entry_vector",
        ),
        migrations.AddIndex(
            model_name="entry",
            index=core.postgres.PostgreSQLGinIndex(
                fastupdate=False, fields=["search_vector"], name="bulletin_entry_vector"
            ),
        ),
    ]
