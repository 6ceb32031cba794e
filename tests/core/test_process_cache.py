"""The process's own memos (core/process_cache.py): Django's local-memory cache, values handed
back as stored instead of unpickled afresh, with the same expiry and the same size bound."""

import uuid

from django.core.cache.backends import locmem

from core.process_cache import ProcessMemoryCache


def memo(**options):
    return ProcessMemoryCache(f"test-{uuid.uuid4().hex}", {"OPTIONS": options})


def test_a_page_comes_back_as_stored_without_a_copy():
    cache = memo()
    page = {"pieces": [b"<html>" * 10_000], "gaps": [], "headers": {}}
    cache.set("page", page)
    assert cache.get("page") is page
    assert cache.add("page", "other") is False
    assert cache.get("missing", "default") == "default"


def test_values_expire_as_in_django_local_memory_cache(monkeypatch):
    cache = memo()
    now = [1_000_000.0]
    monkeypatch.setattr(locmem.time, "time", lambda: now[0])
    cache.set("reading", "10:00", timeout=60)
    now[0] += 59
    assert cache.get("reading") == "10:00"
    now[0] += 2
    assert cache.get("reading") is None
    assert cache.add("reading", "10:01", timeout=60) is True
    assert cache.get("reading") == "10:01"


def test_the_process_keeps_at_most_max_entries():
    cache = memo(MAX_ENTRIES=10, CULL_FREQUENCY=2)
    for n in range(25):
        cache.set(f"page-{n}", n)
    kept = [n for n in range(25) if cache.get(f"page-{n}") is not None]
    assert 0 < len(kept) <= 10
    assert 24 in kept  # the newest stays


def test_counters_still_count():
    cache = memo()
    cache.set("count", 1)
    assert cache.incr("count", 2) == 3
    assert cache.get("count") == 3
