"""The SQLite full-text index of the documents (core.sqlite_search); nothing on PostgreSQL."""

from django.db import migrations

from core.sqlite_search import index_operations

create_index, drop_index = index_operations("documents", "document")


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_remove_document_cites")]

    operations = [migrations.RunPython(create_index, drop_index)]
