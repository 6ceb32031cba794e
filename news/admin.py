from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

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
    CommitteeScopedAdminMixin, FrozenInlineMixin, VersionCheckAdminMixin, admin.TabularInline
):
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


@admin.register(NewsItem)
class NewsItemAdmin(
    CommitteeScopedAdminMixin,
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
    list_display = ["caption", "news_item", "credit", "has_image"]
    search_fields = ["caption", "credit"]
    list_select_related = ["news_item"]

    @admin.display(description=_("image"), boolean=True)
    def has_image(self, obj):
        return not obj.needs_image
