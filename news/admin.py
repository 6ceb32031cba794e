from django.contrib import admin

from .models import NewsItem, Photo


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["position", "image", "caption", "credit"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "event_date"]
    list_filter = ["event_date", "section__issue__year"]
    search_fields = ["title", "search_text"]
    list_select_related = ["section__issue"]
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["caption", "news_item", "credit"]
    search_fields = ["caption", "credit"]
    list_select_related = ["news_item"]
