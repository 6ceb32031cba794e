"""Committees' short names in URLs: which slugs are free, and which committee is the default.

Each committee's bulletin lives under ``/<slug>/``, next to the site's other top-level paths, so a
slug must never be one of them. The taken names are read from the root URLconf itself (its
literal first segments), plus a few that are not patterns of their own (the admin may move with
``ADMIN_URL``, the static files are served by WhiteNoise before any URLconf).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _

# Paths that exist outside the URLconf or may come to exist; always refused.
ALWAYS_RESERVED = {
    "admin",
    "accounts",
    "api",
    "documents",
    "feed",
    "healthz",
    "issues",
    "login",
    "logout",
    "manifest",
    "manifest.webmanifest",
    "media",
    "news",
    "password_change",
    "password_reset",
    "protected-media",
    "reset",
    "search",
    "sitemap.xml",
    "static",
    "sw.js",
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A literal prefix of a route, up to its first converter or slash.
_LITERAL_PREFIX_RE = re.compile(r"^\^?([\w.-]+)")


def default_slug():
    return settings.BULLETIN_COMMITTEE_SLUG


def _top_level_segments(patterns):
    """The literal first path segments of ``patterns``, descending into includes mounted at the
    root (``path("", include(...))``)."""
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if route in ("", "^") and isinstance(pattern, URLResolver):
            segments |= _top_level_segments(pattern.url_patterns)
            continue
        if isinstance(pattern, (URLPattern, URLResolver)) and not route.startswith("<"):
            match = _LITERAL_PREFIX_RE.match(route)
            if match:
                segments.add(match.group(1).lower())
    return segments


def reserved_slugs():
    """Every slug a committee may not take, because a path of the site already starts with it."""
    reserved = set(ALWAYS_RESERVED)
    reserved.add(settings.ADMIN_URL.strip("/").split("/")[0].lower())
    reserved |= _top_level_segments(get_resolver().url_patterns)
    return reserved


def validate_committee_slug(value):
    """Lower-case letters, digits and single hyphens, and no name the site already uses."""
    if not SLUG_RE.match(value or ""):
        raise ValidationError(
            _(
                "Use only lower-case letters without accents, digits and single hyphens, e.g. "
                "“huyen-uy-hoa-an”."
            ),
            code="invalid",
        )
    if value in reserved_slugs():
        raise ValidationError(
            _("“%(slug)s” is already a page of the site; choose another short name."),
            params={"slug": value},
            code="reserved",
        )
