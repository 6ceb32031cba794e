"""Security glue: the admin's relaxed Content-Security-Policy and the client address for axes."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings


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
