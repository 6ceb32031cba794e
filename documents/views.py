from django.http import Http404
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from core.views import SafePaginationMixin, login_or_404

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


class DocumentDetailView(DocumentViewMixin, DetailView):
    template_name = "documents/document_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if Document.objects.filter(pk=kwargs["pk"]).exists():
                return login_or_404(request)
            raise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = self.get_queryset()
        # The issues' entries reach the registry only through the reverse relation.
        context["summaries"] = (
            self.object.entries.visible_to(user)
            .select_related("issue__committee")
            .order_by("-issue__year", "-issue__month")
        )
        context["cites"] = visible.filter(cited_by=self.object)
        context["cited_by"] = visible.filter(cites=self.object)
        return context


class GlossaryView(ListView):
    model = Abbreviation
    template_name = "documents/abbreviation_list.html"
