from django.urls import path

from core.pagecache import reader_page

from . import views

app_name = "documents"

urlpatterns = [
    path(
        "",
        reader_page(
            views.DocumentListView.as_view(),
            params=("page", "q", "doc_type", "issuer", "year"),
        ),
        name="list",
    ),
    path("<int:pk>/", reader_page(views.DocumentDetailView.as_view()), name="detail"),
    path("glossary/", reader_page(views.GlossaryView.as_view()), name="glossary"),
]
