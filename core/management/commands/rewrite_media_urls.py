"""Rewrite the addresses of uploaded files held in stored texts to the site's stable form.

Before core/storage.py, a picture inserted in the editor was saved into the HTML under the
backend's own address: on S3 a signed link (``https://<bucket>.s3.../editor/2025/01/a.jpg?
X-Amz-...``) that stops working after a few minutes and skips the access check while it works.
This command finds, in every rich-text field of every app (found through the app registry),
the ``src``/``href`` addresses that name a file the storage holds, and writes them as
``/media/<name>``. Addresses of other sites are left alone: a file is recognised by the storage
having it, never by the look of the address. Each changed object is saved normally, so its
derived HTML, search text, cached pages and PDFs follow.
"""

import html
import re
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import BaseCommand
from django.db import transaction

from core.media import site_media_url
from core.richtext import SanitizedHTMLField

URL_ATTRIBUTE = re.compile(r'(\s(?:src|href)=")([^"]*)(")')


def stable_address(url, exists):
    """The ``/media/<name>`` form of ``url`` when it names a stored file, else None."""
    parts = urlsplit(html.unescape(url))
    local = not parts.scheme and not parts.netloc
    if local and (not parts.path.startswith(settings.MEDIA_URL) or not parts.query):
        return None  # a page of the site, or already stable
    segments = unquote(parts.path).strip("/").split("/")
    # The stored name is a tail of the path: the whole path when the bucket is in the host name,
    # without the first segment(s) for a path-style address or a storage location prefix.
    # Stored names always sit in a folder (editor/, photos/, pdf/...).
    for start in range(len(segments) - 1):
        name = "/".join(segments[start:])
        if exists(name):
            return site_media_url(name)
    return None


def rewrite(text, exists):
    def replace(match):
        stable = stable_address(match.group(2), exists)
        return match.group(0) if stable is None else match.group(1) + stable + match.group(3)

    return URL_ATTRIBUTE.sub(replace, text or "")


class Command(BaseCommand):
    help = "Write the addresses of uploaded files in stored texts as /media/<name>."

    def handle(self, *args, **options):
        known = {}

        def exists(name):
            if name not in known:
                known[name] = default_storage.exists(name)
            return known[name]

        changed = 0
        for model in apps.get_models():
            fields = [f.attname for f in model._meta.fields if isinstance(f, SanitizedHTMLField)]
            for obj in model._default_manager.iterator() if fields else ():
                updated = {name: rewrite(getattr(obj, name), exists) for name in fields}
                if any(updated[name] != getattr(obj, name) for name in fields):
                    for name, value in updated.items():
                        setattr(obj, name, value)
                    with transaction.atomic():
                        obj.save()
                    changed += 1
        self.stdout.write(f"{changed} texts rewritten.")
