"""Where a news item's photos go in its text, for the site and the PDF alike.

Imported issues keep each photo's caption in the body, as ``<p class="caption-pending">``, where
the printed issue has the photo; editors see there where the photos go. Both the issue page and
the PDF put each photo in place of its caption, and the photos whose caption is not in the text
after it, so no caption is shown twice and no photo is lost.
"""

import re

from core.richtext import html_to_text

_CAPTION_RE = re.compile(r'<p class="caption-pending">(.*?)</p>', re.S)


def caption_key(text):
    """A caption as compared with its photo: tags, entities, spacing and case left out."""
    return html_to_text(text).casefold()


def place_photos(body_html, photos, figure):
    """``body_html`` with ``figure(photo)`` (HTML) in place of each photo's caption, and the
    figures of the photos whose caption is not in the text after it, in their order."""
    remaining = list(photos)

    def replace(match):
        key = caption_key(match.group(1))
        for index, photo in enumerate(remaining):
            if caption_key(photo.caption) == key:
                return figure(remaining.pop(index))
        return match.group(0)

    html = _CAPTION_RE.sub(replace, body_html)
    return html + "".join(figure(photo) for photo in remaining)
