"""The site's URLs plus /bench/ping, a trivial view through the same middleware: only for
bench/site_rps.py, never in the site's own URLconf."""

from django.http import HttpResponse
from django.urls import include, path


def ping(request):
    return HttpResponse("pong", content_type="text/plain")


urlpatterns = [path("bench/ping", ping), path("", include("config.urls"))]
