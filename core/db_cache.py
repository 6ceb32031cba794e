"""Django's database cache, whose reads of sessions and accounts are kept in the process while
SQLite says no other connection has written (core/cache_copies.py).

SQLite counts the commits other connections make to the database file: ``PRAGMA data_version``
answers another number after any of them, from this process's other workers or from a command
run beside the site. Asking costs no read of the file. While it answers the same number on the
same connection, nothing in the cache table changed but what this process wrote itself, and its
own writes drop their keys. Any commit elsewhere drops every copy: writes are rare next to
readings, so the copies are read again seldom.

On PostgreSQL without Redis, :meth:`DatabaseCache.get_many_tracked` is ``get_many``: nothing
there says cheaply that nothing changed.
"""

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router

from .cache_copies import LocalCopies


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._copies = LocalCopies()
        # The SQLite connection and the data version the copies were read at. The connection
        # object itself, held: a new connection counts anew, and its id could be an old one's.
        self._read_at = None

    def get_many_tracked(self, keys, version=None):
        """``get_many``, answered from this process's copies while SQLite vouches for them."""
        connection = connections[router.db_for_read(self.cache_model_class)]
        if connection.vendor != "sqlite":
            return self.get_many(keys, version=version)
        connection.ensure_connection()
        sqlite = connection.connection
        read_at = (sqlite, sqlite.execute("PRAGMA data_version").fetchone()[0])
        if read_at != self._read_at:
            self._copies.clear()
            self._read_at = read_at
        # make_key: the callers' keys are the site's own (sessions, accounts), and validating
        # them for memcached's sake cost as much as the rest of a kept read.
        key_map = {self.make_key(key, version=version): key for key in keys}
        kept = self._copies.get_all(key_map)
        if kept is not None:
            # Pickled by this very class, just below.
            return {key_map[key]: pickle.loads(raw) for key, raw in kept.items()}  # noqa: S301
        found = self.get_many(keys, version=version)
        stored_as = {key: stored for stored, key in key_map.items()}
        self._copies.keep({stored_as[key]: pickle.dumps(value) for key, value in found.items()})
        return found

    # Every write of Django's database cache goes through these two, with the keys as stored.
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        self._copies.drop([key])
        return super()._base_set(mode, key, value, timeout)

    def _base_delete_many(self, keys):
        self._copies.drop(keys)
        return super()._base_delete_many(keys)

    def clear(self):
        self._copies.clear()
        return super().clear()
