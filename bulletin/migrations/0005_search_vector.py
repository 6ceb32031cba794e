"""Search through ``django.contrib.postgres`` (Entry is a ``core.models.Searchable``).

Drops the ``search_vector`` column that bulletin/migrations/0003_search.py added beside the ORM, adds the folded heading
and the original words, fills them (and ``search_text``, now words only) for the existing rows,
then the generated, weighted ``search_vector`` and its GIN indexes (PostgreSQL only: see
``core.postgres``)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import core.postgres
from core.richtext import html_to_text
from core.search import search_columns

BATCH = 500


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill_search_columns(apps, schema_editor):
    model = apps.get_model("bulletin", "entry")
    rows = model.objects.only("pk", "title", "body").order_by("pk").iterator(chunk_size=BATCH)
    for batch in _batches(rows):
        for row in batch:
            row.search_title, row.search_text, row.search_original = search_columns(
                row.title, html_to_text(row.body)
            )
        model.objects.bulk_update(
            batch, ["search_title", "search_text", "search_original"], batch_size=BATCH
        )


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0004_issue_content_changed_at")]

    operations = [
        migrations.RunPython(
            *core.postgres.legacy_search_vector_operations("bulletin", "entry"),
            elidable=True,
        ),
        migrations.AddField(
            model_name="entry",
            name="search_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="entry",
            name="search_original",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
        migrations.AddField(
            model_name="entry",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.postgres.OnPostgreSQL(
                    django.contrib.postgres.search.SearchVector(
                        "search_title", config="simple", weight="A"
                    )
                    + django.contrib.postgres.search.SearchVector(
                        "search_text", config="simple", weight="B"
                    )
                    + django.contrib.postgres.search.SearchVector(
                        "search_original", config="simple", weight="D"
                    )
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=core.postgres.PostgreSQLGinIndex(
                fields=["search_vector"], name="bulletin_entry_vector"
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=core.postgres.PostgreSQLGinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="bulletin_entry_trigram",
            ),
        ),
    ]
