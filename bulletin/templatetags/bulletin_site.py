import html
import re

from django import template
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION_RE = re.compile(r'<p class="caption-pending">(.*?)</p>', re.S)


def _caption_key(text):
    return " ".join(html.unescape(strip_tags(text)).split()).casefold()


@register.simple_tag
def news_body(item):
    """A news item's body with each photo where its caption stands in the text, as the printed
    issue has it. Imported issues keep the captions in the body (``<p class="caption-pending">``)
    so that editors see where the photos go; the page showed each caption twice, once there and
    once again under the photos appended after the text."""
    remaining = list(item.photos.all())

    def figure(photo):
        return render_to_string("includes/_photo.html", {"photo": photo}).strip()

    def replace(match):
        key = _caption_key(match.group(1))
        for index, photo in enumerate(remaining):
            if _caption_key(photo.caption) == key:
                return figure(remaining.pop(index))
        return match.group(0)

    body = _CAPTION_RE.sub(replace, item.body_html)
    return mark_safe(body + "".join(figure(photo) for photo in remaining))
