"""Load test of the production setup: gunicorn with the production settings on loopback.

    .venv/bin/python bench/load.py [--duration 60] [--connections 50] [--database-url URL]
                                   [--redis-url URL] [--workers N] [--mix home,issue,search]

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
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from importlib import import_module
from pathlib import Path

from harness import (
    build_site,
    free_port,
    production_environment,
    run_wrk,
    start_gunicorn,
    stop_process,
    wait_until_up,
)


def load_demo():
    """Load the demo data (setup_demo: the samples, published through the workflow) and open a
    session for a member allowed to export PDFs; return its key and the URLs of the pages."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.urls import reverse

    from bulletin.models import Issue

    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    issue = Issue.objects.published().order_by("-year", "-month").first()
    if issue is None:
        raise SystemExit("No published issue after loading the demo data.")
    reader, _ = get_user_model().objects.get_or_create(username="bench-reader")
    reader.groups.add(Group.objects.get(name="Cán bộ"))  # members who may export the PDF
    # The site's own session engine and backend, as a login through the form would store.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = "core.auth.CachedModelBackend"
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session.create()
    urls = {
        "home": reverse("bulletin:home"),
        "issue": issue.get_absolute_url(),
        "search": reverse("core:search") + "?q=dang+vien",
        "pdf": reverse("bulletin:pdf", args=[issue.committee.slug, issue.year, issue.month]),
    }
    return session.session_key, urls


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per page (60)")
    parser.add_argument("--connections", type=int, default=50, help="open connections (50)")
    parser.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout (10 s)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (config/gunicorn.py's)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument(
        "--redis-url", help="a throwaway Redis (emptied) as the shared cache, as with REDIS_URL"
    )
    parser.add_argument("--pages", default="home,issue,search,pdf", help="which pages, in order")
    parser.add_argument(
        "--mix",
        help="instead of one page after the other: these pages mixed in one run "
        "(e.g. home,issue,search), each connection requesting them in turn",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="bantin-bench-"))
    gunicorn = None
    try:
        production_environment(workdir, args.database_url, args.redis_url)
        print(f"Building the site in {workdir} ...", flush=True)
        build_site("config.settings.prod")
        session_key, urls = load_demo()
        cookie = f"sessionid={session_key}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        gunicorn = start_gunicorn(
            ["--config", "config/gunicorn.py", "config.wsgi"], workdir / "gunicorn.log", env
        )
        wait_until_up(base, "/healthz", gunicorn)
        print(
            f"gunicorn on {base}; wrk: {args.connections} connections, {args.threads} threads, "
            f"{args.duration} s per page; "
            f"cache {'Redis' if args.redis_url else 'in the database'}, "
            f"gunicorn {env.get('WEB_CONCURRENCY', 'config/gunicorn.py')} workers\n"
        )
        header = (
            f"{'page':<8} {'path':<34} {'warm':>4} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7} {'non-2xx':>8} {'5xx':>6}"
        )
        print(header)
        print("-" * len(header))
        totals = {"errors": 0, "s5xx": 0}
        runs = [(args.mix, None)] if args.mix else [(page, None) for page in args.pages.split(",")]
        for page, _ in runs:
            names = page.split(",")
            for name in names:
                warm_status = warm(base, urls[name], cookie)
            path = urls[names[0]] if len(names) == 1 else "mix: " + "+".join(names)
            result = run_wrk(
                base + urls[names[0]],
                workdir,
                threads=args.threads,
                connections=args.connections,
                duration=args.duration,
                timeout=args.timeout,
                cookie=cookie,
                paths=[urls[name] for name in names] if len(names) > 1 else None,
            )
            errors = result["socket_errors"] + result["non2xx"]
            totals["errors"] += errors
            totals["s5xx"] += result["s5xx"]
            print(
                f"{page[:8]:<8} {path[:34]:<34} {warm_status:>4} {result['rps']:>9.1f} "
                f"{result['p50_us'] / 1000:>8.1f} {result['p95_us'] / 1000:>8.1f} "
                f"{result['p99_us'] / 1000:>8.1f} {result['socket_errors']:>7} "
                f"{result['non2xx']:>8} {result['s5xx']:>6}",
                flush=True,
            )
        verdict = "OK" if totals == {"errors": 0, "s5xx": 0} else "NOT OK"
        print(f"\n{verdict}: {totals['errors']} errors, {totals['s5xx']} 5xx in all")
        return 0 if verdict == "OK" else 1
    finally:
        stop_process(gunicorn, timeout=30)
        if args.keep:
            print(f"Kept {workdir} (gunicorn.log holds the server's log).")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
