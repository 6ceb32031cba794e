"""A member's session and account come from the cache in one read (core/sessions.py), and the
account read with a session is only ever used for the account that session names."""

from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from core import sessions
from tests.factories import make_user
from tests.site_data import build_site

pytestmark = pytest.mark.django_db


def logged_in(username):
    browser = Client()
    response = browser.post("/login/", {"username": username, "password": "pw-for-tests"})
    assert response.status_code == 302
    return browser


def page(browser, url="/thanh-uy/issues/"):
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cache_reads_of(browser, url="/thanh-uy/issues/"):
    """The shared cache's reads (get, get_many) made by one page, as (method, keys)."""
    reads = []
    inside_get_many = []  # the test cache's get_many asks get() for each key: one read still
    get, get_many = cache.get, cache.get_many

    def counted_get(key, *args, **kwargs):
        if not inside_get_many:
            reads.append(("get", [key]))
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        reads.append(("get_many", list(keys)))
        inside_get_many.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    with (
        mock.patch.object(cache, "get", counted_get),
        mock.patch.object(cache, "get_many", counted_get_many),
    ):
        page(browser, url)
    return reads


def test_a_members_next_page_reads_session_and_account_in_one_request():
    build_site()
    make_user("nguyenvana", group="Đảng viên")
    browser = logged_in("nguyenvana")
    page(browser)  # the session's account now known to this process

    reads = [read for read in cache_reads_of(browser) if not read[1][0].startswith("pages:")]
    assert len(reads) == 1
    method, keys = reads[0]
    assert method == "get_many"
    assert any(key.startswith("auth:user:") for key in keys)
    assert any(browser.cookies["sessionid"].value in key for key in keys)


@pytest.mark.parametrize("cached", [True, False], ids=["session-in-cache", "session-from-table"])
def test_an_account_read_with_a_session_serves_only_the_account_the_session_names(cached):
    """Whatever the process remembered of a session key, the session's own account is the one
    logged in: here the key is made to name another member after the process saw it."""
    build_site()
    first = make_user("nguyenvana", group="Đảng viên")
    second = make_user("tranthib", group="Đảng viên")
    browser = logged_in("nguyenvana")
    assert "nguyenvana" in page(browser, "/logout/")
    key = browser.cookies["sessionid"].value
    assert sessions._owners[key] == str(first.pk)

    # The same key now holds a session of the second member (both copies: cache and table).
    other = logged_in("tranthib")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    data = store(other.cookies["sessionid"].value).load()
    assert data[SESSION_KEY] == str(second.pk)
    hijacked = store(key)
    hijacked._session_cache = data
    hijacked.save()
    if not cached:
        cache.delete(hijacked.cache_key)  # read from the table, as after a cache restart

    assert "tranthib" in page(browser, "/logout/")
    assert "nguyenvana" not in page(browser, "/logout/")
