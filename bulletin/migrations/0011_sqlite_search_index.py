"""The SQLite full-text index of the entries (core.sqlite_search); nothing on PostgreSQL."""

from django.db import migrations

from core.sqlite_search import index_operations

create_index, drop_index = index_operations("bulletin", "entry")


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0010_issue_committee_required")]

    operations = [migrations.RunPython(create_index, drop_index)]
