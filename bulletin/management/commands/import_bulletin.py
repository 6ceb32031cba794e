"""Import a printed issue from the command line: ``manage.py import_bulletin PATH``."""

from django.core.management import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from bulletin.importer import BulletinImportError, read_file


class Command(BaseCommand):
    help = (
        "Import a printed issue (.txt, .md, .docx or .pdf) as a draft issue. The month and year "
        "come from the cover; give them with --month and --year when the cover does not print "
        "them."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import.")
        parser.add_argument("--month", type=int, help="The month of the issue (1-12).")
        parser.add_argument("--year", type=int, help="The year of the issue.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the publisher's issue of that month, if any, and import anew.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read the file and report what would be imported, without writing anything.",
        )

    def handle(self, *args, path, month, year, replace, dry_run, **options):
        try:
            result = read_file(path, month=month, year=year, replace=replace, dry_run=dry_run)
        except BulletinImportError as exc:
            raise CommandError(str(exc)) from exc
        issue = result.issue
        if dry_run:
            self.stdout.write(_("Dry run, nothing was written: %(issue)s") % {"issue": issue})
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported draft issue %(pk)d: %(issue)s") % {"pk": issue.pk, "issue": issue}
                )
            )
            self.stdout.write(
                _("Edit it at %(url)s")
                % {"url": reverse("admin:bulletin_issue_change", args=[issue.pk])}
            )
        if result.replaced and not dry_run:
            self.stdout.write(_("The previous issue of that month was replaced."))
        self.stdout.write(result.summary())
        if result.documents and not dry_run:
            self.stdout.write(
                _("%(count)d new documents in the registry.") % {"count": result.documents_created}
            )
        for position, entry in enumerate(result.parsed.entries, start=1):
            self.stdout.write(f"  {position}. [{entry.kind}] {entry.title[:100]}")
