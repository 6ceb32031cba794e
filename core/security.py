"""Security glue: the admin's relaxed Content-Security-Policy, the client address for axes and
the per-address limit on login attempts."""

import math
import time

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse


def _admin_prefixes():
    return ("/" + settings.ADMIN_URL, "/ckeditor5/")


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, adding CONTENT_SECURITY_POLICY_ADMIN_UPDATE under the admin only.

    The public site keeps the strict policy (no inline style or script); only the editors'
    pages, where CKEditor 5 runs, get what the editor needs.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or not request.path_info.startswith(_admin_prefixes()):
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        for directive, sources in settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE.items():
            update[directive] = [*update.get(directive, []), *sources]
        parts.update = update
        return parts


def client_ip(request):
    """The reader's address as axes should count it.

    Behind TRUSTED_PROXY_HOPS reverse proxies, each appends the address it saw to
    X-Forwarded-For, so the client is that many entries from the right; anything further left
    was written by the client and cannot be trusted. With no proxy: REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


class LoginRateLimitMiddleware:
    """At most ``LOGIN_RATE_LIMIT`` login attempts (POSTs to the site's or the admin's login
    form, whatever the account) per address in each window of ``LOGIN_RATE_WINDOW`` seconds;
    past that, a 429 page with Retry-After until the window ends.

    axes locks only the pair (account, address), so that nobody can lock out a colleague or the
    board's leader; this limit is what slows down one address trying many accounts. The counter
    lives in the shared cache, so every app server counts together.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in _login_paths():
            retry_after = _count_attempt(client_ip(request))
            if retry_after:
                response = render(
                    request,
                    "registration/rate_limited.html",
                    {"retry_after": retry_after},
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                return response
        return self.get_response(request)


def _login_paths():
    return {reverse("login"), reverse("admin:login")}


def _count_attempt(address):
    """Count one attempt from ``address``; the seconds to wait when it is one too many, else 0.

    Fixed windows keyed by their start: no read-modify-write of a timestamp, and a counter
    expires by itself."""
    window = settings.LOGIN_RATE_WINDOW
    now = time.time()
    window_start = math.floor(now / window) * window
    key = f"login-attempts:{address}:{window_start}"
    cache.add(key, 0, timeout=window * 2)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        attempts = 1
    if attempts <= settings.LOGIN_RATE_LIMIT:
        return 0
    return max(1, math.ceil(window_start + window - now))
