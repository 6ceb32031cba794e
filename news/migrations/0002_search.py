"""PostgreSQL search indexes on the folded search text (see bulletin/migrations/0003_search.py)."""

import importlib

from django.db import migrations

_search = importlib.import_module("bulletin.migrations.0003_search")
index_sql, drop_sql = _search.index_sql, _search.drop_sql

TABLE = "news_newsitem"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in index_sql(TABLE):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in drop_sql(TABLE):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial"), ("bulletin", "0003_search")]

    operations = [migrations.RunPython(forwards, backwards)]
