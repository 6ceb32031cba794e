"""Re-render the derived HTML of every text: run it after the glossary or the registry changes,
so new abbreviations and newly registered documents show on pages saved before.

The texts belong to other apps (entries, news items); each model with derived HTML says how to
re-render it through a ``rerender_derived(glossary)`` class method, found through the app
registry, so the registry app imports none of them."""

from django.apps import apps
from django.core.management import BaseCommand
from django.db import transaction

from core import pagecache
from documents.models import Abbreviation


class Command(BaseCommand):
    help = "Re-render body_html (citation links, abbreviations) of every entry and news item."

    def handle(self, *args, **options):
        glossary = dict(Abbreviation.objects.values_list("abbreviation", "meaning"))
        changed = 0
        with transaction.atomic():
            for model in apps.get_models():
                rerender = getattr(model, "rerender_derived", None)
                if rerender is not None:
                    changed += rerender(glossary)
            # The texts were updated in bulk, without the signals that renew cached pages.
            pagecache.content_changed()
        self.stdout.write(f"{changed} texts re-rendered.")
