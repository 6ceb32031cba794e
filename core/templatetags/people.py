from django import template

from core.people import display_name as name_of

register = template.Library()


@register.filter
def display_name(user):
    """``{{ user|display_name }}``: the person's full name (``core.people``)."""
    return name_of(user)
