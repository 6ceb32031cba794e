"""Values of the shared cache kept in this process for as long as the cache vouches for them.

A member's page served from the page cache costs one read of the shared cache: the session and
the account (core/sessions.py). That read was the whole difference between a member's page and a
visitor's (README "Benchmarks"). Both change rarely, and when they change it matters at once: a
logout, a new password or a deactivation must hold at the member's next request, on every
server. So a copy is kept here only while the cache itself says nothing changed:

- Redis tracks the keys a connection reads and pushes an invalidation as soon as any client
  changes or deletes one of them (core/redis_cache.py, ``CLIENT TRACKING``);
- SQLite counts the commits other connections make to the file (core/db_cache.py,
  ``PRAGMA data_version``).

The process's own writes drop its copies directly. A copy is also never older than
``COPY_SECONDS``: the bound, should invalidations ever stop arriving unnoticed (a connection that
dies without a word), and how much longer than its expiry in the cache a value may be used.
"""

import time

COPY_SECONDS = 5
# Emptied when full: a copy only saves a round trip.
MAX_COPIES = 10_000


class LocalCopies:
    """Raw (serialized) values by cache key, each with the time it stops being used. The caller
    decodes a value at each use, so that whoever changes what they got never changes the copy."""

    def __init__(self):
        self._kept = {}

    def get_all(self, keys):
        """The raw values of every key in ``keys``, or None when any of them is not kept."""
        now = time.monotonic()
        values = {}
        for key in keys:
            kept = self._kept.get(key)
            if kept is None or kept[1] < now:
                return None
            values[key] = kept[0]
        return values

    def keep(self, values):
        if len(self._kept) + len(values) > MAX_COPIES:
            self._kept.clear()
        until = time.monotonic() + COPY_SECONDS
        for key, raw in values.items():
            self._kept[key] = (raw, until)

    def drop(self, keys):
        for key in keys:
            self._kept.pop(key, None)

    def clear(self):
        self._kept.clear()
