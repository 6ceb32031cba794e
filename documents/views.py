from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from core.views import LoginOr404Mixin, SafePaginationMixin

from .filters import DocumentFilter
from .models import Abbreviation, Document


class DocumentViewMixin:
    """Every registry view starts from the documents the current user may see."""

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).select_related("issuer")


class DocumentListView(DocumentViewMixin, SafePaginationMixin, FilterView):
    filterset_class = DocumentFilter
    paginate_by = 50
    template_name = "documents/document_list.html"
    strict = False

    def render_to_response(self, context, **kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)


class DocumentDetailView(LoginOr404Mixin, DocumentViewMixin, DetailView):
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = self.get_queryset()
        # The issues' entries reach the registry only through the reverse relation.
        # Every entry this user may read, reached through the reverse relation: the summaries of
        # this document, and those whose text cites it. A members-only summary's citations are
        # not listed to anonymous visitors.
        readable = self.object.entries.model.objects.visible_to(user)
        summaries = readable.filter(document=self.object)
        context["summaries"] = summaries.select_related("issue").order_by(
            "-issue__year", "-issue__month"
        )
        context["cites"] = visible.cited_by_summaries(summaries)
        context["cited_by"] = visible.citing_in_summaries(self.object, readable)
        return context


class GlossaryView(ListView):
    model = Abbreviation
    template_name = "documents/abbreviation_list.html"
