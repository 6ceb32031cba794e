"""The site's URLs plus a reader page whose form carries a CSRF token, for
tests/core/test_page_cache.py."""

from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path

from core.pagecache import reader_page

FORM = engines["django"].from_string(
    '<form method="post" action="/logout/">{% csrf_token %}<button>Go</button></form>'
)


def form_page(request):
    return TemplateResponse(request, FORM)


urlpatterns = [path("form/", reader_page(form_page)), path("", include("config.urls"))]
