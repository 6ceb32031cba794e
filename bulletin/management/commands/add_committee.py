"""Add a committee: ``manage.py add_committee SLUG --committee "..." --board "..."``."""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from bulletin.models import Committee


class Command(BaseCommand):
    help = (
        "Add a committee whose board publishes its own bulletin under /SLUG/. Its staff are "
        "then attached to it in the admin (Committees → the committee → Board staff)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short name in the addresses, e.g. huyen-uy-hoa-an.")
        parser.add_argument(
            "--committee", required=True, help="First line of the cover, e.g. HUYỆN ỦY HÒA AN."
        )
        parser.add_argument(
            "--board", required=True, help="Second line of the cover, e.g. BAN TUYÊN GIÁO."
        )
        parser.add_argument("--parent", metavar="SLUG", help="The higher committee, if any.")

    def handle(self, *args, slug, committee, board, parent, **options):
        parent_committee = None
        if parent:
            parent_committee = Committee.objects.filter(slug=parent).first()
            if parent_committee is None:
                raise CommandError(
                    _("There is no committee “%(slug)s” to place it under.") % {"slug": parent}
                )
        new = Committee(
            slug=slug.strip(), name=committee.strip(), board=board.strip(), parent=parent_committee
        )
        try:
            new.full_clean()
        except ValidationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        with transaction.atomic():
            new.save()
        self.stdout.write(
            self.style.SUCCESS(
                _("Added the committee %(name)s at %(url)s")
                % {"name": new, "url": new.get_absolute_url()}
            )
        )
