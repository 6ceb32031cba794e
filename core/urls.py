from django.urls import path

from . import media, offline, views
from .pagecache import reader_page

app_name = "core"

urlpatterns = [
    path("search/", reader_page(views.SearchView.as_view(), params=("q", "page")), name="search"),
    path("media/<path:path>", media.serve_media, name="media"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
