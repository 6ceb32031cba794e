from django.db import migrations


class Migration(migrations.Migration):
    """A document's citations are now those of its summaries' current texts
    (bulletin.Entry.cited_documents), read after those are filled in."""

    dependencies = [
        ("documents", "0004_search_vector"),
        ("bulletin", "0006_citations_per_entry"),
    ]

    operations = [
        migrations.RemoveField(model_name="document", name="cites"),
    ]
