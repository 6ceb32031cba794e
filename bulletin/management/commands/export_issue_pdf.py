from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bulletin import imposition, pdf
from bulletin.models import Issue, Paper


class Command(BaseCommand):
    help = (
        "Write the PDF of an issue to a file: the stored one for a published issue (rendered now "
        "if stale), a fresh render for a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument("--paper", default=Paper.A4, type=str.upper, choices=Paper.values)
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
            data = pdf.issue_pdf_bytes(issue, paper)
        except pdf.PdfError as exc:
            raise CommandError(f"The PDF of {issue} could not be rendered: {exc}") from exc
        if watermark:
            text = imposition.watermark_text(watermark, timezone.localdate())
            data = imposition.stamp(data, pdf.stamp_pdf(text, paper))
        if booklet:
            data = imposition.booklet(data)
        Path(output).write_bytes(data)
        self.stdout.write(f"{output}: {len(data)} bytes, {issue}, {paper}")
