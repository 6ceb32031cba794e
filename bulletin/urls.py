from django.urls import path

from . import views
from .feeds import LatestFeed

app_name = "bulletin"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.IssueArchiveView.as_view(), name="archive"),
    path("issues/<int:year>/", views.IssueYearArchiveView.as_view(), name="archive-year"),
    path("issues/<int:year>/<int:month>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<int:year>/<int:month>/pdf/", views.issue_pdf, name="pdf"),
    path("feed/", LatestFeed(), name="feed"),
]
