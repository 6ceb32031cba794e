"""Benchmark of the PDF export on the three sample issues.

    .venv/bin/python bench/pdf.py [--runs 3]

It sets up a throwaway test database (config.settings.test: SQLite in memory, media in a
per-process folder), imports each sample as a published issue, and prints the median over the runs
(app and bare alternate) of:

- app: rendering the issue through the app (``rendering.render_issue``: the queries, the print
  template, WeasyPrint with the committed fonts and the image cache, the pypdf check);
- bare: WeasyPrint alone on the same HTML, ``HTML(string=html).write_pdf()``, in the same run;
- ratio app/bare (goal <= 1.25);
- cached: getting the stored PDF of the published issue once it is rendered (goal < 30 ms);
- stamp: the reader's watermark on every page of the issue, stamp page included (goal < 0.2 s);
- A4 / A5 / booklet: a whole HTTP download by a reader of each variant (stored file + watermark
  + log; goal < 100 ms each). Every variant is stored when the issue is published, so none is
  rendered or imposed here; the reader's stamp page is kept for the day, as in production;
- first booklet: the same booklet download with the stamp page made anew (a reader's first
  download of the day), for information.

Nothing is asserted: the figures are for people.
"""

import argparse
import datetime
import io
import statistics

from harness import Rollback, median_ms, sample_issues, setup_django, throwaway_test_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args()

    setup_django("config.settings.test")
    import logging
    import warnings

    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from pypdf import PdfReader
    from weasyprint import HTML

    from bulletin.importing import import_into_draft
    from bulletin.models import Status
    from bulletin.printing import imposition, rendering, renditions

    with throwaway_test_database():
        reader = get_user_model().objects.create_user("bench", first_name="Người", last_name="Đọc")
        reader.user_permissions.add(Permission.objects.get(codename="export_pdf"))
        client = Client(HTTP_HOST="localhost")
        client.force_login(reader)
        print(
            f"{'sample':28} {'pages':>5} {'app ms':>8} {'bare ms':>8} {'ratio':>6} "
            f"{'cached ms':>9} {'stamp ms':>8} {'A4 ms':>6} {'A5 ms':>6} {'booklet ms':>10} "
            f"{'first booklet ms':>16}"
        )
        for path, when in sample_issues():
            try:
                with transaction.atomic():
                    issue = import_into_draft(path, **when).issue
                    issue.status = Status.PUBLISHED
                    issue.published_at = timezone.now() - datetime.timedelta(minutes=1)
                    issue.save()
                    html = rendering.issue_html(issue)
                    rendering.render_issue(issue)  # warm the fonts and caches of both paths
                    HTML(string=html).write_pdf()
                    # Alternated, so that a busy machine slows both alike.
                    app_times, bare_times = [], []
                    for _run in range(args.runs):
                        app_times.append(
                            median_ms(lambda issue=issue: rendering.render_issue(issue), 1)
                        )
                        bare_times.append(
                            median_ms(lambda html=html: HTML(string=html).write_pdf(), 1)
                        )
                    app, bare = statistics.median(app_times), statistics.median(bare_times)
                    for paper in renditions.RENDERED_PAPERS:  # what publishing queues
                        renditions.refresh_rendition(issue, paper)
                    cached = median_ms(
                        lambda issue=issue: renditions.published_pdf(issue), args.runs * 5
                    )
                    data = renditions.published_pdf(issue)
                    pages = len(PdfReader(io.BytesIO(data)).pages)
                    text = imposition.watermark_text("Người Đọc", datetime.date.today())

                    def stamp(data=data, text=text):
                        renditions.stamp_pdf.cache_clear()  # the stamp page is made in every run
                        imposition.stamp(data, renditions.stamp_pdf(text, "A4"))

                    stamped = median_ms(stamp, args.runs * 3)
                    url = reverse(
                        "bulletin:pdf", args=[issue.committee.slug, issue.year, issue.month]
                    )
                    variants = {}
                    for label, query in [
                        ("A4", ""),
                        ("A5", "?paper=A5"),
                        ("booklet", "?booklet=1"),
                    ]:
                        assert client.get(url + query).status_code == 200

                        def download(address=url + query):
                            assert client.get(address).status_code == 200

                        variants[label] = median_ms(download, args.runs * 3)

                    def first_download(address=url + "?booklet=1"):
                        renditions.stamp_pdf.cache_clear()
                        assert client.get(address).status_code == 200

                    first = median_ms(first_download, args.runs)
                    print(
                        f"{path.name:28} {pages:5d} {app:8.0f} {bare:8.0f} {app / bare:6.2f} "
                        f"{cached:9.1f} {stamped:8.0f} {variants['A4']:6.0f} "
                        f"{variants['A5']:6.0f} {variants['booklet']:10.0f} {first:16.0f}"
                    )
                    raise Rollback
            except Rollback:
                pass


if __name__ == "__main__":
    main()
