from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Download, Entry, Footnote, Issue, Rendition, Transition


class EntryInline(admin.StackedInline):
    model = Entry
    extra = 0
    fields = ["position", "kind", "title", "document", "body"]
    autocomplete_fields = ["document"]
    show_change_link = True


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "month", "year", "status", "visibility", "updated_at"]
    list_filter = ["status", "year", "visibility"]
    search_fields = ["title", "entries__title"]
    readonly_fields = [
        "status",
        "published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["month", "year", "number", "visibility"]}),
        (
            _("Cover"),
            {
                "fields": ["committee", "board", "title"],
                "description": _("The lines printed on the cover."),
            },
        ),
        (
            _("Audit"),
            {"fields": readonly_fields, "classes": ["collapse"]},
        ),
    ]
    inlines = [EntryInline, TransitionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class FootnoteInline(admin.TabularInline):
    model = Footnote
    extra = 0


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "position", "kind"]
    list_filter = ["kind", "issue__year"]
    search_fields = ["title", "search_text"]
    list_select_related = ["issue"]
    autocomplete_fields = ["document"]
    inlines = [FootnoteInline]


@admin.register(Footnote)
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "entry", "position"]
    search_fields = ["text"]
    list_select_related = ["entry"]


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["issue", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["issue", "paper", "rendered_at", "failed_at"]
    list_filter = ["paper"]
    search_fields = ["issue__title", "error"]


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    list_display = ["issue", "user", "at", "paper", "booklet"]
    list_filter = ["paper", "booklet", "at"]
    search_fields = ["user__username", "user__email"]
