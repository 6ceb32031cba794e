"""The GIN index of ``search_vector`` again, without its pending list (``fastupdate=False``):
see ``core.models.Searchable``. Nothing on SQLite (see ``core.postgres``)."""

from django.db import migrations

import core.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0013_search_vector_without_pending_list"),
        ("news", "0006_search_rank_vector"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="newsitem",
            name="news_newsitem_vector",
        ),
        migrations.AddIndex(
            model_name="newsitem",
            index=core.postgres.PostgreSQLGinIndex(
                fastupdate=False, fields=["search_vector"], name="news_newsitem_vector"
            ),
        ),
    ]
