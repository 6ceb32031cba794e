"""Smaller copies of a news photo for slow networks: the sizes a phone, a tablet and a desktop
need, in WebP and in JPEG for browsers without WebP.

Made once when the photo's image changes (``Photo.save``), stored through the storage API next
to the original (``photos/2024/06/anh.jpg`` → ``photos/2024/06/anh.480w.webp``), and listed on
the photo, so the page never opens an image to write its ``srcset``.
"""

import io
import logging
import re
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
# Pillow format, file extension, MIME type, encoder options. Qualities chosen for photos of
# meetings read on a phone: no visible loss at these sizes, a third of the original's bytes.
FORMATS = {
    "webp": ("WEBP", "image/webp", {"quality": 75, "method": 4}),
    "jpg": ("JPEG", "image/jpeg", {"quality": 80, "optimize": True, "progressive": True}),
}
# The width the page's <img src> points at, for browsers that ignore srcset, and the copy a
# reader gets offline: legible on a phone, light enough for a weak connection.
FALLBACK_WIDTH = 960

_NAME_RE = re.compile(r"^(?P<stem>.+)\.(?P<width>\d+)w\.(?P<ext>webp|jpg)$")


def rendition_name(original, width, ext):
    path = PurePosixPath(original)
    return str(path.with_name(f"{path.stem}.{width}w.{ext}"))


def original_stem(name):
    """The original's name without its extension for a rendition's ``name``, else None."""
    match = _NAME_RE.match(name)
    return match.group("stem") if match else None


def target_widths(width):
    """The widths to make for an image ``width`` pixels wide: each standard width it exceeds,
    and its own width when it falls between two, so no copy is ever enlarged."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def make_renditions(field_file):
    """Write the renditions of ``field_file`` (a stored FieldFile) and return their list:
    ``[{"name", "width", "height", "ext"}]``, smallest first. An image Pillow cannot read gives
    an empty list (the page then shows the original), never an error for the editor."""
    storage = field_file.storage
    try:
        with storage.open(field_file.name, "rb") as source, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            # Uploads are checked and reduced (core/images.py), but a file put in place by
            # other means must not make the save decode an unbounded image.
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise ValueError(f"{image.width} × {image.height} pixels")
            image = ImageOps.exif_transpose(image)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        logger.warning("No renditions for %s: %s", field_file.name, error)
        return []
    image = image.convert("RGB")
    made = []
    for width in target_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for ext, (kind, _mime, options) in FORMATS.items():
            buffer = io.BytesIO()
            resized.save(buffer, kind, **options)
            name = rendition_name(field_file.name, width, ext)
            if storage.exists(name):
                storage.delete(name)
            name = storage.save(name, ContentFile(buffer.getvalue()))
            made.append({"name": name, "width": width, "height": height, "ext": ext})
    return made


def srcset(renditions, ext, url):
    """The ``srcset`` value of the renditions in format ``ext``; ``url`` maps a name to a URL."""
    return ", ".join(f"{url(r['name'])} {r['width']}w" for r in renditions if r["ext"] == ext)


def fallback(renditions):
    """The JPEG rendition for ``<img src>``: the widest not above FALLBACK_WIDTH, else the
    narrowest. None when there are none."""
    jpegs = [r for r in renditions if r["ext"] == "jpg"]
    if not jpegs:
        return None
    fitting = [r for r in jpegs if r["width"] <= FALLBACK_WIDTH]
    return fitting[-1] if fitting else jpegs[0]
