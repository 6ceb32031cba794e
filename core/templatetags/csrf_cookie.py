from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def csrf_field_from_cookie():
    """The CSRF field of a form on pages many readers share (the header's logout button): filled
    in the browser from the reader's CSRF cookie by static/js/csrf-cookie.js, as Django's docs
    do for scripts, so the page itself holds no one's token.

    ``{% csrf_token %}`` put a masked token in every member's page: making it, and renewing the
    cookie it comes with, was a fifth of the time of a member's page served from the cache
    (README "Benchmarks"). The field has no ``value`` attribute, so core/pagecache.py never
    takes it for a token to personalise. Without the script or the cookie the form is sent
    without a token and members/views.csrf_failure answers with the page that asks again."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" data-csrf-cookie="{}">',
        settings.CSRF_COOKIE_NAME,
    )
