from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")

    def ready(self):
        from core import images, media, pagecache, revisions, search
        from core.richtext import html_to_text
        from documents.models import Document

        from . import signals
        from .models import (
            Committee,
            Entry,
            Footnote,
            Issue,
            ScanPage,
            Transition,
            readable_committee_ids,
        )

        revisions.register(Issue, follow=["entries"])
        revisions.register(Entry, follow=["footnotes", "news_items"])
        revisions.register(Footnote, versioned=False)
        # The stored PDFs and page caches follow the content, a cited document's too.
        signals.connect_content_signals(Issue, Entry, Footnote, Document)
        # Reader pages (core/pagecache.py): a workflow step publishes or withdraws without
        # saving the issue through the ORM's save(); a scheduled publication needs no save.
        pagecache.connect(Issue, Entry, Footnote, Transition)
        pagecache.register_schedule(Issue.objects.next_publication_time)
        # Members of two committees read different members-only issues: never the same page.
        pagecache.register_audience_part(
            lambda user: ",".join(str(pk) for pk in readable_committee_ids(user))
        )
        pagecache.connect(Committee)
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
        # Scanned pages and uploaded scans are working material for editors, never for members.
        media.register_owner_check(
            lambda name, user: (
                user.is_authenticated and user.is_staff
                if name.startswith(ScanPage.UPLOAD_PREFIX)
                else None
            )
        )
