from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .models import Issue


class IssueSitemap(Sitemap):
    """Public issues only: what an anonymous visitor may open."""

    changefreq = "monthly"

    def items(self):
        return (
            Issue.objects.visible_to(AnonymousUser())
            .select_related("committee")
            .order_by("-year", "-month")
        )

    def lastmod(self, item):
        return item.updated_at
