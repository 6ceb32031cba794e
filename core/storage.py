"""Object storage (STORAGE_BACKEND=s3), loaded only by that setting: it needs the ``s3`` extra
(django-storages with boto3), which a server keeping its files on disk does not install.

Pages and stored HTML name a file by its site address (``core.media.site_media_url``), served by
``core.media.serve_media`` after the access check, whatever the backend. A backend's own address
(a signed S3 link) is only ever made by that view, for one reader, after the check: it expires,
so it must never be written into a page that is cached or into a text that is stored.
"""

from storages.backends.s3 import S3Storage

from .media import site_media_url


class PrivateS3Storage(S3Storage):
    """Private objects on S3-compatible storage. ``url()`` gives the site's address, so that
    ``photo.image.url`` in a template or an editor upload never leaks a link that works without
    the access check (or stops working after ``querystring_expire`` seconds)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return site_media_url(name)

    def signed_url(self, name, expire):
        """A link to the object itself, valid ``expire`` seconds: for the media view only."""
        return super().url(name, expire=expire)
