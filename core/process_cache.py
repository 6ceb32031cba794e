"""Django's local-memory cache without pickling, for the memos that live in one process only:
reader pages under keys that never go stale (core/pagecache.py), a reader's audience parts, the
readings written lately (members/signals.py).

Django's LocMemCache pickles every value it stores and unpickles it at every read, so that a
caller who changes what it got never changes the cache. These values are never changed: a page is
joined into a new response, the others are strings and datetimes. Pickling cost every cached page
an unpickling of up to 100 KB and a check of its key for memcached's sake, at every request.
Values stored here must be treated as read-only by whoever gets them.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ProcessMemoryCache(LocMemCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value
