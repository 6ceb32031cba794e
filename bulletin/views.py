from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from news.models import NewsItem, Photo

from .models import Entry, Issue


class IssueViewMixin:
    """Every issue view starts from the issues the current user may see."""

    def get_queryset(self):
        return Issue.objects.visible_to(self.request.user)


class HomeView(TemplateView):
    template_name = "bulletin/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issues = Issue.objects.visible_to(self.request.user)
        context["latest_issue"] = issues.order_by("-year", "-month").first()
        return context


class IssueArchiveView(IssueViewMixin, ListView):
    template_name = "bulletin/issue_archive.html"
    context_object_name = "issues"


class IssueYearArchiveView(IssueViewMixin, ListView):
    template_name = "bulletin/issue_archive_year.html"
    context_object_name = "issues"

    def get_queryset(self):
        return super().get_queryset().filter(year=self.kwargs["year"])


class IssueDetailView(IssueViewMixin, DetailView):
    template_name = "bulletin/issue_detail.html"
    context_object_name = "issue"

    def get_object(self, queryset=None):
        queryset = (queryset or self.get_queryset()).prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.select_related("document__issuer").prefetch_related(
                    "footnotes",
                    Prefetch(
                        "news_items",
                        queryset=NewsItem.objects.prefetch_related(
                            Prefetch("photos", queryset=Photo.objects.all())
                        ),
                    ),
                ),
            )
        )
        return get_object_or_404(queryset, year=self.kwargs["year"], month=self.kwargs["month"])


def issue_pdf(request, year, month):
    raise Http404("PDF export is not available yet.")
