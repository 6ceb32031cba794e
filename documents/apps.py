from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document registry")

    def ready(self):
        from core import media, pagecache, revisions, search

        from .models import Abbreviation, Document, Issuer, original_file_visibility

        revisions.register(Document)
        pagecache.connect(Document, Issuer, Abbreviation)
        search.register(
            search.Source(
                kind="document",
                label=_("Document"),
                visible=lambda user: Document.objects.visible_to(user).select_related("issuer"),
                title=lambda document: document.citation,
                text=lambda document: document.subject,
            )
        )
        media.register_owner_check(original_file_visibility)
