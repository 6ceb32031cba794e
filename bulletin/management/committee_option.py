"""The ``--committee SLUG`` option that several management commands take."""

from django.core.management import CommandError
from django.utils.translation import gettext as _

from bulletin.models import Committee


def committee_named(slug):
    """The committee whose slug an operator typed, or a message saying how to make it."""
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None:
        raise CommandError(
            _("There is no committee “%(slug)s”; see manage.py add_committee.") % {"slug": slug}
        )
    return committee
