"""Django's PostgreSQL backend that gives up on a server that does not answer.

A PostgreSQL server that is frozen (stopped, swapping, its disk hung) still accepts TCP: the
kernel acknowledges what is sent, so neither ``connect_timeout`` (new connections only),
TCP keepalives nor ``tcp_user_timeout`` notice it on a kept connection (``CONN_MAX_AGE``), and
``statement_timeout`` is enforced by the very server that is frozen. Every page then hung until
gunicorn killed its worker. Here the client keeps the time itself:

- the health check Django runs on a kept connection (``is_usable``, "SELECT 1") gives up after
  a second, so the connection is dropped and a new one is tried (which ``connect_timeout``
  bounds);
- while ``core.health.DatabaseDeadlineMiddleware`` serves a request, each query does the same
  and raises ``OperationalError``, which the site answers with its 503 page.

The clock is a SIGALRM timer, so it only runs in the main thread (gunicorn's sync workers, the
task worker); elsewhere (runserver's threads) queries wait as before. Management commands such
as ``migrate`` get no query limit: only web requests switch it on.
"""

import signal
import threading
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

# "SELECT 1" on a kept connection answers in a millisecond when the server is alive; giving up
# soon leaves the rest of DATABASE_ANSWER_TIMEOUT for a new connection.
HEALTH_CHECK_TIMEOUT = 1


class ServerNotAnswering(psycopg.OperationalError):
    """Raised when the server took longer than ``DATABASE_ANSWER_TIMEOUT`` to answer. A psycopg
    error, so that Django turns it into ``django.db.OperationalError`` and marks the connection
    as broken."""


@contextmanager
def answer_within(seconds):
    """Raise ``ServerNotAnswering`` in the block after ``seconds`` (no limit when it is falsy,
    off the main thread, or when another timer is already running)."""
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0]
    ):
        yield
        return

    def give_up(signum, frame):
        raise ServerNotAnswering(f"the database did not answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Seconds a query may wait for the server; set by DatabaseDeadlineMiddleware for the
        # length of a request.
        self.query_deadline = None
        self.execute_wrappers.append(self._within_query_deadline)

    def _within_query_deadline(self, execute, sql, params, many, context):
        with answer_within(self.query_deadline):
            return execute(sql, params, many, context)

    def is_usable(self):
        try:
            with answer_within(min(HEALTH_CHECK_TIMEOUT, settings.DATABASE_ANSWER_TIMEOUT)):
                return super().is_usable()
        except ServerNotAnswering:
            return False
