from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bulletin.admin import EntryAdmin
from bulletin.admin_committees import CommitteeScopedAdminMixin
from core.admin import ReadableBodyMixin, RevisionAdmin
from core.editing import (
    FrozenContentAdminMixin,
    FrozenInlineMixin,
    VersionCheckAdminMixin,
    VersionedModelForm,
)
from core.images import CheckedImageField

from .models import NewsItem, Photo


class PhotoForm(VersionedModelForm):
    """Every uploaded photo is checked by its content and reduced before it is stored."""

    class Meta:
        field_classes = {"image": CheckedImageField}


class PhotoInline(
    CommitteeScopedAdminMixin,
    SortableInlineAdminMixin,
    FrozenInlineMixin,
    VersionCheckAdminMixin,
    admin.TabularInline,
):
    """Photos in their order, moved by dragging; the position field is hidden."""

    model = Photo
    issue_path = "news_item__section__issue"
    form = PhotoForm
    extra = 0
    fields = ["position", "image", "caption", "credit", "image_state"]
    readonly_fields = ["image_state"]
    ordering = ["position", "pk"]

    @admin.display(description=_("image"))
    def image_state(self, obj):
        return _("needs a photo") if obj.pk and obj.needs_image else "✓" if obj.pk else ""


class NewsItemInline(
    SortableInlineAdminMixin, FrozenInlineMixin, VersionCheckAdminMixin, admin.TabularInline
):
    """The news items of a news section, in their order, moved by dragging; each is edited on
    its own page (text and photos)."""

    model = NewsItem
    entry_kind = "news"
    extra = 0
    fields = ["position", "title", "event_date"]
    ordering = ["position", "pk"]
    show_change_link = True


# The entry page of a news section lists its news items (bulletin.admin.EntryAdmin.get_inlines).
EntryAdmin.inlines = [*EntryAdmin.inlines, NewsItemInline]


@admin.register(NewsItem)
class NewsItemAdmin(
    CommitteeScopedAdminMixin,
    SortableAdminBase,
    ReadableBodyMixin,
    FrozenContentAdminMixin,
    VersionCheckAdminMixin,
    RevisionAdmin,
):
    issue_path = "section__issue"
    list_display = ["title", "section", "event_date", "photo_count", "photos_needed"]
    list_filter = ["event_date", "section__issue__year"]
    search_fields = ["title", "search_text"]
    list_select_related = ["section__issue"]
    fieldsets = [
        (None, {"fields": ["section", "position", "title", "event_date"]}),
        (
            _("Body text"),
            {
                "fields": ["body"],
                "description": _("Photos go below, each with its caption."),
            },
        ),
    ]
    inlines = [PhotoInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                photo_total=Count("photos", distinct=True),
                photos_missing=Count("photos", filter=Q(photos__image=""), distinct=True),
            )
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Photos are saved after the item: captions added now get their slot in the text.
        form.instance.reconcile_photo_slots()

    @admin.display(description=_("photos"), ordering="photo_total")
    def photo_count(self, obj):
        return obj.photo_total

    @admin.display(description=_("needs a photo"), ordering="photos_missing")
    def photos_needed(self, obj):
        return obj.photos_missing or ""


@admin.register(Photo)
class PhotoAdmin(
    CommitteeScopedAdminMixin, FrozenContentAdminMixin, VersionCheckAdminMixin, admin.ModelAdmin
):
    form = PhotoForm
    issue_path = "news_item__section__issue"
    list_display = ["caption_short", "news_item_short", "credit", "has_image"]
    search_fields = ["caption", "credit"]
    list_select_related = ["news_item"]

    @admin.display(description=_("caption"), ordering="caption")
    def caption_short(self, obj):
        return Truncator(obj.caption).chars(120)

    @admin.display(description=_("news item"), ordering="news_item")
    def news_item_short(self, obj):
        return Truncator(obj.news_item.title).chars(90)

    @admin.display(description=_("image"), boolean=True)
    def has_image(self, obj):
        return not obj.needs_image
