"""A frozen PostgreSQL server (its processes stopped, so the kernel still accepts TCP) must look
like a down one: /healthz and pages answer 503 within 5 s, and the site comes back by itself.

Runs the production settings under gunicorn against a throwaway cluster of its own on a
loopback TCP port, and stops every process of that cluster with SIGSTOP.
"""

import contextlib
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

import pytest
from django.conf import settings
from django.db import connection

ROOT = settings.BASE_DIR
PGBIN = Path("/usr/lib/postgresql/15/bin")
PROMISED_SECONDS = 5

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the frozen-server test is about PostgreSQL connections: run the suite on "
        "PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.skipif(
        not (PGBIN / "initdb").exists() or os.geteuid() != 0 or not shutil.which("runuser"),
        reason="needs PostgreSQL 15 binaries and root (to run the cluster as postgres)",
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command, **options):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        check=True,
        capture_output=True,
        timeout=120,
        **options,
    )


@contextlib.contextmanager
def throwaway_cluster():
    """A cluster of its own, listening on a free TCP port of 127.0.0.1 (keepalives and TCP
    timeouts only apply to TCP); stopped and deleted whatever happens."""
    workdir = Path(tempfile.mkdtemp(prefix="frozen-pg-"))
    shutil.chown(workdir, "postgres")
    data, port = workdir / "data", free_port()
    try:
        as_postgres(
            PGBIN / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-k {workdir} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off"
        as_postgres(
            PGBIN / "pg_ctl", "-D", data, "-l", workdir / "log", "-w", "-o", options, "start"
        )
        as_postgres(PGBIN / "createdb", "-h", "127.0.0.1", "-p", port, "bantin")
        yield data, port
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PGBIN / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def cluster_processes(data):
    """The postmaster and every process it started."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [postmaster, *map(int, children)]


def get(url, timeout=20):
    """(status, seconds) of a GET; a timeout is status None."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (TimeoutError, urllib.error.URLError):
        status = None
    return status, time.monotonic() - start


def wait_for_200(base, paths, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(get(base + path, timeout=5)[0] == 200 for path in paths):
            return True
        time.sleep(0.3)
    return False


def test_a_frozen_database_gives_503_within_seconds_and_the_site_comes_back(tmp_path):
    with throwaway_cluster() as (data, pg_port):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "frozen-db-test-" + "k7Qz" * 15,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/bantin",
            "CONN_MAX_AGE": "600",  # kept connections: the case connect_timeout misses
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "LOG_LEVEL": "ERROR",
        }
        for name in (
            "REDIS_URL",
            "STORAGE_BACKEND",
            "MEDIA_ACCEL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        ):
            env.pop(name, None)
        collect = "--settings=tests.security.collect_static_settings"
        for command in (["migrate"], ["createcachetable"], ["collectstatic", "--noinput", collect]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
        web_port = free_port()
        base = f"http://127.0.0.1:{web_port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                "1",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        frozen = []
        try:
            assert wait_for_200(base, ["/healthz", "/"], 60), "the site never came up"

            frozen = cluster_processes(data)
            for pid in frozen:
                os.kill(pid, signal.SIGSTOP)
            health, health_seconds = get(base + "/healthz")
            page, page_seconds = get(base + "/")
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
            frozen = []

            assert (health, page) == (503, 503)
            assert health_seconds < PROMISED_SECONDS, health_seconds
            assert page_seconds < PROMISED_SECONDS, page_seconds
            assert wait_for_200(base, ["/healthz", "/"], 30), "the site did not come back"
        finally:
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
