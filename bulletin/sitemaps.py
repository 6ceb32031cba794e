from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from documents.models import Document
from news.models import NewsItem

from .models import Issue


class IssueSitemap(Sitemap):
    """Public content only: what an anonymous visitor may open."""

    changefreq = "monthly"

    def items(self):
        return Issue.objects.visible_to(AnonymousUser()).order_by("-year", "-month")

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return NewsItem.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class DocumentSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Document.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"issues": IssueSitemap, "news": NewsSitemap, "documents": DocumentSitemap}
