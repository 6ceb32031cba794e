"""Django's Redis cache, with one client and connection per process and thread.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every cache operation, and building one fills its table of a few hundred reply callbacks;
each command then takes a connection from the pool and checks it (a ``getpid`` and a ``poll``
system call) before sending. Together that was more CPU than the round trip itself (README
"Benchmarks"), paid twice on every member's page. Django gives each thread its own cache
object, so each keeps one client on one connection of its own. A forked child (gunicorn's
workers after ``preload_app``) drops the clients it inherited: sharing the parent's socket would
mix two processes' replies.

The pool checked each connection before lending it, so a connection the server had closed (a
Redis restart, an idle timeout) was made again unnoticed. One kept connection learns it only
when a command fails: that command is sent once more on a new connection (redis-py's
``Retry``), unless the settings give a retry policy of their own.

Sessions and accounts are read through :meth:`RedisCache.get_many_tracked`: on a second
connection that Redis tracks (``CLIENT TRACKING``, RESP3), so that the values read are kept in
the process until Redis says a key changed (core/cache_copies.py).
"""

import logging
import os
import select
import weakref

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.retry import Retry

from .cache_copies import LocalCopies

logger = logging.getLogger(__name__)

_clients_in_process = weakref.WeakSet()


class TrackedReads:
    """Reads on a connection of its own that Redis tracks: Redis remembers the keys read on it and
    pushes an ``invalidate`` message on it as soon as any client changes, deletes or expires one
    of them (or ``null`` when it forgets what it tracked, as after FLUSHALL). The values read are
    kept until then; before a kept value is used, the messages already arrived are read, which
    costs one ``poll`` system call when there are none.

    A message for a change made elsewhere arrives with that change's reply, long before the
    browser that made the change can ask another server anything. The process's own writes drop
    their keys directly (``SingleConnectionRedisCacheClient``): its next read may come before the
    message."""

    def __init__(self, pool):
        self._connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        # Redis tracks per connection: each new connection (redis-py reconnects by itself after
        # an error) is told to track, and what was kept before it is no longer vouched for.
        self._connection.register_connect_callback(self._on_connect)
        self._poller = None
        self.copies = LocalCopies()
        self.refused = False

    def _on_connect(self, connection):
        self.copies.clear()
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        connection._parser.set_invalidation_push_handler(self._on_invalidation)
        self._poller = select.poll()
        self._poller.register(connection._sock, select.POLLIN)

    def _on_invalidation(self, message):
        keys = message[1]
        if keys is None:
            self.copies.clear()
        else:
            self.copies.drop(key.decode() if isinstance(key, bytes) else key for key in keys)

    def get_many(self, keys):
        """The raw values of the keys found, kept or read now. A connection the server closed
        (a restart, an idle timeout) is made again once, as the cache's other commands do."""
        try:
            return self._get_many(keys)
        except RedisConnectionError:
            return self._get_many(keys)

    def _get_many(self, keys):
        connection = self._connection
        try:
            if connection._sock is None:
                connection.connect()
            while self._poller.poll(0):
                connection.read_response(push_request=True)
            kept = self.copies.get_all(keys)
            if kept is not None:
                return kept
            connection.send_command("MGET", *keys)
            values = connection.read_response()
        except (RedisError, OSError):
            # Whatever arrived or not, the copies are no longer vouched for.
            self.copies.clear()
            connection.disconnect()
            raise
        found = {key: value for key, value in zip(keys, values, strict=True) if value is not None}
        self.copies.keep(found)
        return found


class SingleConnectionRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pool_options.setdefault("retry", Retry(NoBackoff(), 1))
        self._clients = {}
        self._tracked = None
        _clients_in_process.add(self)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool, single_connection_client=True)
            self._clients[id(pool)] = client
        return client

    def get_many_tracked(self, keys):
        if self._tracked is None:
            # The primary, which every write reaches first.
            self._tracked = TrackedReads(self._get_connection_pool(write=True))
        if self._tracked.refused:
            return self.get_many(keys)
        try:
            found = self._tracked.get_many(keys)
        except ResponseError as error:
            # A server that cannot track (Redis before 6 has no RESP3; an ACL may forbid
            # CLIENT): this process reads as Django does, and says so once.
            self._tracked.refused = True
            logger.warning("Redis refused tracking (%s): sessions are read at each request", error)
            return self.get_many(keys)
        return {key: self._serializer.loads(value) for key, value in found.items()}

    def _forget_copies(self, keys):
        if self._tracked is not None:
            self._tracked.copies.drop(keys)

    def add(self, key, value, timeout):
        self._forget_copies([key])
        return super().add(key, value, timeout)

    def set(self, key, value, timeout):
        self._forget_copies([key])
        return super().set(key, value, timeout)

    def touch(self, key, timeout):
        self._forget_copies([key])
        return super().touch(key, timeout)

    def delete(self, key):
        self._forget_copies([key])
        return super().delete(key)

    def incr(self, key, delta):
        self._forget_copies([key])
        return super().incr(key, delta)

    def set_many(self, data, timeout):
        self._forget_copies(data)
        return super().set_many(data, timeout)

    def delete_many(self, keys):
        self._forget_copies(keys)
        return super().delete_many(keys)

    def clear(self):
        if self._tracked is not None:
            self._tracked.copies.clear()
        return super().clear()


def _forget_inherited_clients():
    for cache_client in list(_clients_in_process):
        cache_client._clients = {}
        cache_client._tracked = None


os.register_at_fork(after_in_child=_forget_inherited_clients)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SingleConnectionRedisCacheClient

    def get_many_tracked(self, keys, version=None):
        """``get_many``, answered from this process's copies while Redis vouches for them."""
        # make_key: the callers' keys are the site's own (core/db_cache.py says why).
        key_map = {self.make_key(key, version=version): key for key in keys}
        found = self._cache.get_many_tracked(list(key_map))
        return {key_map[key]: value for key, value in found.items()}
