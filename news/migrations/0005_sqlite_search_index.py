"""The SQLite full-text index of the news items (core.sqlite_search); nothing on PostgreSQL."""

from django.db import migrations

from core.sqlite_search import index_operations

create_index, drop_index = index_operations("news", "newsitem")


class Migration(migrations.Migration):
    dependencies = [("news", "0004_search_vector")]

    operations = [migrations.RunPython(create_index, drop_index)]
