"""Uploaded files, served only to those who may see what they belong to.

Files belong to content of several apps (a news photo, a registry document's original, a picture
inserted in a text). Each app registers an owner check in its ``AppConfig.ready``; this module
knows none of them.
"""

import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _

from .views import login_or_404

# Each check takes (name, user) and answers True (it owns the file and the user may see it),
# False (it owns the file and the user may not) or None (not its file).
OWNER_CHECKS = []


def site_media_url(name):
    """The stable address of the stored file ``name``, the same on every app server and with
    every storage backend (core/storage.py makes S3's ``url()`` give it too)."""
    return settings.MEDIA_URL + quote(name)


def register_owner_check(check):
    OWNER_CHECKS.append(check)


def inserted_in_text(queryset_for, name, user):
    """Whether a text ``user`` may see shows the picture ``name`` (inserted in the editor);
    None when none does, so that other owners decide."""
    url = site_media_url(name)
    return True if queryset_for(user).filter(body__contains=url).exists() else None


def may_see(name, user):
    answers = [check(name, user) for check in OWNER_CHECKS]
    if True in answers:
        return True
    if False in answers:
        return False
    # A file nothing claims (an upload not yet saved in a text): only for staff.
    return user.is_authenticated and user.is_staff


def serve_media(request, path):
    """Send a stored file to a reader who may see it, from whatever storage holds it.

    Local storage: with ``settings.MEDIA_ACCEL_REDIRECT`` set to an internal location such as
    "/protected-media/", the web server sends the file (X-Accel-Redirect, nginx); set to
    "x-sendfile", Apache's X-Sendfile header is used; otherwise Django streams it. Object storage
    that signs links (core.storage.PrivateS3Storage): a redirect to a link valid a short time,
    made only now, after the check, for this reader."""
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or "\x00" in name or name in ("", "."):
        raise Http404(_("No such file."))
    # A hidden file and a missing one get the same answer (see core.views.login_or_404).
    if not may_see(name, request.user) or not default_storage.exists(name):
        return login_or_404(request)
    signed_url = getattr(default_storage, "signed_url", None)
    if signed_url is not None:
        response = HttpResponseRedirect(signed_url(name, expire=default_storage.querystring_expire))
        # The link expires: a browser or proxy must never keep the redirect longer than it.
        add_never_cache_headers(response)
        return response
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "")
        if accel == "x-sendfile":
            response["X-Sendfile"] = default_storage.path(name)
        else:
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"))
    patch_cache_control(response, private=True, max_age=3600)
    return response
