"""Benchmark of the Word reader's limits: a zip bomb against a normal issue typed in Word.

    .venv/bin/python bench/word_limits.py [--inflated-mb 1536]

Builds, in this process, a .docx whose document.xml inflates to ``--inflated-mb`` (1.5 GB by
default, about 1.5 MB on disk) and sample 002 typed the way office staff type it (with its
pictures). Each is then read by ``read_word_lines`` in a fresh child process, so that the peak
resident memory (``resource.getrusage``) of one does not hide the other; the child reports its
resident memory after Django's setup, its peak, the peak of Python's own allocations during
the read (``tracemalloc``; lxml's C memory shows only in the resident figure) and the wall
time of the read.

Printed: for each file its size, the outcome (lines read, or the refusal), the time, the memory
the read added to the process (peak minus the memory after setup), and the ratios bomb/normal.
The goal: the bomb refused within 10 s and under 500 MB of peak memory on a 2 GB server.
Nothing is asserted: the figures are for people.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from harness import SAMPLES, setup_django


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path):
    """Read one file and print the figures as JSON on stdout."""
    setup_django("config.settings.test")
    from bulletin.importing import ImportRefused
    from bulletin.importing.word import read_word_lines

    data = Path(path).read_bytes()
    before = peak_rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = f"{len(read_word_lines(data))} lines"
    except ImportRefused as exc:
        outcome = f"refused: {str(exc)[:60]}"
    seconds = time.perf_counter() - start
    python_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    figures = {"outcome": outcome, "seconds": seconds, "before": before, "peak": peak_rss_mb()}
    print(json.dumps({**figures, "python_peak": python_peak}))


def build_files(folder, inflated_mb):
    setup_django("config.settings.test")
    from bulletin.importing import parse_only
    from tests.bulletin.importing.hostile.files import zip_bomb
    from tests.bulletin.importing.staff_docx import staff_docx

    name = "002_c75a862ff3ffb303.txt"
    parsed = parse_only((SAMPLES / name).read_text(encoding="utf-8"), filename=name)
    normal = Path(folder, "normal.docx")
    normal.write_bytes(staff_docx(parsed, month=6, year=2024))
    bomb = Path(folder, "bomb.docx")
    bomb.write_bytes(zip_bomb(inflated_mb * 1024 * 1024))
    return {"normal": normal, "bomb": bomb}


def measure(path):
    finished = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inflated-mb", type=int, default=1536, help="the bomb's inflated size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        files = build_files(folder, args.inflated_mb)
        figures = {kind: measure(path) for kind, path in files.items()}
        sizes = {kind: path.stat().st_size for kind, path in files.items()}
    print(
        f"{'file':8} {'size KB':>8} {'read s':>8} {'RSS added MB':>13} {'RSS peak MB':>12} "
        f"{'Python peak MB':>15}  outcome"
    )
    for kind, figure in figures.items():
        added = figure["peak"] - figure["before"]
        print(
            f"{kind:8} {sizes[kind] / 1024:8.0f} {figure['seconds']:8.3f} {added:13.1f} "
            f"{figure['peak']:12.1f} {figure['python_peak']:15.2f}  {figure['outcome']}"
        )
    bomb, normal = figures["bomb"], figures["normal"]
    time_ratio = bomb["seconds"] / max(normal["seconds"], 1e-6)
    memory_ratio = bomb["python_peak"] / max(normal["python_peak"], 0.01)
    print(f"ratio bomb/normal: time {time_ratio:.2f}, Python peak memory {memory_ratio:.2f}")


if __name__ == "__main__":
    main()
