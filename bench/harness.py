"""What the benches under bench/ share, so that each script holds only what it measures.

Not a bench: run the scripts next to it (``.venv/bin/python bench/<name>.py`` from the project
root). Python puts bench/ first on sys.path for them, which is how ``import harness`` resolves;
:func:`setup_django` adds the project root so that the apps and ``config`` import as well.

Three groups:

- in-process timings (import_samples.py, pdf.py; search_pg.py uses setup_django):
  :func:`setup_django`, :func:`throwaway_test_database`, :class:`Rollback`, :func:`median_ms`,
  :func:`sample_issues`;
- a throwaway site served by gunicorn on loopback (load.py, site_rps.py):
  :func:`production_environment`, :func:`build_site`, :func:`free_port`,
  :func:`start_gunicorn`, :func:`wait_until_up`, :func:`stop_process`;
- driving it with wrk (load.py, site_rps.py): :func:`run_wrk`.
"""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


# In-process timings -------------------------------------------------------------------------


def setup_django(settings_module):
    """Set up Django with ``settings_module`` from a script started as ``python bench/x.py``.

    Python only put bench/ on sys.path; the project root is needed for ``config`` and the apps.
    The module goes into the environment, so that a server started afterwards (gunicorn) uses
    the same settings.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()


@contextmanager
def throwaway_test_database():
    """The test databases of the settings (config.settings.test: SQLite in memory) for the
    length of the block, and a temporary folder for the files the code under test writes.

    config.settings.test puts media in .test-media/<pid>, which only the test suite's fixtures
    delete, and the PDF image cache would be a new folder of /tmp: both are pointed into a
    folder deleted at the end, like the databases.
    """
    from django.test.utils import override_settings, setup_databases, teardown_databases

    folder = Path(tempfile.mkdtemp(prefix="bantin-bench-"))
    try:
        with override_settings(
            MEDIA_ROOT=str(folder / "media"), BULLETIN_PDF_IMAGE_CACHE=str(folder / "pdf-images")
        ):
            old_config = setup_databases(verbosity=0, interactive=False)
            try:
                yield
            finally:
                teardown_databases(old_config, verbosity=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Rollback(Exception):
    """Raised at the end of a ``transaction.atomic()`` block to undo what a run wrote, so that
    every run starts from the same database."""


def median_ms(function, runs):
    """Median wall-clock time of ``runs`` calls of ``function``, in milliseconds.

    The median rather than the mean: on a shared machine a few runs are slowed by others.
    """
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def sample_issues():
    """The sample issues of samples/manifest.json: (path, {"month": ..., "year": ...}) pairs.

    The manifest gives the month and year that most sample files do not print; keys starting
    with "_" are comments.
    """
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    return [(SAMPLES / name, when) for name, when in manifest.items() if not name.startswith("_")]


# A throwaway site on loopback ---------------------------------------------------------------


def production_environment(workdir, database_url=None, redis_url=None):
    """Environment of the production settings, adapted to a loopback run without TLS.

    Everything the site writes (the SQLite database unless ``database_url`` is given, media,
    collected static files, and through TMPDIR the temporary files of the server, such as the
    PDF image cache) goes into ``workdir``, which the caller deletes at the end. The
    variables that would reach shared services (Redis, object storage, X-Accel-Redirect behind
    nginx) are removed, except Redis when ``redis_url`` names a throwaway one (its database is
    emptied first). DJANGO_SETTINGS_MODULE is left to :func:`build_site`.
    """
    os.environ.update(
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
        TMPDIR=str(workdir / "tmp"),
    )
    (workdir / "tmp").mkdir(exist_ok=True)
    tempfile.tempdir = None  # this process too: gettempdir() reads TMPDIR again
    for name in ("REDIS_URL", "STORAGE_BACKEND", "MEDIA_ACCEL_REDIRECT"):
        os.environ.pop(name, None)
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()  # nothing of an earlier run may answer
        os.environ["REDIS_URL"] = redis_url


def build_site(settings_module):
    """Set up Django, then migrate, create the cache table and collect the static files: what a
    deployment does before the first request. The caller loads its own data afterwards."""
    setup_django(settings_module)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def free_port():
    """A TCP port of 127.0.0.1 free right now, for the server to bind."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(arguments, log_path, env=None):
    """Start ``python -m gunicorn *arguments`` in the project root, its output into
    ``log_path``, in a session of its own so that :func:`stop_process` stops its workers too."""
    with open(log_path, "w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *arguments],
            cwd=ROOT,
            env=env if env is not None else os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(base, path, process, timeout=60):
    """Wait until ``base + path`` answers 200, failing early if the server exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + path, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {path} in time")


def stop_process(process, timeout):
    """Stop a server started by :func:`start_gunicorn` and its workers: SIGTERM to its process
    group, SIGKILL if it is still there after ``timeout`` seconds. None or exited: nothing."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# Driving it with wrk ------------------------------------------------------------------------

# wrk's own summary leaves out the status codes; this script counts the answers outside 2xx and
# the 5xx, and prints one JSON line that run_wrk reads instead of parsing wrk's text.
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
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, ' ..
    '"non2xx": %d, "s5xx": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    n, f, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


MIX_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def run_wrk(url, folder, *, threads, connections, duration, timeout=None, cookie=None, paths=None):
    """Run wrk on ``url`` for ``duration`` seconds and return its figures as a dict.

    Keys: requests, duration_us, rps, socket_errors (connect, read, write, timeout),
    status_errors (wrk's "Non-2xx or 3xx responses": status >= 400), non2xx, s5xx, and the
    latency p50_us, p95_us, p99_us, max_us. The Lua script is written into ``folder`` (the
    caller's throwaway folder). ``timeout`` is wrk's per-request timeout (wrk's default, 2 s,
    when None). ``paths``: a mix, each connection requesting them in turn (``url`` then only
    gives the server). wrk itself is stopped if it overruns by a minute.
    """
    script = Path(folder) / ("wrk-mix.lua" if paths else "wrk-count.lua")
    mix = MIX_SCRIPT % ", ".join(json.dumps(path) for path in paths) if paths else ""
    script.write_text(mix + WRK_SCRIPT)
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--latency",
        f"--script={script}",
    ]
    if timeout is not None:
        command.append(f"--timeout={timeout}s")
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line.removeprefix("BENCH "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result
