"""The SQLite full-text index of the entrys (core.sqlite_search); nothing on PostgreSQL."""

from django.db import migrations

from core.sqlite_search import index_operations

create_index, drop_index = index_operations("bulletin", "entry")


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0007_scan_review")]

    operations = [migrations.RunPython(create_index, drop_index)]
