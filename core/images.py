"""Images that editors upload: checked by their content, reduced to a sensible size, re-encoded.

Used by the CKEditor upload view below and by the photo field of news items. Every accepted image
is decoded completely and written out again, so a file that only claims to be an image, a damaged
file or a picture with something else appended never reaches the storage as it was sent.
"""

import datetime
import io
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .media import site_media_url

# Pillow format name -> file extension. SVG is never accepted: it can carry script.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
UPLOAD_PERMISSIONS = ("bulletin.change_entry", "news.change_newsitem", "documents.change_document")


def _refuse(message, code):
    raise ValidationError(message, code=code)


def open_image(upload):
    """Open and fully decode ``upload`` (a Django file); raise ValidationError with a message."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        _refuse(
            _("The file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "too_large",
        )
    upload.seek(0)
    head = upload.read(1024).lstrip().lower()
    upload.seek(0)
    if head.startswith((b"<", b"\xef\xbb\xbf<")) or b"<svg" in head:
        _refuse(_("SVG and other text files are not accepted; use JPEG, PNG, GIF or WebP."), "svg")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            kind = image.format
            if kind not in FORMATS:
                _refuse(
                    _("This kind of image is not accepted; use JPEG, PNG, GIF or WebP."), "format"
                )
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                _refuse(
                    _("The image is %(width)s × %(height)s pixels, too large to process.")
                    % {"width": width, "height": height},
                    "too_many_pixels",
                )
            _load_strictly(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(_("The image has too many pixels to be processed safely."), "bomb")
        except UnidentifiedImageError:
            _refuse(_("This file is not an image (JPEG, PNG, GIF or WebP)."), "not_image")
        except (OSError, SyntaxError, ValueError, EOFError):
            _refuse(
                _("The image file is damaged or incomplete; save it again and retry."),
                "broken",
            )
    image.format_name = kind
    return image


def _load_strictly(image):
    """Decode every pixel, refusing a truncated file even though WeasyPrint, once imported, tells
    Pillow to accept them (``ImageFile.LOAD_TRUNCATED_IMAGES``) for the whole process."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def resize_image(image, max_side=None):
    """``image`` (a PIL image) upright and at most ``max_side`` pixels on its long side."""
    max_side = max_side or settings.IMAGE_MAX_SIDE
    image = ImageOps.exif_transpose(image)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def encode_image(image, kind):
    """The bytes of ``image`` written as ``kind`` (a key of FORMATS), without metadata."""
    buffer = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True)
    elif kind == "WEBP":
        image.save(buffer, "WEBP", quality=88)
    elif kind == "GIF":
        image.save(buffer, "GIF")
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def clean_image(upload):
    """Check, resize and re-encode an uploaded image; the result is a ContentFile with a name
    whose extension matches its content."""
    image = open_image(upload)
    kind = image.format_name
    content = encode_image(resize_image(image), kind)
    stem = slugify(PurePath(getattr(upload, "name", "") or "").stem)[:80] or "image"
    return ContentFile(content, name=f"{stem}.{FORMATS[kind]}")


# Apps narrow who may upload further (the bulletin: staff who work for some committee); each
# check takes the user and answers True or False.
UPLOADER_CHECKS = []


def register_uploader_check(check):
    UPLOADER_CHECKS.append(check)


@require_POST
def upload_view(request):
    """CKEditor 5's image upload: staff who edit content only, every image checked."""
    user = request.user
    if not (
        user.is_active
        and user.is_staff
        and any(map(user.has_perm, UPLOAD_PERMISSIONS))
        and all(check(user) for check in UPLOADER_CHECKS)
    ):
        return JsonResponse(
            {"error": {"message": _("You do not have permission to upload images.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("No file was sent.")}}, status=400)
    try:
        content = clean_image(upload)
    except ValidationError as refusal:
        return JsonResponse({"error": {"message": " ".join(refusal.messages)}}, status=400)
    name = default_storage.save(f"editor/{datetime.date.today():%Y/%m}/{content.name}", content)
    # The site's address, not the backend's: it goes into the stored HTML, and a signed S3 link
    # would stop working minutes later (and would skip the access check while it works).
    return JsonResponse({"url": site_media_url(name)})


class CheckedImageField(forms.ImageField):
    """A form field for photos: our checks instead of Django's, and the reduced copy is saved."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_image(upload)
