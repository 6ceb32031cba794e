"""The Redis cache keeps one client on one connection per process and thread
(core/redis_cache.py): still right after a fork and after the server drops the connection.

Needs TEST_REDIS_URL (.ci/run starts a throwaway Redis); skipped without it."""

import os
import uuid

import pytest

from core.redis_cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="TEST_REDIS_URL is not set (.ci/run starts a throwaway Redis)"
)


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_a_forked_worker_never_reads_its_parents_replies(redis_cache):
    """gunicorn forks its workers after loading the site: a connection the parent opened must
    not be shared, or each process would read replies meant for the other."""
    redis_cache.set("whose", "parent")
    assert redis_cache.get("whose") == "parent"  # the parent's connection is open
    child = os.fork()
    if child == 0:  # the worker: its own values, many times, while the parent reads too
        try:
            redis_cache.set("child-key", "child")
            ok = all(redis_cache.get("child-key") == "child" for _ in range(2000))
        except Exception:  # noqa: BLE001 - any failure is the child's exit code
            ok = False
        os._exit(0 if ok else 1)
    parent_reads = [redis_cache.get("whose") for _ in range(2000)]
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert set(parent_reads) == {"parent"}


def test_a_connection_the_server_dropped_is_made_again(redis_cache):
    import redis

    redis_cache.set("kept", "value")
    admin = redis.Redis.from_url(REDIS_URL)
    # Every other client's connection is closed, as a Redis restart or an idle timeout does.
    assert admin.client_kill_filter(_type="normal", skipme=True) >= 1
    assert redis_cache.get("kept") == "value"
    admin.close()


def test_operations_share_one_client(redis_cache):
    """What the class exists for: no new redis.Redis (and its table of reply callbacks) per
    operation."""
    client = redis_cache._cache.get_client()
    redis_cache.set("a", 1)
    redis_cache.get_many(["a", "b"])
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client("a", write=True) is client
