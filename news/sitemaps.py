from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .models import NewsItem


class NewsSitemap(Sitemap):
    """Public news only: what an anonymous visitor may open."""

    changefreq = "monthly"

    def items(self):
        return NewsItem.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, item):
        return item.updated_at
