"""PostgreSQL search: unaccent and pg_trgm, the ``bantin`` text search configuration (simple words
without diacritics), and GIN indexes on the folded search text of entries. Nothing on SQLite."""

from django.db import migrations

CREATE_CONFIG = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'bantin') THEN
    CREATE TEXT SEARCH CONFIGURATION bantin (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION bantin
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
"""


def index_sql(table):
    """A stored tsvector of the folded text (kept by PostgreSQL itself, invisible to the ORM),
    its GIN index, and a trigram index for close spellings."""
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('bantin'::regconfig, COALESCE(search_text, ''))) STORED;",
        f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} USING gin (search_vector);",
        f"CREATE INDEX IF NOT EXISTS {table}_trgm ON {table} USING gin (search_text gin_trgm_ops);",
    ]


def drop_sql(table):
    return [
        f"DROP INDEX IF EXISTS {table}_fts;",
        f"DROP INDEX IF EXISTS {table}_trgm;",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector;",
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    for sql in index_sql("bulletin_entry"):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in drop_sql("bulletin_entry"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
