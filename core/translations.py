"""Strings of Django that its Vietnamese catalog lacks, or holds only in the singular while the
templates ask for a plural form: named here so that makemessages keeps them in ours."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_ADMIN_STRINGS = [
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("Error:"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Skip to main content"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("View selected %(model)s"),
]

# Django's validator message for a query holding a NUL byte ("?q=%00"), which its Vietnamese
# catalog leaves untranslated: the search and the registry showed it in English.
DJANGO_FORM_STRINGS = [gettext_noop("Null characters are not allowed.")]
