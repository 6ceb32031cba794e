"""Reading without a network: the web app manifest and the service worker, served from the
site's root so that the worker's scope is the whole site.

What the worker keeps, for whom and for how long is described in ``static/js/sw.js``; pages tell
it who is logged in through an opaque per-user cache id (``offline_cache_id``), never the user's
id or name.
"""

import functools
import json

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

THEME_COLOR = "#8b0000"  # the site's accent colour (static/css/site.css)
ICON_SIZES = (192, 512)


def offline_cache_id(user):
    """The name under which the worker keeps ``user``'s copies: stable for the account, opaque
    (an HMAC of the id and the date the account was created, with the site's secret), empty for
    visitors, so nothing is ever kept for them."""
    if not (user.is_authenticated and user.is_active):
        return ""
    value = f"{user.pk}:{user.date_joined.isoformat() if user.date_joined else ''}"
    return salted_hmac("core.offline.cache-id", value, algorithm="sha256").hexdigest()[:24]


@require_safe
def manifest(request):
    data = {
        "name": _("Bulletin for party cell meetings"),
        "short_name": _("Bulletin"),
        "description": _("The monthly bulletin of the Propaganda Board, readable offline."),
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@functools.cache
def _worker_source():
    path = finders.find("js/sw.js")
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open("js/sw.js") as handle:  # collected, without the source tree
        return handle.read()


@require_safe
def service_worker(request):
    """The worker's script. From the root, so its scope is the whole site; never cached, so a
    new release reaches readers at their next visit with a network."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    add_never_cache_headers(response)
    return response
