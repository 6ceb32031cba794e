"""Uploaded files, served only to those who may see what they belong to.

Files belong to content of several apps (a news photo, a registry document's original, a picture
inserted in a text). Each app registers an owner check in its ``AppConfig.ready``; this module
knows none of them.
"""

import mimetypes
import posixpath

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from .views import login_or_404

# Each check takes (name, user) and answers True (it owns the file and the user may see it),
# False (it owns the file and the user may not) or None (not its file).
OWNER_CHECKS = []


def register_owner_check(check):
    OWNER_CHECKS.append(check)


def inserted_in_text(queryset_for, name, user):
    """Whether a text ``user`` may see shows the picture ``name`` (inserted in the editor);
    None when none does, so that other owners decide."""
    url = settings.MEDIA_URL + name
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
    """With ``settings.MEDIA_ACCEL_REDIRECT`` set to an internal location such as
    "/protected-media/", the web server sends the file (X-Accel-Redirect, nginx); set to
    "x-sendfile", Apache's X-Sendfile header is used. Otherwise Django streams it."""
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or "\x00" in name or name in ("", "."):
        raise Http404(_("No such file."))
    full_path = settings.MEDIA_ROOT / name
    # A hidden file and a missing one get the same answer (see core.views.login_or_404).
    if not may_see(name, request.user) or not full_path.is_file():
        return login_or_404(request)
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "")
        if accel == "x-sendfile":
            response["X-Sendfile"] = str(full_path)
        else:
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        response = FileResponse(full_path.open("rb"))
    patch_cache_control(response, private=True, max_age=3600)
    return response
