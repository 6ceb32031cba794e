import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.search import MAX_QUERY_LENGTH, matching_documents

from .models import Document, DocumentType, Issuer


class DocumentFilter(django_filters.FilterSet):
    """The registry's filters. Bad values are reported on the form and ignored, never a 500."""

    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Words of the number or subject, with or without diacritics."),
    )
    doc_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=DocumentType.choices, empty_label=_("All types")
    )
    issuer = django_filters.ModelChoiceFilter(
        label=_("Issuing body"), queryset=Issuer.objects.all(), empty_label=_("All bodies")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )

    class Meta:
        model = Document
        fields = ["q", "doc_type", "issuer", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = self.queryset.dates("issued_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), d.year) for d in years]
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def filter_year(self, queryset, name, value):
        return queryset.filter(issued_on__year=int(value))

    def filter_text(self, queryset, name, value):
        return matching_documents(queryset, value)
