from django.views.generic import DetailView, ListView

from .models import Abbreviation, Document


class DocumentListView(ListView):
    model = Document
    paginate_by = 50
    template_name = "documents/document_list.html"


class DocumentDetailView(DetailView):
    model = Document
    template_name = "documents/document_detail.html"


class GlossaryView(ListView):
    model = Abbreviation
    template_name = "documents/abbreviation_list.html"
