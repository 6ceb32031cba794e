from django.db import migrations


class Migration(migrations.Migration):
    """A document's citations are now those of its summaries' current texts
    (bulletin.Entry.cited_documents), read after those are filled in."""

    dependencies = [
        ("documents", "0003_glossary"),
        ("bulletin", "0005_citations_per_entry"),
    ]

    operations = [
        migrations.RemoveField(model_name="document", name="cites"),
    ]
