"""The first PostgreSQL search on this table: a generated ``search_vector`` column beside the
ORM, through bulletin's ``bantin`` configuration, and its GIN indexes. Nothing on SQLite.

Replaced and dropped by the next search migration (``core.models.Searchable``); kept for the
databases that went through it, elidable like the step that drops what it made."""

from django.db import migrations

TABLE = "documents_document"

FORWARDS = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('bantin'::regconfig, COALESCE(search_text, ''))) STORED;",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_fts ON {TABLE} USING gin (search_vector);",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_trgm ON {TABLE} USING gin (search_text gin_trgm_ops);",
]

BACKWARDS = [
    f"DROP INDEX IF EXISTS {TABLE}_fts;",
    f"DROP INDEX IF EXISTS {TABLE}_trgm;",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector;",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("bulletin", "0003_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
