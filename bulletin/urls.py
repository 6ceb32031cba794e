from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import LatestFeed
from .sitemaps import sitemaps

app_name = "bulletin"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.IssueArchiveView.as_view(), name="archive"),
    path("issues/<int:year>/", views.IssueYearArchiveView.as_view(), name="archive-year"),
    path("issues/<int:year>/<int:month>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<int:year>/<int:month>/pdf/", views.issue_pdf, name="pdf"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", LatestFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("media/<path:path>", views.serve_media, name="media"),
]
