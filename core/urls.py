from django.urls import path

from . import media, views

app_name = "core"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("media/<path:path>", media.serve_media, name="media"),
]
