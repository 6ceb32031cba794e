from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bulletin.management.committee_option import committee_named
from members.report import send_readership_report


class Command(BaseCommand):
    help = _(
        "Mail the board's leaders the party cells where nobody has read the latest issue. "
        "Meant to run once a month from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--committee",
            metavar="SLUG",
            help="The committee whose leaders get its report (default: the default committee).",
        )

    def handle(self, *args, committee=None, **options):
        report = send_readership_report(committee_named(committee) if committee else None)
        if report.issue is None:
            self.stdout.write(_("No issue has been published yet: nothing to report."))
            return
        for row in report.silent_cells:
            self.stdout.write(_("Not read: %(cell)s") % {"cell": row.cell})
        if not report.recipients:
            raise CommandError(_("No active leader of the board has an e-mail address."))
        if not report.sent:
            raise CommandError(_("The report could not be sent; see the log."))
        self.stdout.write(
            _("Report on %(month)s sent to %(count)d leaders.")
            % {"month": report.issue.month_label, "count": len(report.recipients)}
        )
