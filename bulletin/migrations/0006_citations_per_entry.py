import re

from django.db import migrations, models

from documents.citations import find_citations


def fill_citations(apps, schema_editor):
    """Each document summary's citations, read from its current text: the registry's old
    document-to-document links held citations removed since, so they are not carried over."""
    Entry = apps.get_model("bulletin", "Entry")
    Document = apps.get_model("documents", "Document")
    summaries = Entry.objects.filter(kind="document", document__isnull=False)
    for entry in summaries.iterator():
        plain = re.sub(r"<[^>]+>", " ", entry.body or "")
        cited = []
        for citation in find_citations(plain):
            documents = Document.objects.filter(
                doc_type=citation.doc_type, number__iexact=citation.number
            )
            if citation.issued_on:
                documents = documents.filter(issued_on=citation.issued_on)
            document = documents.order_by("-issued_on").first()
            if document and document.pk != entry.document_id and document not in cited:
                cited.append(document)
        entry.cited_documents.set(cited)


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0005_search_vector"),
        ("documents", "0004_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="cited_documents",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                help_text="Filled in from the text of a document summary each time it is saved.",
                related_name="citing_entries",
                to="documents.document",
                verbose_name="documents cited in the text",
            ),
        ),
        migrations.RunPython(fill_citations, migrations.RunPython.noop),
    ]
