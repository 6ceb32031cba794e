from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .models import Document


class DocumentSitemap(Sitemap):
    """Registry documents an anonymous visitor may open."""

    changefreq = "yearly"

    def items(self):
        return Document.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, item):
        return item.updated_at
