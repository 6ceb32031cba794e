"""Requests per second of the issue page against a trivial Django view, in the same run.

    .venv/bin/python bench/site_rps.py [--duration 10] [--connections 8] [--workers 2]

Builds a throwaway site in a temporary folder (SQLite, migrated, static files collected, the
three sample issues imported through bulletin.importer and published as public issues), serves
it with gunicorn and the production settings on a free port of 127.0.0.1 (plus /bench/ping from
bench/site_urls.py), measures both pages with wrk (/usr/bin/wrk) or, without it, a threaded
Python client, and prints requests/s of each and their ratio (goal: issue/ping >= 0.5).
Everything is stopped and deleted at the end.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure(workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.site_settings",
        SECRET_KEY="bench-only-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    for name in ("REDIS_URL", "MEDIA_ACCEL_REDIRECT"):
        os.environ.pop(name, None)


def build_site():
    """Migrate, collect static files, import the samples; return the issue page's path."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from bulletin.importer import import_file
    from bulletin.models import Issue, Status, Visibility

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    samples = settings.BASE_DIR / "samples"
    manifest = json.loads((samples / "manifest.json").read_text(encoding="utf-8"))
    for name, when in manifest.items():
        if not name.startswith("_"):
            import_file(samples / name, month=when.get("month"), year=when.get("year"))
    Issue.objects.update(
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    issue = Issue.objects.order_by("-year", "-month").first()
    return issue.get_absolute_url(), issue.entries.count()


def wait_until_up(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/bench/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def measure_wrk(url, args):
    output = subprocess.run(
        [
            "/usr/bin/wrk",
            f"--threads={args.threads}",
            f"--connections={args.connections}",
            f"--duration={args.duration}s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=args.duration + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, int(bad[1]) if bad else 0


def measure_python(url, args):
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
        configure(workdir)
        issue_path, entries = build_site()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--log-level=warning",
                f"--chdir={ROOT}",
            ],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_until_up(base, process)
        use_wrk = os.path.exists("/usr/bin/wrk") and not args.python_client
        measure = measure_wrk if use_wrk else measure_python
        for path in ("/bench/ping", issue_path):  # warm both
            urllib.request.urlopen(base + path, timeout=30).read()
        ping_rps, ping_bad = measure(base + "/bench/ping", args)
        issue_rps, issue_bad = measure(base + issue_path, args)
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
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
