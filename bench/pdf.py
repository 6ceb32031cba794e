"""Benchmark of the PDF export on the three sample issues.

    .venv/bin/python bench/pdf.py [--runs 3]

It sets up a throwaway test database (config.settings.test: SQLite in memory, media in a
per-process folder), imports each sample as a published issue, and prints the median over the runs
(app and bare alternate) of:

- app: rendering the issue through the app (``bulletin.pdf.render_issue``: the queries, the print
  template, WeasyPrint with the committed fonts and the image cache, the pypdf check);
- bare: WeasyPrint alone on the same HTML, ``HTML(string=html).write_pdf()``, in the same run;
- ratio app/bare (goal <= 1.25);
- cached: getting the stored PDF of the published issue once it is rendered (goal < 30 ms);
- stamp: the reader's watermark on every page of the issue, stamp page included (goal < 0.2 s);
- download: a whole HTTP download by a reader (cached PDF + stamp + log), for information; the
  reader's stamp page is kept for the day, so repeated downloads reuse it.

Nothing is asserted: the figures are for people.
"""

import argparse
import datetime
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

    from bulletin import imposition, pdf
    from bulletin.importing import import_into_draft
    from bulletin.models import Status

    with throwaway_test_database():
        reader = get_user_model().objects.create_user("bench", first_name="Người", last_name="Đọc")
        reader.user_permissions.add(Permission.objects.get(codename="export_pdf"))
        client = Client(HTTP_HOST="localhost")
        client.force_login(reader)
        print(
            f"{'sample':28} {'pages':>5} {'app ms':>8} {'bare ms':>8} {'ratio':>6} "
            f"{'cached ms':>9} {'stamp ms':>8} {'download ms':>11}"
        )
        for path, when in sample_issues():
            try:
                with transaction.atomic():
                    issue = import_into_draft(path, **when).issue
                    issue.status = Status.PUBLISHED
                    issue.published_at = timezone.now() - datetime.timedelta(minutes=1)
                    issue.save()
                    html = pdf.issue_html(issue)
                    pdf.render_issue(issue)  # warm the fonts and caches of both paths
                    HTML(string=html).write_pdf()
                    # Alternated, so that a busy machine slows both alike.
                    app_times, bare_times = [], []
                    for _run in range(args.runs):
                        app_times.append(median_ms(lambda issue=issue: pdf.render_issue(issue), 1))
                        bare_times.append(
                            median_ms(lambda html=html: HTML(string=html).write_pdf(), 1)
                        )
                    app, bare = statistics.median(app_times), statistics.median(bare_times)
                    pdf.refresh_rendition(issue)
                    cached = median_ms(lambda issue=issue: pdf.published_pdf(issue), args.runs * 5)
                    data = pdf.published_pdf(issue)
                    pages = len(PdfReader(pdf.BytesIO(data)).pages)
                    text = imposition.watermark_text("Người Đọc", datetime.date.today())

                    def stamp(data=data, text=text):
                        pdf.stamp_pdf.cache_clear()  # the stamp page is made in every run
                        imposition.stamp(data, pdf.stamp_pdf(text, "A4"))

                    stamped = median_ms(stamp, args.runs * 3)
                    url = reverse("bulletin:pdf", args=[issue.year, issue.month])
                    assert client.get(url).status_code == 200

                    def download(url=url):
                        assert client.get(url).status_code == 200

                    download = median_ms(download, args.runs * 3)
                    print(
                        f"{path.name:28} {pages:5d} {app:8.0f} {bare:8.0f} {app / bare:6.2f} "
                        f"{cached:9.1f} {stamped:8.0f} {download:11.0f}"
                    )
                    raise Rollback
            except Rollback:
                pass


if __name__ == "__main__":
    main()
