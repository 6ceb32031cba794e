from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Issue, Paper
from bulletin.printing import renditions
from bulletin.printing.rendering import PdfError


class Command(BaseCommand):
    help = (
        "Write the PDF of an issue to a file: the stored one for a published issue (rendered now "
        "if stale), a fresh render for a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--paper", default=settings.PDF_PAPER, type=str.upper, choices=Paper.values
        )
        parser.add_argument(
            "--booklet",
            action="store_true",
            help="A5 pages two-up on A4 landscape, in saddle-stitch order.",
        )
        parser.add_argument(
            "--watermark", metavar="NAME", help="Stamp every page with this reader's name."
        )

    def handle(self, issue_id, output, paper, booklet, watermark, **options):
        issue = Issue.objects.filter(pk=issue_id).first()
        if issue is None:
            raise CommandError(f"There is no issue with id {issue_id}.")
        if booklet:
            paper = Paper.A5
        try:
            data = renditions.issue_pdf_bytes(issue, paper, booklet=booklet)
        except PdfError as exc:
            raise CommandError(f"The PDF of {issue} could not be rendered: {exc}") from exc
        if watermark:
            data = renditions.stamped(data, watermark, paper=paper, booklet=booklet)
        Path(output).write_bytes(data)
        self.stdout.write(f"{output}: {len(data)} bytes, {issue}, {paper}")
