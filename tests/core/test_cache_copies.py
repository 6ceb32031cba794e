"""Sessions and accounts kept in the process while the shared cache vouches for them
(core/cache_copies.py): a change made by any other server or process is read at the next
request, and a kept value costs no round trip.

Redis (core/redis_cache.py) needs TEST_REDIS_URL, which .ci/run starts; SQLite (core/db_cache.py)
runs in a process of its own with the production settings on a database file."""

import os
import textwrap
import uuid

import pytest

from core.redis_cache import RedisCache
from tests.test_deploy import PROD_ENV, run_with_prod_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="TEST_REDIS_URL is not set (.ci/run starts a throwaway Redis)"
)


@pytest.fixture
def servers():
    """This process's cache and another app server's, on the same Redis."""
    prefix = f"test-{uuid.uuid4().hex}"
    here = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    elsewhere = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield here, elsewhere
    here.clear()


def wait_for_message(cache):
    """Until Redis's message reaches the process (at most a second). Redis writes it just after
    the reply to the write: another server's browser is never that quick, this test can be."""
    cache._cache._tracked._poller.poll(1000)


def mget_calls():
    import redis

    admin = redis.Redis.from_url(REDIS_URL)
    try:
        return int(admin.info("commandstats").get("cmdstat_mget", {}).get("calls", 0))
    finally:
        admin.close()


@needs_redis
def test_a_kept_value_costs_no_round_trip_and_a_change_elsewhere_shows_at_the_next_read(servers):
    here, elsewhere = servers
    elsewhere.set_many({"session": {"user": "1"}, "account": {"active": True}})
    assert here.get_many_tracked(["session", "account"]) == {
        "session": {"user": "1"},
        "account": {"active": True},
    }
    before = mget_calls()
    for _ in range(50):
        assert here.get_many_tracked(["session", "account"])["account"] == {"active": True}
    assert mget_calls() == before

    elsewhere.set("account", {"active": False})  # deactivated on another server
    wait_for_message(here)
    assert here.get_many_tracked(["session", "account"])["account"] == {"active": False}
    elsewhere.delete("session")  # logged out on another server
    wait_for_message(here)
    assert here.get_many_tracked(["session", "account"]) == {"account": {"active": False}}


@needs_redis
def test_a_kept_value_is_a_fresh_object_each_time(servers):
    here, elsewhere = servers
    elsewhere.set("session", {"user": "1"})
    here.get_many_tracked(["session"])["session"]["user"] = "2"  # as a view changing a session
    assert here.get_many_tracked(["session"]) == {"session": {"user": "1"}}


@needs_redis
def test_the_process_own_write_shows_before_redis_says_so(servers):
    here, _ = servers
    here.set("session", "before")
    assert here.get_many_tracked(["session"]) == {"session": "before"}
    # Redis's message about this process's own write may come after its next read: here it
    # never comes.
    tracked = here._cache._tracked._connection
    tracked._parser.set_invalidation_push_handler(lambda message: None)
    here.set("session", "after")
    assert here.get_many_tracked(["session"]) == {"session": "after"}
    here.delete("session")
    assert here.get_many_tracked(["session"]) == {}


@needs_redis
def test_what_was_kept_over_a_lost_connection_is_read_again(servers):
    """While the connection is down Redis can say nothing: whatever changed meanwhile is read."""
    import redis

    here, elsewhere = servers
    elsewhere.set("account", "old")
    assert here.get_many_tracked(["account"]) == {"account": "old"}
    admin = redis.Redis.from_url(REDIS_URL)
    assert admin.client_kill_filter(_type="normal", skipme=True) >= 1  # as a Redis restart
    elsewhere.set("account", "new")
    assert here.get_many_tracked(["account"]) == {"account": "new"}
    admin.flushdb()  # Redis forgets everything: so does the process
    wait_for_message(here)
    assert here.get_many_tracked(["account"]) == {}
    admin.close()


@needs_redis
def test_a_forked_worker_keeps_its_own_tracked_connection(servers):
    here, elsewhere = servers
    elsewhere.set_many({"whose": "parent", "child-key": "child"})
    assert here.get_many_tracked(["whose"]) == {"whose": "parent"}  # the parent's is open
    child = os.fork()
    if child == 0:
        try:
            ok = all(
                here.get_many_tracked(["child-key"]) == {"child-key": "child"} for _ in range(500)
            )
        except Exception:  # noqa: BLE001 - any failure is the child's exit code
            ok = False
        os._exit(0 if ok else 1)
    parent_reads = [here.get_many_tracked(["whose"]) for _ in range(500)]
    elsewhere.set("whose", "changed")
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert all(read == {"whose": "parent"} for read in parent_reads)
    wait_for_message(here)
    assert here.get_many_tracked(["whose"]) == {"whose": "changed"}


@needs_redis
def test_a_redis_that_cannot_track_is_read_as_django_does(servers, monkeypatch, caplog):
    """Redis before 6 answers HELLO 3 with an error; an ACL may forbid CLIENT TRACKING."""
    from redis.exceptions import ResponseError

    from core.redis_cache import TrackedReads

    attempts = []

    def refuse(self, connection):
        attempts.append(connection)
        raise ResponseError("ERR unknown command 'HELLO'")

    monkeypatch.setattr(TrackedReads, "_on_connect", refuse)
    here, elsewhere = servers
    elsewhere.set("session", "kept?")
    assert here.get_many_tracked(["session"]) == {"session": "kept?"}
    elsewhere.set("session", "read again")
    assert here.get_many_tracked(["session"]) == {"session": "read again"}
    assert len(attempts) == 1  # asked once, not at every request
    assert "Redis refused tracking" in caplog.text


SQLITE_SCRIPT = textwrap.dedent(
    """
    import sqlite3
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("createcachetable", verbosity=0)
    cache.set_many({"session": {"user": "1"}, "account": {"active": True}})
    assert cache.get_many_tracked(["session", "account"])["account"] == {"active": True}
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            kept = cache.get_many_tracked(["session", "account"])
            kept["session"]["user"] = "2"  # as a view changing its session
    assert kept["account"] == {"active": True}, kept
    assert not [q for q in queries if "django_cache" in q["sql"]], queries.captured_queries
    assert cache.get_many_tracked(["session"]) == {"session": {"user": "1"}}

    # Another process writes the file (another worker, a command beside the site).
    other = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    other.execute("DELETE FROM django_cache WHERE cache_key LIKE '%session'")
    other.commit()
    assert cache.get_many_tracked(["session", "account"]) == {"account": {"active": True}}

    cache.set("account", {"active": False})  # this process's own write
    assert cache.get_many_tracked(["account"]) == {"account": {"active": False}}
    print("checked")
    """
)


def test_sqlite_keeps_values_until_another_connection_writes_the_file(tmp_path):
    result = run_with_prod_settings(
        SQLITE_SCRIPT, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", **PROD_ENV
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "checked" in result.stdout
