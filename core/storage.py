"""Where uploaded files live, and the one address pages use for them.

Pages and stored HTML name a file by its site address, ``/media/<name>``, served by
``core.media.serve_media`` after the access check, whatever the backend. A backend's own address
(a signed S3 link) is only ever made by that view, for one reader, after the check: it expires,
so it must never be written into a page that is cached or into a text that is stored.
"""

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage


def site_media_url(name):
    """The stable address of the stored file ``name``, the same on every app server."""
    return settings.MEDIA_URL + quote(name)


class PrivateS3Storage(S3Storage):
    """Private objects on S3-compatible storage. ``url()`` gives the site's address, so that
    ``photo.image.url`` in a template or an editor upload never leaks a link that works without
    the access check (or stops working after ``querystring_expire`` seconds)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return site_media_url(name)

    def signed_url(self, name, expire):
        """A link to the object itself, valid ``expire`` seconds: for the media view only."""
        return super().url(name, expire=expire)
