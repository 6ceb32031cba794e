from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Activity news")

    def ready(self):
        from bulletin import signals
        from core import media, pagecache, revisions, search
        from core.richtext import html_to_text

        from .models import NewsItem, Photo, photo_visibility

        revisions.register(NewsItem, follow=["photos"])
        revisions.register(Photo, versioned=False)
        # A news item is part of its issue: its changes refresh the issue's PDF and page cache.
        signals.connect_content_signals(NewsItem, Photo)
        pagecache.connect(NewsItem, Photo)
        search.register(
            search.Source(
                kind="news",
                label=_("News"),
                visible=lambda user: NewsItem.objects.visible_to(user).select_related(
                    "section__issue__committee"
                ),
                title=lambda item: item.title,
                text=lambda item: html_to_text(item.body),
                issue=lambda item: item.section.issue,
                scope=lambda items, committee: items.filter(section__issue__committee=committee),
            )
        )
        media.register_owner_check(photo_visibility)
        media.register_owner_check(
            lambda name, user: media.inserted_in_text(NewsItem.objects.visible_to, name, user)
        )
