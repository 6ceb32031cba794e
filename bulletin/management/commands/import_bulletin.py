"""Import a printed issue from the command line: ``manage.py import_bulletin PATH``."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from bulletin.importing import ImportRefused, import_into_draft, parse_only
from bulletin.management.committee_option import committee_named
from bulletin.models import Committee


class Command(BaseCommand):
    help = (
        "Import a printed issue (.txt, .md, .docx, .pdf, or a scan in PNG, JPEG or TIFF) as a "
        "draft issue. The month and year come from the cover; give them with --month and --year "
        "when the cover does not print them. Scans are read by text recognition here, "
        "in-process."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import.")
        parser.add_argument("--month", type=int, help="The month of the issue (1-12).")
        parser.add_argument("--year", type=int, help="The year of the issue.")
        parser.add_argument(
            "--committee",
            metavar="SLUG",
            help="The short name of the committee whose issue it is (default: the default one).",
        )
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

    def handle(self, *args, path, month, year, replace, dry_run, committee=None, **options):
        options = {"month": month, "year": year}
        publisher = committee_named(committee) if committee else Committee.objects.default()
        try:
            if dry_run:
                parsed = parse_only(Path(path), **options)
            else:
                result = import_into_draft(
                    Path(path), replace=replace, committee=publisher, **options
                )
                parsed = result.parsed
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing was written: %(month)d/%(year)d")
                % {"month": parsed.month, "year": parsed.year}
            )
        else:
            issue = result.issue
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported draft issue %(pk)d: %(issue)s") % {"pk": issue.pk, "issue": issue}
                )
            )
            self.stdout.write(
                _("Edit it at %(url)s")
                % {"url": reverse("admin:bulletin_issue_change", args=[issue.pk])}
            )
            if result.replaced:
                self.stdout.write(_("The previous issue of that month was replaced."))
        self.stdout.write(parsed.summary())
        if parsed.documents and not dry_run:
            self.stdout.write(
                _("%(count)d new documents in the registry.") % {"count": result.documents_created}
            )
        for position, entry in enumerate(parsed.entries, start=1):
            self.stdout.write(f"  {position}. [{entry.kind}] {entry.title[:100]}")
        self._report(parsed, None if dry_run else result)

    def _report(self, parsed, result):
        """The import report: what each item holds, then what the importer was unsure of."""
        self.stdout.write(_("Import report:"))
        entry_ids = result.entry_ids() if result is not None else {}
        for finding in parsed.findings:
            where = ""
            if finding.entry is not None:
                where = f"{finding.entry}. {finding.title[:60]}: "
            mark = "?" if finding.unsure else "-"
            line = f"  {mark} {where}{finding.message}"
            if finding.unsure and finding.entry in entry_ids:
                url = reverse("admin:bulletin_entry_change", args=[entry_ids[finding.entry]])
                line += f" ({url})"
            self.stdout.write(self.style.WARNING(line) if finding.unsure else line)
