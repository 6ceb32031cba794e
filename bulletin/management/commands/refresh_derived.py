"""Re-render the derived HTML of every text: run it after the glossary or the registry changes,
so new abbreviations and newly registered documents show on pages saved before."""

from django.core.management import BaseCommand
from django.db import transaction

from bulletin.models import Entry
from documents.linking import cited_documents, render_body
from documents.models import Abbreviation
from news.models import NewsItem


class Command(BaseCommand):
    help = "Re-render body_html (citation links, abbreviations) of every entry and news item."

    def handle(self, *args, **options):
        glossary = dict(Abbreviation.objects.values_list("abbreviation", "meaning"))
        changed = 0
        with transaction.atomic():
            for entry in Entry.objects.select_related("document").iterator():
                html = render_body(entry.body, glossary=glossary, footnote_prefix=entry.pk)
                if html != entry.body_html:
                    Entry.objects.filter(pk=entry.pk).update(body_html=html)
                    changed += 1
                if entry.document_id:
                    cited = [d for d in cited_documents(entry.body) if d.pk != entry.document_id]
                    if cited:
                        entry.document.cites.add(*cited)
            for item in NewsItem.objects.iterator():
                html = render_body(item.body, glossary=glossary)
                if html != item.body_html:
                    NewsItem.objects.filter(pk=item.pk).update(body_html=html)
                    changed += 1
        self.stdout.write(f"{changed} texts re-rendered.")
