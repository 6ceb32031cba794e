"""Search through ``django.contrib.postgres`` (Document is a ``core.models.Searchable``).

Drops the ``search_vector`` column that 0002_search.py added beside the ORM, adds the folded heading
and the original words, fills them (and ``search_text``, now words only) for the existing rows,
then the generated, weighted ``search_vector`` and its GIN indexes (PostgreSQL only: see
``core.postgres``)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import core.postgres
from core.search import search_columns

BATCH = 500


def _citation(document):
    """The heading ``Document.save`` indexes: the citation as printed, then the subject (a copy
    of ``Document.citation`` as it is today, as migrations must not follow later changes)."""
    text = (
        f"{document.get_doc_type_display()} số {document.number}, "
        f"ngày {document.issued_on:%d/%m/%Y}"
    )
    if document.issuer_id:
        text += f" của {document.issuer.name}"
    return f"{text} {document.subject}"


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
    model = apps.get_model("documents", "document")
    rows = model.objects.select_related("issuer").order_by("pk").iterator(chunk_size=BATCH)
    for batch in _batches(rows):
        for row in batch:
            row.search_title, row.search_text, row.search_original = search_columns(
                _citation(row), row.signer
            )
        model.objects.bulk_update(
            batch, ["search_title", "search_text", "search_original"], batch_size=BATCH
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_glossary")]

    operations = [
        migrations.RunPython(
            *core.postgres.legacy_search_vector_operations("documents", "document"),
            elidable=True,
        ),
        migrations.AddField(
            model_name="document",
            name="search_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="document",
            name="search_original",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
        migrations.AddField(
            model_name="document",
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
            model_name="document",
            index=core.postgres.PostgreSQLGinIndex(
                fields=["search_vector"], name="documents_document_vector"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=core.postgres.PostgreSQLGinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="documents_document_trigram",
            ),
        ),
    ]
