from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from core.views import LoginOr404Mixin, SafePaginationMixin

from .filters import DocumentFilter
from .models import Abbreviation, Document


class DocumentViewMixin:
    """Every registry view starts from the documents the current user may see."""

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).select_related("issuer")


# The registry's sortable columns (``?sort=date``, ``?sort=-date``): only these, so the query
# parameter never reaches the ORM as it was typed. The second field keeps the order stable.
SORT_COLUMNS = {
    "number": ("number", "-issued_on"),
    "date": ("issued_on", "number"),
    "subject": ("subject", "-issued_on"),
    "issuer": ("issuer__name", "-issued_on"),
}
DEFAULT_SORT = "-date"


def sort_order(value):
    """The sort key asked for if it is one of SORT_COLUMNS (with "-" for descending), else the
    default; and the ORM ordering for it."""
    key = value if value and value.lstrip("-") in SORT_COLUMNS else DEFAULT_SORT
    fields = SORT_COLUMNS[key.lstrip("-")]
    if key.startswith("-"):
        return key, [f"-{fields[0]}", *fields[1:]]
    return key, list(fields)


class DocumentListView(DocumentViewMixin, SafePaginationMixin, FilterView):
    filterset_class = DocumentFilter
    paginate_by = 50
    template_name = "documents/document_list.html"
    strict = False

    def get_queryset(self):
        self.sort, ordering = sort_order(self.request.GET.get("sort"))
        return super().get_queryset().order_by(*ordering)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each column's header links to its sort, the filters kept; the current one reverses.
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("sort", None)
        columns = []
        for key, label in (
            ("number", _("Number and symbol")),
            ("date", _("Date issued")),
            ("subject", _("Subject")),
            ("issuer", _("Issuing body")),
        ):
            current = self.sort.lstrip("-") == key
            descending = self.sort.startswith("-")
            params["sort"] = f"-{key}" if current and not descending else key
            columns.append(
                {
                    "key": key,
                    "label": label,
                    "url": "?" + params.urlencode(),
                    "sorted": ("descending" if descending else "ascending") if current else "",
                }
            )
        context["columns"] = columns
        return context

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
        context["summaries"] = summaries.select_related("issue__committee").order_by(
            "-issue__year", "-issue__month"
        )
        context["cites"] = visible.cited_by_summaries(summaries)
        context["cited_by"] = visible.citing_in_summaries(self.object, readable)
        return context


class GlossaryView(ListView):
    model = Abbreviation
    template_name = "documents/abbreviation_list.html"
