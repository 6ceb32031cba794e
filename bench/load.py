"""Load test of the production setup: gunicorn with the production settings on loopback.

    .venv/bin/python bench/load.py [--duration 60] [--connections 50] [--database-url URL]

It builds a throwaway site in a temporary folder (a SQLite database unless --database-url names
an empty PostgreSQL database; media; collected static files), migrates it, loads the sample
issues (the demo data, published), opens a session for a member allowed to export PDFs, starts
gunicorn on a free port of 127.0.0.1 with config/gunicorn.py, warms every page, then runs wrk on
each page in turn: the home page, an issue, a search, and the issue's PDF. For each it prints
requests per second, the 50th and 95th percentile latency, socket errors, non-2xx and 5xx
answers. The goal is 0 errors and 0 5xx. Everything stops and is deleted at the end (--keep
keeps the folder and gunicorn's log). Needs wrk (/usr/bin/wrk).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Counts the answers wrk itself does not (non-2xx, 5xx) and prints one JSON line at the end.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0; s5xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if status >= 500 then s5xx = s5xx + 1 end
end
function done(summary, latency, requests)
  local n, f = 0, 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx"); f = f + t:get("s5xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "non2xx": %d, ' ..
    '"s5xx": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, n, f,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure(workdir, database_url):
    """Production settings, adapted to a loopback run without TLS."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="bench-only-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        LOG_LEVEL="WARNING",
        # The demo workflow sends notices; a bench has no mail server.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    for name in ("REDIS_URL", "STORAGE_BACKEND", "MEDIA_ACCEL_REDIRECT"):
        os.environ.pop(name, None)


def build_site():
    """Migrate, collect static files, load the demo data; return the session and the URLs."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse

    from bulletin.models import Issue

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        import bulletin.importer  # noqa: F401

        call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    except ImportError:
        load_fallback_data()

    issue = Issue.objects.published().order_by("-year", "-month").first()
    if issue is None:
        raise SystemExit("No published issue after loading the demo data.")
    reader, _ = get_user_model().objects.get_or_create(username="bench-reader")
    reader.groups.add(Group.objects.get(name="Cán bộ"))  # members who may export the PDF
    session = SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session.create()
    urls = {
        "home": reverse("bulletin:home"),
        "issue": issue.get_absolute_url(),
        "search": reverse("bulletin:search") + "?q=dang+vien",
        "pdf": reverse("bulletin:pdf", args=[issue.year, issue.month]),
    }
    return session.session_key, urls


def load_fallback_data():
    """Until the importer exists: one published issue made with the test factories."""
    from django.utils import timezone

    from bulletin.models import Issue, Status
    from tests.factories import make_entry, make_news_item

    issue = Issue.objects.create(month=6, year=2024)
    make_entry(issue, title="Phát triển đảng viên", body="<p>Công tác phát triển đảng viên.</p>")
    news = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    make_news_item(news)
    Issue.objects.filter(pk=issue.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(days=1)
    )


def wait_until_healthy(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def warm(base, path, cookie, times=3):
    status = None
    for _ in range(times):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
    return status


def run_wrk(url, cookie, script, args):
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        f"--timeout={args.timeout}s",
        "--latency",
        f"--script={script}",
        f"--header=Cookie: {cookie}",
        url,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 60
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per page (60)")
    parser.add_argument("--connections", type=int, default=50, help="open connections (50)")
    parser.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout (10 s)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (config/gunicorn.py's)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--pages", default="home,issue,search,pdf", help="which pages, in order")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="bantin-bench-"))
    gunicorn = None
    try:
        configure(workdir, args.database_url)
        print(f"Building the site in {workdir} ...", flush=True)
        session_key, urls = build_site()
        cookie = f"sessionid={session_key}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        log = (workdir / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_healthy(base, gunicorn)
        script = workdir / "count.lua"
        script.write_text(WRK_SCRIPT)
        print(
            f"gunicorn on {base}; wrk: {args.connections} connections, {args.threads} threads, "
            f"{args.duration} s per page\n"
        )
        header = (
            f"{'page':<8} {'path':<34} {'warm':>4} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7} {'non-2xx':>8} {'5xx':>6}"
        )
        print(header)
        print("-" * len(header))
        totals = {"errors": 0, "s5xx": 0}
        for page in args.pages.split(","):
            path = urls[page]
            warm_status = warm(base, path, cookie)
            result = run_wrk(base + path, cookie, script, args)
            rps = result["requests"] / (result["duration_us"] / 1e6)
            errors = result["socket_errors"] + result["non2xx"]
            totals["errors"] += errors
            totals["s5xx"] += result["s5xx"]
            print(
                f"{page:<8} {path[:34]:<34} {warm_status:>4} {rps:>9.1f} "
                f"{result['p50_us'] / 1000:>8.1f} {result['p95_us'] / 1000:>8.1f} "
                f"{result['p99_us'] / 1000:>8.1f} {result['socket_errors']:>7} "
                f"{result['non2xx']:>8} {result['s5xx']:>6}",
                flush=True,
            )
        verdict = "OK" if totals == {"errors": 0, "s5xx": 0} else "NOT OK"
        print(f"\n{verdict}: {totals['errors']} errors, {totals['s5xx']} 5xx in all")
        return 0 if verdict == "OK" else 1
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        if args.keep:
            print(f"Kept {workdir} (gunicorn.log holds the server's log).")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
