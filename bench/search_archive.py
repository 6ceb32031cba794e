"""Search latency on a 20-year archive: 240 issues made from the samples, SQLite and PostgreSQL.

    .venv/bin/python bench/search_archive.py [--issues 240] [--searches 200]
                                             [--database sqlite|postgresql|both]

For each database (PostgreSQL: a throwaway 15 cluster in a temporary folder, started as the
postgres user, Unix socket only), it migrates an empty database, imports the three sample
issues again and again through bulletin.importing with their month, year and number shifted
(the cover's "Tháng … năm …" and "Số …" rewritten), publishes them (one in three
members-only), then times the search page (core.views.SearchView, template included, its
first page of results, without the reader page cache: every search here is computed) for
queries typed without diacritics, some with typos, as an anonymous visitor and as a member.
Prints p50/p95/max per reader (goal: p95 < 50 ms), then the same queries repeated through the
whole site, where core.pagecache serves them. The baseline, measured in the same run for the
same reader, is the registry's first page computed without the page cache: the ratio says what
a search costs next to a plain list page. Each database runs in a child process of its own;
everything is deleted at the end.
"""

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import sample_issues, setup_django

PGBIN = Path("/usr/lib/postgresql/15/bin")
QUERIES = [
    "dang vien",
    "chi bo",
    "sinh hoat chi bo",
    "nghi quyet",
    "chi thi",
    "ket luan",
    "ke hoach",
    "tuyen truyen",
    "hoc tap va lam theo",
    "ho chi minh",
    "phong chong tham nhung",
    "chuyen doi so",
    "bao ve nen tang tu tuong",
    "huy hieu dang",
    "cao bang",
    "bao cao vien",
    # typos
    "dang vein",
    "tuyen truyenn",
    "chi thj",
    "sinh hoat chj bo",
]
COVER_MONTH = re.compile(r"(?i)tháng\s+\d{1,2}\s+năm\s+\d{4}")
COVER_NUMBER = re.compile(r"(?im)^(\s*)Số\s+\d+(\s*)$")


def build_archive(count):
    """Import ``count`` issues, month after month back from the latest sample, and publish
    them; return how many imported."""
    from django.utils import timezone

    from bulletin.importing import ImportRefused, import_into_draft
    from bulletin.models import Issue, Status, Visibility

    texts = [(path, path.read_text(encoding="utf-8")) for path, _ in sample_issues()]
    month, year = 12, 2025
    made = 0
    for n in range(count):
        path, text = texts[n % len(texts)]
        text = COVER_MONTH.sub(f"Tháng {month} năm {year}", text, count=1)
        text = COVER_NUMBER.sub(rf"\g<1>Số {n + 1}\g<2>", text, count=1)
        try:
            import_into_draft(text.encode(), filename=path.name, month=month, year=year)
            made += 1
        except ImportRefused as refusal:
            print(f"  {path.name} as {month}/{year}: not imported: {refusal}", file=sys.stderr)
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    published = timezone.now() - datetime.timedelta(days=1)
    Issue.objects.update(
        status=Status.PUBLISHED, published_at=published, visibility=Visibility.PUBLIC
    )
    members_only = list(Issue.objects.values_list("pk", flat=True))[::3]
    Issue.objects.filter(pk__in=members_only).update(visibility=Visibility.MEMBERS)
    return made


def _timed(view, request, user):
    request.user = user
    started = time.perf_counter()
    response = view(request)
    response.render()
    return (time.perf_counter() - started) * 1000, response


def time_searches(user, searches):
    """Each search, and after it the baseline: the registry's first page (the same reader's
    visible documents, a page of rows), also computed, without the page cache."""
    from django.test import RequestFactory

    from core.views import SearchView
    from documents.views import DocumentListView

    view, registry = SearchView.as_view(), DocumentListView.as_view()
    factory = RequestFactory()
    timings, baseline, found = [], [], 0
    for n in range(searches + 5):
        elapsed, response = _timed(
            view, factory.get("/search/", {"q": QUERIES[n % len(QUERIES)]}), user
        )
        registry_elapsed, _ = _timed(registry, factory.get("/documents/"), user)
        if n >= 5:  # the first few warm the caches of the database and of Python
            timings.append(elapsed)
            baseline.append(registry_elapsed)
            found += b'<p class="kind">' in response.content
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, timings[-1], found, statistics.median(baseline)


def time_cached_searches(searches):
    """The same queries through the whole site (middleware, core.pagecache) as an anonymous
    visitor, after one pass that fills the cache: what a repeated search costs."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")  # the test settings allow no "testserver"
    for query in QUERIES:
        client.get("/search/", {"q": query})
    timings = []
    for n in range(searches):
        started = time.perf_counter()
        response = client.get("/search/", {"q": QUERIES[n % len(QUERIES)]})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], timings[-1]


def run_one(database, args):
    """In this (child) process: set up Django on ``database``, build, measure, print."""
    setup_django("config.settings.test")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser, Group
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    made = build_archive(args.issues)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{database}: {made} issues imported in {time.monotonic() - started:.0f} s", flush=True)
    member = get_user_model().objects.create_user("bench-member")
    member.groups.add(Group.objects.get(name="Đảng viên"))
    for who, user in (("anonymous", AnonymousUser()), ("member", member)):
        p50, p95, worst, found, registry = time_searches(user, args.searches)
        verdict = "met" if p95 < 50 else "NOT met"
        print(
            f"{database:<10} {who:<9} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms"
            f"  ({found}/{args.searches} with results; goal p95 < 50 ms: {verdict}); "
            f"registry's first page p50 {registry:.1f} ms, search p50 / registry "
            f"{p50 / registry:.1f}x",
            flush=True,
        )
    p50, p95, worst = time_cached_searches(args.searches)
    print(
        f"{database:<10} {'repeated':<9} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms"
        "  (anonymous, a query searched before: from the page cache)",
        flush=True,
    )


def as_postgres(*command):
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(PGBIN / command[0]), *command[1:]],
        check=True,
        capture_output=True,
    )


def child(database, args, env):
    command = [sys.executable, __file__, "--child", database]
    command += ["--issues", str(args.issues), "--searches", str(args.searches)]
    return subprocess.run(command, env=env, check=False).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=240)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--database", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_one(args.child, args)

    folder = Path(tempfile.mkdtemp(prefix="bantin-search-archive-"))
    env = {**os.environ, "TMPDIR": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    status = 0
    try:
        if args.database in ("sqlite", "both"):
            # A file, not the test settings' memory database: what a small installation runs.
            status |= child("sqlite", args, {**env, "DATABASE_URL": f"sqlite:///{folder}/db"})
        if args.database in ("postgresql", "both"):
            if not (PGBIN / "initdb").exists():
                raise SystemExit(f"PostgreSQL 15 is not installed in {PGBIN}")
            shutil.chown(folder, "postgres")
            data = str(folder / "data")
            as_postgres("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8")  # fmt: skip
            as_postgres("pg_ctl", "-D", data, "-l", str(folder / "log"), "-w", "-o",
                        f"-k {folder} -c listen_addresses='' -c fsync=off", "start")  # fmt: skip
            try:
                as_postgres("createdb", "-h", str(folder), "bantin_archive")
                url = f"postgres://postgres@/bantin_archive?host={folder}"
                status |= child("postgresql", args, {**env, "DATABASE_URL": url})
            finally:
                as_postgres("pg_ctl", "-D", data, "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
