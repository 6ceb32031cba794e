"""Requests per second of every reader page against a trivial Django view, in the same run.

    .venv/bin/python bench/site_rps.py [--duration 10] [--connections 8] [--workers 2]
                                       [--database-url postgres://...] [--pages home,issue]
                                       [--redis-url redis://127.0.0.1:6379/0]

Builds a throwaway site in a temporary folder (SQLite unless --database-url names an empty
PostgreSQL database; migrated, static files collected, the three sample issues imported through
bulletin.importer and published as public issues, the first one members-only), serves it with
gunicorn and the production settings on a free port of 127.0.0.1 (plus /bench/ping from
bench/site_urls.py), and measures with wrk (or, without it, a threaded Python client) each
reader page twice: as an anonymous visitor and as a logged-in member (session cookie). The
trivial view is measured with the same cookie. Prints requests/s, p99 and the ratio to the
trivial view (goal: >= 0.5 for every page but search). Everything is stopped and deleted at the
end.
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
from importlib import import_module
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
    """Import the samples and publish them (the first members-only, the others public); return
    the reader pages to measure, by name."""
    from django.urls import reverse
    from django.utils import timezone

    from bulletin.importing import import_into_draft
    from bulletin.models import Issue, Status, Visibility
    from documents.models import Document
    from news.models import NewsItem

    for path, when in sample_issues():
        import_into_draft(path, month=when.get("month"), year=when.get("year"))
    Issue.objects.update(
        status=Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    first = Issue.objects.order_by("year", "month").first()
    first.visibility = Visibility.MEMBERS
    first.save()  # through save(): the cached pages follow
    issue = Issue.objects.order_by("-year", "-month").first()
    document = Document.objects.filter(entries__issue=issue).first()
    news = NewsItem.objects.filter(section__issue=issue).first()
    registry = reverse("documents:list")
    slug = issue.committee.slug
    return {
        "home": reverse("bulletin:home"),
        "committee": reverse("bulletin:committee", args=[slug]),
        "archive": reverse("bulletin:archive", args=[slug]),
        "year": reverse("bulletin:archive-year", args=[slug, issue.year]),
        "issue": issue.get_absolute_url(),
        "registry": registry,
        "registry-filtered": (
            f"{registry}?doc_type={document.doc_type}&year={document.issued_on.year}"
        ),
        "document": document.get_absolute_url(),
        "news": reverse("news:list"),
        "news-item": news.get_absolute_url(),
        "feed": reverse("bulletin:feed", args=[slug]),
        "search": reverse("core:search") + "?q=dang+vien",
    }


def member_cookie():
    """A session of a plain member (group "Đảng viên"), as the Cookie header: the session and
    the CSRF cookie, which a browser holds from the login page on."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.utils.crypto import get_random_string

    member, _ = get_user_model().objects.get_or_create(username="bench-member")
    member.groups.add(Group.objects.get(name="Đảng viên"))
    # The site's own session engine and backend, as a login through the form would store.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "core.auth.CachedModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    csrf_secret = get_random_string(32)  # letters and digits, as Django makes them
    return f"sessionid={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf_secret}"


def measure_wrk(url, args, workdir, cookie):
    result = run_wrk(
        url,
        workdir,
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        cookie=cookie,
    )
    return result["rps"], result["non2xx"] + result["socket_errors"], result["p99_us"] / 1000


def measure_python(url, args, workdir, cookie):
    """Without wrk: ``connections`` threads, each requesting the page in a loop."""
    stop = time.monotonic() + args.duration
    counts = [0] * args.connections
    errors = [0] * args.connections
    headers = {"Cookie": cookie} if cookie else {}

    def worker(index):
        while time.monotonic() < stop:
            try:
                request = urllib.request.Request(url, headers=headers)
                with urllib.request.urlopen(request, timeout=10) as response:
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
    return sum(counts) / (time.monotonic() - started), sum(errors), float("nan")


def warm(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument(
        "--redis-url", help="a throwaway Redis (emptied) as the shared cache, as with REDIS_URL"
    )
    parser.add_argument("--pages", help="only these pages, comma-separated")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bantin-site-rps-"))
    process = None
    try:
        production_environment(workdir, args.database_url, args.redis_url)
        build_site("bench.site_settings")
        pages = load_samples()
        if args.pages:
            pages = {name: pages[name] for name in args.pages.split(",")}
        cookie = member_cookie()
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
        database = "PostgreSQL" if args.database_url else "SQLite"
        database += ", cache Redis" if args.redis_url else ", cache in the database"
        print(
            f"client: {'wrk' if use_wrk else 'python threads'}, {args.connections} connections, "
            f"{args.duration}s per page, gunicorn {args.workers} workers, {database}, settings prod"
        )
        header = f"{'page':<18} {'who':<9} {'req/s':>9} {'p99 ms':>8} {'ratio':>6} {'bad':>5}  goal"
        print(header)
        print("-" * len(header))
        missed = []
        for who, who_cookie in (("anonymous", None), ("member", cookie)):
            warm(base + "/bench/ping", who_cookie)
            ping_rps, ping_bad, ping_p99 = measure(base + "/bench/ping", args, workdir, who_cookie)
            print(f"{'ping':<18} {who:<9} {ping_rps:9.1f} {ping_p99:8.1f} {1:6.2f} {ping_bad:5}")
            for name, path in pages.items():
                status = warm(base + path, who_cookie)
                rps, bad, p99 = measure(base + path, args, workdir, who_cookie)
                ratio = rps / ping_rps if ping_rps else 0
                goal = "" if name == "search" else ("met" if ratio >= 0.5 else "NOT met")
                if goal == "NOT met":
                    missed.append(f"{name}/{who}")
                print(
                    f"{name:<18} {who:<9} {rps:9.1f} {p99:8.1f} {ratio:6.2f} {bad:5}  {goal}"
                    + (f" (warm-up status {status})" if status != 200 else ""),
                    flush=True,
                )
        verdict = "met" if not missed else "NOT met: " + ", ".join(missed)
        print(f"\nratio >= 0.5 (all but search): {verdict}")
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
