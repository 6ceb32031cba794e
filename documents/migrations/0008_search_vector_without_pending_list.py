"""The GIN index of ``search_vector`` again, without its pending list (``fastupdate=False``):
see ``core.models.Searchable``. Nothing on SQLite (see ``core.postgres``)."""

from django.db import migrations

import core.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_search_rank_vector"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="document",
            name="documents_document_vector",
        ),
        migrations.AddIndex(
            model_name="document",
            index=core.postgres.PostgreSQLGinIndex(
                fastupdate=False, fields=["search_vector"], name="documents_document_vector"
            ),
        ),
    ]
