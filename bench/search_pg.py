"""Search latency with a large registry, on SQLite and on PostgreSQL: p50 and p95 of ~200 searches.

    .venv/bin/python bench/search_pg.py [--documents 100000] [--searches 200] [--database both]

For each database, in a process of its own: a throwaway SQLite file, or a throwaway PostgreSQL
15 cluster started in a temporary folder as the postgres user (run as root; Unix socket only,
no TCP); migrate (on PostgreSQL the generated, weighted ``search_vector`` and the GIN indexes of
``core.models.Searchable``); generate documents with realistic Vietnamese subjects with
bulk_create; then time core.search.search for queries typed without diacritics, with
diacritics, in quotes and with typos, as a staff user who sees the whole registry. The baseline,
measured in the same run on the same database, is the registry's first page (the same user's
visible documents, 20 rows): the ratio says what a search costs next to the cheapest page.
Prints p50/p95 (goal: p95 < 100 ms on PostgreSQL). Everything is deleted at the end.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import setup_django

PGBIN = Path("/usr/lib/postgresql/15/bin")

TYPES = ["nghi-quyet", "chi-thi", "ket-luan", "ke-hoach", "quyet-dinh", "huong-dan", "thong-bao"]
SUFFIX = {
    "nghi-quyet": "NQ",
    "chi-thi": "CT",
    "ket-luan": "KL",
    "ke-hoach": "KH",
    "quyet-dinh": "QĐ",
    "huong-dan": "HD",
    "thong-bao": "TB",
}
BODIES = ["TU", "TW", "UBND", "HU", "ĐU", "BTGTU", "BCĐ"]
ISSUERS = [
    "Ban Thường vụ Tỉnh ủy Cao Bằng",
    "Thành ủy Cao Bằng",
    "Ban Bí thư",
    "Bộ Chính trị",
    "Ủy ban nhân dân tỉnh Cao Bằng",
    "Ban Tuyên giáo Tỉnh ủy",
]
VERBS = ["về", "về việc", "về tiếp tục", "về đẩy mạnh", "về tăng cường", "thực hiện"]
TOPICS = [
    "lãnh đạo công tác bảo đảm an ninh, trật tự",
    "phát triển đảng viên",
    "công tác phòng, chống tham nhũng, tiêu cực",
    "xây dựng nông thôn mới",
    "tổ chức tết Nguyên đán",
    "chuyển đổi số",
    "cải cách hành chính",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "công tác dân vận",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "phát triển kinh tế - xã hội",
    "công nghiệp hóa, hiện đại hóa đất nước",
    "giảm nghèo bền vững",
    "phòng cháy, chữa cháy",
    "an toàn giao thông",
    "công tác thi đua, khen thưởng",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "xây dựng đội ngũ cán bộ",
    "bảo vệ môi trường",
    "phát triển du lịch",
]
PLACES = [
    "",
    "trên địa bàn tỉnh",
    "trên địa bàn thành phố Cao Bằng",
    "giai đoạn 2021 - 2025",
    "năm 2024",
    "đến năm 2030, tầm nhìn đến năm 2045",
    "trong tình hình mới",
]
QUERIES = [
    "chi thi 29",
    "dang vien",
    "phat trien dang vien",
    "phong chong tham nhung",
    "nong thon moi",
    "chuyen doi so",
    "cai cach hanh chinh",
    "sinh hoat chi bo",
    "an ninh trat tu",
    "tet nguyen dan",
    "ke hoach 361",
    "nghi quyet 12",
    "dan van",
    "giam ngheo",
    "du lich",
    "moi truong",
    # with diacritics, and in quotes
    "phát triển đảng viên",
    "chỉ thị về an ninh",
    '"sinh hoat chi bo"',
    '"xây dựng nông thôn mới" năm 2024',
    # typos
    "dang vein",
    "chi thj 29",
    "tham nhungg",
    "chuyen doi soo",
    "cai cach hanh chin",
]


def as_postgres(*command, check=True):
    """Run a PostgreSQL program as the postgres user: the server refuses to run as root."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", str(PGBIN / command[0]), *command[1:]],
        check=check,
        capture_output=True,
    )


def start_cluster(tmp):
    """A cluster in ``tmp`` (owned by postgres), listening on a Unix socket there, no TCP."""
    subprocess.run(["chown", "postgres", str(tmp)], check=True)
    data = str(tmp / "data")
    as_postgres(
        "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
    )
    as_postgres(
        "pg_ctl",
        "-D",
        data,
        "-l",
        str(tmp / "log"),
        "-o",
        f"-k {tmp} -c listen_addresses='' -c fsync=off",
        "-w",
        "start",
    )
    as_postgres("createdb", "-h", str(tmp), "bantin_bench")


def stop_cluster(tmp):
    as_postgres("pg_ctl", "-D", str(tmp / "data"), "-m", "immediate", "stop", check=False)


def generate(count, rng):
    from documents.models import Document, Issuer

    issuers = [Issuer.objects.get_or_create(name=name)[0] for name in ISSUERS]
    batch, seen = [], set()
    start = datetime.date(2000, 1, 1)
    for n in range(count):
        doc_type = rng.choice(TYPES)
        number = f"{rng.randint(1, 999)}-{SUFFIX[doc_type]}/{rng.choice(BODIES)}"
        issued_on = start + datetime.timedelta(days=rng.randint(0, 9000))
        if (doc_type, number, issued_on) in seen:
            number += f"-{n}"
        seen.add((doc_type, number, issued_on))
        subject = " ".join(
            part for part in (rng.choice(VERBS), rng.choice(TOPICS), rng.choice(PLACES)) if part
        )
        issuer = rng.choice(issuers)
        document = Document(
            doc_type=doc_type,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            subject=subject,
            signer="",
        )
        # bulk_create skips save(): the search columns are filled here the same way.
        document.set_search_text(f"{document.citation} {subject}", "")
        batch.append(document)
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)


def measure(args):
    """Generate the registry and time the searches on the database of DATABASE_URL."""
    setup_django("config.settings.test")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from core.search import search
    from documents.models import Document

    call_command("migrate", verbosity=0)
    rng = random.Random(2024)
    t0 = time.monotonic()
    generate(args.documents, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {args.documents} documents generated in {time.monotonic() - t0:.1f}s")
    staff = get_user_model().objects.create_superuser("bench", "b@example.com", "x")

    def first_page():
        return list(Document.objects.visible_to(staff).select_related("issuer")[:20])

    timings, baseline, counts, by_query = [], [], [], {}
    for _ in range(5):  # warm up
        search(rng.choice(QUERIES), staff)
        first_page()
    for n in range(args.searches):
        query = QUERIES[n % len(QUERIES)]
        t = time.perf_counter()
        results = search(query, staff)
        timings.append((time.perf_counter() - t) * 1000)
        by_query.setdefault(query, []).append(timings[-1])
        counts.append(len(results))
        t = time.perf_counter()
        first_page()
        baseline.append((time.perf_counter() - t) * 1000)
    timings.sort()
    found = sum(1 for c in counts if c)
    print(f"  {args.searches} searches ({len(QUERIES)} distinct queries, {found} with results)")
    if args.verbose:
        for query, values in sorted(by_query.items(), key=lambda item: -max(item[1])):
            print(f"    {query!r}: median {statistics.median(values):.1f} ms")
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "baseline": statistics.median(baseline),
    }


def run_on(database, args):
    """Measure on a throwaway ``database`` ("sqlite" or "postgresql"); returns the figures."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bantin-search-{database}-"))
    try:
        if database == "postgresql":
            start_cluster(tmp)
            os.environ["DATABASE_URL"] = f"postgres://postgres@/bantin_bench?host={tmp}"
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        return measure(args)
    finally:
        if database == "postgresql":
            stop_cluster(tmp)
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--database", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--verbose", action="store_true", help="median time of each query")
    parser.add_argument("--figures-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    started = time.monotonic()
    if args.database != "both":
        figures = run_on(args.database, args)
        if args.figures_json:
            print("FIGURES " + json.dumps(figures))
        else:
            print(figures)
        return
    databases = ["sqlite", "postgresql"]
    if not (PGBIN / "initdb").exists():
        print(f"PostgreSQL 15 is not installed in {PGBIN}: SQLite only")
        databases = ["sqlite"]
    results = {}
    for database in databases:
        # Django is set up once per process, with one database: each runs in a child.
        print(f"== {database}", flush=True)
        command = [sys.executable, __file__, "--database", database, "--figures-json"]
        command += ["--documents", str(args.documents), "--searches", str(args.searches)]
        command += ["--verbose"] if args.verbose else []
        output = subprocess.run(command, capture_output=True, text=True, check=False)
        for line in output.stdout.splitlines():
            if line.startswith("FIGURES "):
                results[database] = json.loads(line.removeprefix("FIGURES "))
            else:
                print(line)
        if output.returncode:
            print(output.stderr[-3000:])
    for database, f in results.items():
        goal = "met" if f["p95"] < 100 else "NOT met"
        print(
            f"{database:>10}: p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms, max {f['max']:.1f} ms; "
            f"registry first page {f['baseline']:.2f} ms, search p50 / first page "
            f"{f['p50'] / f['baseline']:.1f}x (goal p95 < 100 ms: {goal})"
        )
    print(f"total {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
