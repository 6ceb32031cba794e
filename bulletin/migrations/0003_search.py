"""The first PostgreSQL search: the unaccent and pg_trgm extensions, the ``bantin`` text search
configuration (simple words without diacritics), and a generated ``search_vector`` column of the
entries beside the ORM, with its GIN indexes (``core.postgres``). Nothing on SQLite.

0005_search_vector replaces that column by ``core.models.Searchable.search_vector`` and drops it;
this migration stays for the databases that went through it. Its steps after the extensions are
elidable, as is the one that drops what they made, so a squash keeps only the extensions."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from core.postgres import legacy_search_vector_operations

# Django has no operation for a text search configuration.
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
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS bantin;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIG)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONFIG)


drop_vector, add_vector = legacy_search_vector_operations("bulletin", "entry")


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0002_roles")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_config, drop_config, elidable=True),
        migrations.RunPython(add_vector, drop_vector, elidable=True),
    ]
