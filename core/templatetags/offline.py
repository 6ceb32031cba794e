from django import template

from core.offline import offline_cache_id as cache_id_for

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_cache_id(context):
    """The current reader's opaque cache id for the service worker, "" for visitors."""
    request = context.get("request")
    return cache_id_for(request.user) if request is not None else ""
