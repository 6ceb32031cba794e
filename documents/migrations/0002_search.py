"""The first PostgreSQL search on this table: a generated ``search_vector`` column beside the
ORM, through bulletin's ``bantin`` configuration, and its GIN indexes (``core.postgres``).
Nothing on SQLite.

Replaced and dropped by the next search migration (``core.models.Searchable``); kept for the
databases that went through it, elidable like the step that drops what it made."""

from django.db import migrations

from core.postgres import legacy_search_vector_operations

drop_vector, add_vector = legacy_search_vector_operations("documents", "document")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("bulletin", "0003_search")]

    operations = [migrations.RunPython(add_vector, drop_vector, elidable=True)]
