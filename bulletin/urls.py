from django.urls import path

from core.pagecache import reader_page

from . import views
from .feeds import LatestFeed

app_name = "bulletin"

urlpatterns = [
    path("", reader_page(views.HomeView.as_view()), name="home"),
    path("issues/", reader_page(views.IssueArchiveView.as_view()), name="archive"),
    path(
        "issues/<int:year>/",
        reader_page(views.IssueYearArchiveView.as_view()),
        name="archive-year",
    ),
    path(
        "issues/<int:year>/<int:month>/",
        reader_page(views.IssueDetailView.as_view(), on_serve=views.issue_read),
        name="issue",
    ),
    path("issues/<int:year>/<int:month>/pdf/", views.issue_pdf, name="pdf"),
    path("feed/", reader_page(LatestFeed()), name="feed"),
]
