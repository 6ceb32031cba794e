"""Liveness of the site: /healthz for the container probe, and a friendly page when the
database is down instead of a traceback or a bare error."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# The errors a lost or refused database connection raises; a bad query is a bug, not an outage.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@never_cache
@require_safe
def healthz(request):
    """200 {"status": "ok"} when the database answers a trivial query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # Django closes the broken connection when the request finishes, so the next probe
        # connects afresh.
        logger.error("health check failed: database unavailable: %s", error)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def unavailable_response():
    """The 503 page. Its template uses no context processor and no query."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseDeadlineMiddleware:
    """First of all middleware: during a request, every query of a database whose backend
    supports it (``core.postgresql``) gives up after ``DATABASE_ANSWER_TIMEOUT`` seconds, so a
    frozen server gives the 503 page within seconds instead of a request that never ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limited = [
            c for c in connections.all(initialized_only=False) if hasattr(c, "query_deadline")
        ]
        for each in limited:
            each.query_deadline = settings.DATABASE_ANSWER_TIMEOUT
        try:
            return self.get_response(request)
        finally:
            for each in limited:
                each.query_deadline = None


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with the friendly page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return unavailable_response()
        return None


def server_error(request):
    """handler500: the 503 page for a database outage met outside a view (a middleware),
    otherwise Django's 500 page. Neither touches the database."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return unavailable_response()
    return HttpResponseServerError(loader.render_to_string("500.html"))
