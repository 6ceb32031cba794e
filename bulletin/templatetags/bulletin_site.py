from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bulletin.photos import place_photos

register = template.Library()


@register.simple_tag
def news_body(item):
    """A news item's body with each photo where its caption stands in the text, as the printed
    issue has it (see ``bulletin.photos``); without that the page showed each caption twice."""

    def figure(photo):
        return render_to_string("includes/_photo.html", {"photo": photo}).strip()

    return mark_safe(place_photos(item.body_html, item.photos.all(), figure))
