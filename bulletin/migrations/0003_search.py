"""The first PostgreSQL search: the unaccent and pg_trgm extensions, the ``bantin`` text search
configuration (simple words without diacritics), and, beside the ORM, a generated
``search_vector`` column with its GIN indexes on the entries. Nothing on SQLite.

0005_search_vector replaces that column by ``core.models.Searchable.search_vector`` and drops it;
this migration stays for the databases that went through it. Its SQL is elidable, as is the
step that drops what it made, so a squash keeps only the extensions."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

TABLE = "bulletin_entry"

CREATE_CONFIG = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'bantin') THEN
    CREATE TEXT SEARCH CONFIGURATION bantin (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION bantin
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
"""

FORWARDS = [
    CREATE_CONFIG,
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('bantin'::regconfig, COALESCE(search_text, ''))) STORED;",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_fts ON {TABLE} USING gin (search_vector);",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_trgm ON {TABLE} USING gin (search_text gin_trgm_ops);",
]

BACKWARDS = [
    f"DROP INDEX IF EXISTS {TABLE}_fts;",
    f"DROP INDEX IF EXISTS {TABLE}_trgm;",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector;",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS bantin;",
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
    dependencies = [("bulletin", "0002_roles")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
