from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from core import images, media, revisions, search
        from core.richtext import html_to_text
        from documents.models import Document

        from . import signals
        from .models import Committee, Entry, Footnote, Issue

        revisions.register(Issue, follow=["entries"])
        revisions.register(Entry, follow=["footnotes", "news_items"])
        revisions.register(Footnote, versioned=False)
        # The stored PDFs and page caches follow the content, a cited document's too.
        signals.connect_content_signals(Issue, Entry, Footnote, Document)
        search.register(
            search.Source(
                kind="entry",
                label=_("Bulletin entry"),
                visible=lambda user: Entry.objects.visible_to(user).select_related(
                    "issue__committee"
                ),
                title=lambda entry: entry.title,
                text=lambda entry: html_to_text(entry.body),
                issue=lambda entry: entry.issue,
                scope=lambda entries, committee: entries.filter(issue__committee=committee),
            )
        )
        # Search keeps to the reader's committee unless asked for all; the editor's image
        # uploads are for staff who work for a committee.
        search.register_scope_resolver(Committee.objects.search_scope)
        images.register_uploader_check(
            lambda user: user.is_superuser or Committee.objects.staffed_by(user).exists()
        )
        media.register_owner_check(
            lambda name, user: media.inserted_in_text(Entry.objects.visible_to, name, user)
        )
