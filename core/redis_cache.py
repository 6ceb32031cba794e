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
"""

import os
import weakref

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

_clients_in_process = weakref.WeakSet()


class SingleConnectionRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pool_options.setdefault("retry", Retry(NoBackoff(), 1))
        self._clients = {}
        _clients_in_process.add(self)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool, single_connection_client=True)
            self._clients[id(pool)] = client
        return client


def _forget_inherited_clients():
    for cache_client in list(_clients_in_process):
        cache_client._clients = {}


os.register_at_fork(after_in_child=_forget_inherited_clients)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SingleConnectionRedisCacheClient
