from django.urls import path

from . import views
from .feeds import LatestFeed

app_name = "bulletin"

urlpatterns = [
    path("", views.LandingView.as_view(), name="home"),
    # The addresses of the one-committee site: permanent redirects to the default committee's.
    path("issues/", views.LegacyRedirectView.as_view(pattern_name="bulletin:archive")),
    path(
        "issues/<int:year>/",
        views.LegacyRedirectView.as_view(pattern_name="bulletin:archive-year"),
    ),
    path(
        "issues/<int:year>/<int:month>/",
        views.LegacyRedirectView.as_view(pattern_name="bulletin:issue"),
    ),
    path(
        "issues/<int:year>/<int:month>/pdf/",
        views.LegacyRedirectView.as_view(pattern_name="bulletin:pdf"),
    ),
    path("feed/", views.LegacyRedirectView.as_view(pattern_name="bulletin:feed"), name="site-feed"),
    # Each committee's bulletin. Last in the root URLconf: a slug never shadows another page.
    path("<slug:committee>/", views.CommitteeHomeView.as_view(), name="committee"),
    path("<slug:committee>/issues/", views.IssueArchiveView.as_view(), name="archive"),
    path(
        "<slug:committee>/issues/<int:year>/",
        views.IssueYearArchiveView.as_view(),
        name="archive-year",
    ),
    path(
        "<slug:committee>/issues/<int:year>/<int:month>/",
        views.IssueDetailView.as_view(),
        name="issue",
    ),
    path("<slug:committee>/issues/<int:year>/<int:month>/pdf/", views.issue_pdf, name="pdf"),
    path("<slug:committee>/feed/", LatestFeed(), name="feed"),
]
