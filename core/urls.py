from django.urls import path

from . import media, offline, views

app_name = "core"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("media/<path:path>", media.serve_media, name="media"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
