"""Search latency on PostgreSQL with a large registry: p50 and p95 of ~200 searches.

    .venv/bin/python bench/search_pg.py [--documents 100000] [--searches 200]

Starts a throwaway PostgreSQL 15 cluster in a temporary folder as the postgres user (run as
root; Unix socket only, no TCP), migrates (the ``bantin`` text search configuration and the GIN
indexes of bulletin/migrations/0003_search.py and documents/migrations/0002_search.py), generates
documents with realistic Vietnamese subjects with bulk_create, then times core.search.search
for queries typed without diacritics, some with typos, as a staff user who sees the whole
registry. Prints p50/p95 (goal: p95 < 100 ms). The cluster is stopped and deleted at the end.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
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
    from core.richtext import fold
    from documents.models import Document, DocumentType, Issuer

    issuers = [Issuer.objects.get_or_create(name=name)[0] for name in ISSUERS]
    labels = dict(DocumentType.choices)
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
        # bulk_create skips save(): the folded search text is computed here the same way.
        document.search_text = fold(f"{labels[doc_type]} {number} {subject}  {issuer.name}")
        batch.append(document)
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--verbose", action="store_true", help="median time of each query")
    args = parser.parse_args()
    if not (PGBIN / "initdb").exists():
        raise SystemExit(f"PostgreSQL 15 is not installed in {PGBIN}")
    tmp = Path(tempfile.mkdtemp(prefix="bantin-search-pg-"))
    started = time.monotonic()
    try:
        start_cluster(tmp)
        os.environ["DATABASE_URL"] = f"postgres://postgres@/bantin_bench?host={tmp}"
        setup_django("config.settings.test")
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection

        from core.search import search

        call_command("migrate", verbosity=0)
        rng = random.Random(2024)
        t0 = time.monotonic()
        generate(args.documents, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"{args.documents} documents generated in {time.monotonic() - t0:.1f}s")
        staff = get_user_model().objects.create_superuser("bench", "b@example.com", "x")
        timings, counts, by_query = [], [], {}
        for _ in range(5):  # warm up
            search(rng.choice(QUERIES), staff)
        for n in range(args.searches):
            query = QUERIES[n % len(QUERIES)]
            t = time.perf_counter()
            results = search(query, staff)
            timings.append((time.perf_counter() - t) * 1000)
            by_query.setdefault(query, []).append(timings[-1])
            counts.append(len(results))
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        found = sum(1 for c in counts if c)
        print(f"{args.searches} searches ({len(QUERIES)} distinct queries, {found} with results)")
        if args.verbose:
            for query, values in sorted(by_query.items(), key=lambda item: -max(item[1])):
                print(f"  {query!r}: median {statistics.median(values):.1f} ms")
        print(
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
            f"(goal p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'})"
        )
    finally:
        stop_cluster(tmp)
        subprocess.run(["rm", "-rf", str(tmp)], check=False)
        print(f"total {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
