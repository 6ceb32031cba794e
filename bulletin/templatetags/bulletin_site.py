from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bulletin.models import Issue
from bulletin.photos import place_photos

register = template.Library()


@register.simple_tag
def news_body(item):
    """A news item's body with each photo where its caption stands in the text, as the printed
    issue has it (see ``bulletin.photos``); without that the page showed each caption twice."""

    def figure(photo):
        return render_to_string("includes/_photo.html", {"photo": photo}).strip()

    return mark_safe(place_photos(item.body_html, item.photos.all(), figure))


@register.inclusion_tag("includes/_members_only.html", takes_context=True)
def members_only_notice(context, what="issues"):
    """ "N issues are for party members: log in to read them", where a visitor would otherwise
    be told there is nothing. ``what`` says what the page lists (issues, news, documents,
    search)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = Issue.objects.withheld_from(user).count() if user is not None else 0
    return {"count": count, "what": what, "next": request.get_full_path() if request else "/"}


@register.simple_tag(takes_context=True)
def withheld_issue_count(context):
    """How many published issues the current visitor may not read (see members_only_notice)."""
    request = context.get("request")
    return Issue.objects.withheld_from(request.user).count() if request is not None else 0
