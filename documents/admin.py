from django.contrib import admin

from core.admin import RevisionAdmin
from core.editing import VersionCheckAdminMixin

from .models import Abbreviation, Document, Issuer


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Document)
class DocumentAdmin(VersionCheckAdminMixin, RevisionAdmin):
    list_display = ["number", "doc_type", "issued_on", "issuer", "subject"]
    list_filter = ["doc_type", "issuer", "issued_on"]
    search_fields = ["number", "subject", "search_text"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["issuer"]


@admin.register(Abbreviation)
class AbbreviationAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "meaning"]
    search_fields = ["abbreviation", "meaning"]
