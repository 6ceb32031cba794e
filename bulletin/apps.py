from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from core import media, pagecache, revisions, search
        from core.richtext import html_to_text
        from documents.models import Document

        from . import signals
        from .models import Entry, Footnote, Issue, ScanPage, Transition

        revisions.register(Issue, follow=["entries"])
        revisions.register(Entry, follow=["footnotes", "news_items"])
        revisions.register(Footnote, versioned=False)
        # The stored PDFs and page caches follow the content, a cited document's too.
        signals.connect_content_signals(Issue, Entry, Footnote, Document)
        # Reader pages (core/pagecache.py): a workflow step publishes or withdraws without
        # saving the issue through the ORM's save(); a scheduled publication needs no save.
        pagecache.connect(Issue, Entry, Footnote, Transition)
        pagecache.register_schedule(Issue.objects.next_publication_time)
        search.register(
            search.Source(
                kind="entry",
                label=_("Bulletin entry"),
                visible=lambda user: Entry.objects.visible_to(user).select_related("issue"),
                title=lambda entry: entry.title,
                text=lambda entry: html_to_text(entry.body),
                issue=lambda entry: entry.issue,
            )
        )
        media.register_owner_check(
            lambda name, user: media.inserted_in_text(Entry.objects.visible_to, name, user)
        )
        # Scanned pages and uploaded scans are working material for editors, never for members.
        media.register_owner_check(
            lambda name, user: (
                user.is_authenticated and user.is_staff
                if name.startswith(ScanPage.UPLOAD_PREFIX)
                else None
            )
        )
