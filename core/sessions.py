"""Sessions as Django's ``cached_db`` engine keeps them, read together with their account.

A member's page served from the page cache (core/pagecache.py) needs two things from the shared
cache: the session (who is logged in) and the account (core/auth.py: still active, same
password, which permissions). Read one after the other they were two round trips to Redis, the
largest cost of such a page (README "Benchmarks"). A session key belongs to one account for its
whole life: logging in gives a new key, logging out or in as someone else another. So once
this process has seen which account a key belongs to, its next loads ask for the session and
that account in one request, which the cache answers from the process's own copies while they
are still the cache's values (core/cache_copies.py). The owner remembered is only a hint: the
account is kept only when the session still names it, and the backend uses a copy only for the
id it was asked for (core.auth.CachedModelBackend).
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

from .auth import account_cache_key

# Session key -> the account id it names, for the sessions this process has served. Emptied
# when full: the hint only saves a round trip.
_owners = {}
MAX_OWNERS = 20_000


class SessionStore(CachedDbSessionStore):
    # The cached copy of the session's account read with it (core.auth), or None.
    account_read_with = None

    def load(self):
        owner = _owners.get(self.session_key)
        data = None
        if owner is not None:
            account_key = account_cache_key(owner)
            # The site's cache backends keep both in the process while the cache vouches for
            # them (core/cache_copies.py); any other backend reads them.
            read = getattr(self._cache, "get_many_tracked", self._cache.get_many)
            try:
                found = read([self.cache_key, account_key])
            except Exception:  # noqa: BLE001 - as cached_db's own load: the database answers
                found = {}
            data = found.get(self.cache_key)
            if data is not None and data.get(SESSION_KEY) == owner:
                self.account_read_with = found.get(account_key)
        if data is None:
            data = super().load()
        owner = data.get(SESSION_KEY)
        if owner is not None and self.session_key not in _owners:
            if len(_owners) >= MAX_OWNERS:
                _owners.clear()
            _owners[self.session_key] = owner
        return data
