from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView

from bulletin.models import Entry
from core.views import LoginOr404Mixin, SafePaginationMixin

from .models import NewsItem, Photo


def _count_before(queryset, parent):
    """How many rows of ``queryset`` come before the outer row in (position, pk) order."""
    before = Q(position__lt=OuterRef("position")) | Q(
        position=OuterRef("position"), pk__lt=OuterRef("pk")
    )
    counted = (
        queryset.filter(before, **{parent: OuterRef(parent)})
        .order_by()
        .values(parent)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _section_before():
    before = Q(position__lt=OuterRef("section__position")) | Q(
        position=OuterRef("section__position"), pk__lt=OuterRef("section_id")
    )
    counted = (
        Entry.objects.filter(before, issue=OuterRef("section__issue"))
        .order_by()
        .values("issue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class NewsViewMixin:
    """Every news view starts from the items whose issue the current user may see, numbered
    the way the issue prints them ("5.1"): numbers come from the order, never stored."""

    def get_queryset(self):
        return (
            NewsItem.objects.visible_to(self.request.user)
            .select_related("section__issue__committee")
            .annotate(
                section_number=_section_before() + 1,
                item_number=_count_before(NewsItem.objects.all(), "section") + 1,
            )
        )


class NewsListView(NewsViewMixin, SafePaginationMixin, ListView):
    paginate_by = 20
    template_name = "news/newsitem_list.html"

    def get_queryset(self):
        # Each with its first photo that has been uploaded, for the thumbnail.
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "photos", queryset=Photo.objects.exclude(image=""), to_attr="pictured_photos"
                )
            )
            .order_by("-section__issue__year", "-section__issue__month", "position", "pk")
        )


class NewsDetailView(LoginOr404Mixin, NewsViewMixin, DetailView):
    template_name = "news/newsitem_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("photos")
