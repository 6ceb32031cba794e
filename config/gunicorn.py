"""Gunicorn settings for the web container: `gunicorn --config config/gunicorn.py config.wsgi`.

Logs go to stdout, one JSON line per event (the same formatter as Django's), the access log
included, so `docker compose logs web` reads like the application's own log.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: the pages are short database reads; PDFs are rendered by the worker container.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows into an outage. Not too often: at 2000
# requests, a loaded server replaced each worker every 20 s or so, and each new one spent seconds
# of the two CPUs importing the site while the others waited (bench/load.py's mix: see README,
# Benchmarks).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The site is imported once, by the master, before the workers are forked: a new worker starts
# in milliseconds instead of importing Django and the apps again. Nothing opens a database
# connection at import, so no connection is shared between workers.
preload_app = True
# Containers' /tmp may be a slow overlay; the heartbeat file belongs in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No control socket: nothing here uses gunicornc, and several servers on one host would share it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# No query string: search terms are the readers' business.
access_log_format = (
    'client=%({x-forwarded-for}i)s method=%(m)s path="%(U)s" status=%(s)s '
    'bytes=%(B)s ms=%(M)s agent="%(a)s"'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "core.logs.OneLineFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
