"""Requests per second of the issue page against a trivial Django view, in the same run.

    .venv/bin/python bench/site_rps.py [--duration 10] [--connections 8] [--workers 2]

Builds a throwaway site in a temporary folder (SQLite, migrated, static files collected, the
three sample issues imported through bulletin.importing and published as public issues), serves
it with gunicorn and the production settings on a free port of 127.0.0.1 (plus /bench/ping from
bench/site_urls.py), measures both pages with wrk (/usr/bin/wrk) or, without it, a threaded
Python client, and prints requests/s of each and their ratio (goal: issue/ping >= 0.5).
Everything is stopped and deleted at the end.
"""

import argparse
import datetime
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from harness import (
    build_site,
    free_port,
    production_environment,
    run_wrk,
    sample_issues,
    start_gunicorn,
    stop_process,
    wait_until_up,
)


def load_samples():
    """Import the samples and publish them as public issues; return the latest issue's path and
    its number of entries."""
    from django.utils import timezone

    from bulletin.importing import import_into_draft
    from bulletin.models import Issue, Status, Visibility

    for path, when in sample_issues():
        import_into_draft(path, month=when.get("month"), year=when.get("year"))
    Issue.objects.update(
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    issue = Issue.objects.order_by("-year", "-month").first()
    return issue.get_absolute_url(), issue.entries.count()


def measure_wrk(url, args, workdir):
    result = run_wrk(
        url, workdir, threads=args.threads, connections=args.connections, duration=args.duration
    )
    return result["rps"], result["status_errors"]


def measure_python(url, args, workdir):
    """Without wrk: ``connections`` threads, each requesting the page in a loop."""
    stop = time.monotonic() + args.duration
    counts = [0] * args.connections
    errors = [0] * args.connections

    def worker(index):
        while time.monotonic() < stop:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                counts[index] += 1
            except (urllib.error.URLError, ConnectionError):
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bantin-site-rps-"))
    process = None
    try:
        production_environment(workdir)
        build_site("bench.site_settings")
        issue_path, entries = load_samples()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_gunicorn(
            [
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--log-level=warning",
            ],
            workdir / "gunicorn.log",
        )
        wait_until_up(base, "/bench/ping", process)
        use_wrk = shutil.which("wrk") is not None and not args.python_client
        measure = measure_wrk if use_wrk else measure_python
        for path in ("/bench/ping", issue_path):  # warm both
            urllib.request.urlopen(base + path, timeout=30).read()
        ping_rps, ping_bad = measure(base + "/bench/ping", args, workdir)
        issue_rps, issue_bad = measure(base + issue_path, args, workdir)
        client = "wrk" if use_wrk else "python threads"
        print(
            f"client: {client}, {args.connections} connections, {args.duration}s per page, "
            f"gunicorn {args.workers} workers, SQLite, settings prod"
        )
        print(f"ping  /bench/ping: {ping_rps:9.1f} req/s  (bad answers: {ping_bad})")
        print(
            f"issue {issue_path} ({entries} entries): {issue_rps:9.1f} req/s  "
            f"(bad answers: {issue_bad})"
        )
        ratio = issue_rps / ping_rps if ping_rps else 0
        print(
            f"ratio issue/ping: {ratio:.2f} (goal >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})"
        )
    except Exception:
        log = workdir / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        stop_process(process, timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
