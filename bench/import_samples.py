"""Benchmark of the importer on the three sample issues.

    .venv/bin/python bench/import_samples.py [--runs 7]

It sets up a throwaway test database (in memory with SQLite), then for each sample times, over
several runs, and prints the median of:

- read: reading the file and NFC-normalising it, the floor any import pays;
- parse: reading and parsing it into items, news and captions, without the database;
- import: the whole import into a draft issue, in a transaction rolled back after each run so
  every run imports into an empty month.

and the ratios import/read and import/parse. The goal is an import under one second per sample.
Nothing is asserted: the figures are for people.
"""

import argparse
import unicodedata

from harness import Rollback, median_ms, sample_issues, setup_django, throwaway_test_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    args = parser.parse_args()

    setup_django("config.settings.test")
    from django.db import transaction

    from bulletin.importing import import_into_draft, parse_only

    with throwaway_test_database():
        print(
            f"{'sample':28} {'read ms':>8} {'parse ms':>9} {'import ms':>10} "
            f"{'import/read':>12} {'import/parse':>13}"
        )
        for path, when in sample_issues():

            def read(path=path):
                return unicodedata.normalize("NFC", path.read_bytes().decode("utf-8"))

            def parse_once(path=path, when=when):
                return parse_only(path.read_bytes(), filename=path.name, **when)

            def import_once(path=path, when=when):
                try:
                    with transaction.atomic():
                        import_into_draft(path.read_bytes(), filename=path.name, **when)
                        raise Rollback
                except Rollback:
                    pass

            import_once()  # warm-up: imports, regular expressions, the first queries
            read_ms = median_ms(read, args.runs)
            parse_ms = median_ms(parse_once, args.runs)
            import_ms = median_ms(import_once, args.runs)
            print(
                f"{path.name:28} {read_ms:8.2f} {parse_ms:9.2f} {import_ms:10.2f} "
                f"{import_ms / read_ms:11.0f}x {import_ms / parse_ms:12.1f}x"
                f"{'' if import_ms < 1000 else '   over the 1 s goal'}"
            )


if __name__ == "__main__":
    main()
