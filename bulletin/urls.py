from django.urls import path

from core.pagecache import reader_page

from . import views
from .feeds import LatestFeed

app_name = "bulletin"

urlpatterns = [
    path("", reader_page(views.LandingView.as_view()), name="home"),
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
    path("<slug:committee>/", reader_page(views.CommitteeHomeView.as_view()), name="committee"),
    path("<slug:committee>/issues/", reader_page(views.IssueArchiveView.as_view()), name="archive"),
    path(
        "<slug:committee>/issues/<int:year>/",
        reader_page(views.IssueYearArchiveView.as_view()),
        name="archive-year",
    ),
    path(
        "<slug:committee>/issues/<int:year>/<int:month>/",
        reader_page(views.IssueDetailView.as_view(), on_serve=views.issue_read),
        name="issue",
    ),
    path("<slug:committee>/issues/<int:year>/<int:month>/pdf/", views.issue_pdf, name="pdf"),
    path("<slug:committee>/feed/", reader_page(LatestFeed()), name="feed"),
]
