"""Failed logins slow a guesser down without letting anyone lock other people out.

axes locks the pair (account, address): five wrong passwords for one member from the office lock
that member at the office, not the colleagues behind the same address, and not that member at
home. A per-address limit on login attempts (any account) slows down someone who tries many
accounts from one address.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from core import security
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.10"
HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, address, path=None):
    return client.post(
        path or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_failures_for_one_member_do_not_lock_a_colleague_at_the_same_address():
    make_user("dangvien_a", password="mat-khau-a")
    make_user("dangvien_b", password="mat-khau-b")
    guesser = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(guesser, "dangvien_a", "sai", OFFICE)
    assert login(guesser, "dangvien_a", "mat-khau-a", OFFICE).status_code == 429

    colleague = Client()
    response = login(colleague, "dangvien_b", "mat-khau-b", OFFICE)

    assert response.status_code == 302
    assert is_logged_in(colleague)


def test_failures_from_one_address_do_not_lock_the_account_at_another_address():
    make_user("lanhdao", password="mat-khau-lanh-dao")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "lanhdao", "doan-bua", HOME)
    assert login(attacker, "lanhdao", "mat-khau-lanh-dao", HOME).status_code == 429

    leader = Client()
    response = login(leader, "lanhdao", "mat-khau-lanh-dao", OFFICE)

    assert response.status_code == 302
    assert is_logged_in(leader)


def at(seconds):
    """Move the rate limit's clock."""
    return mock.patch.object(security.time, "time", return_value=seconds)


@override_settings(LOGIN_RATE_LIMIT=4, LOGIN_RATE_WINDOW=60, AXES_FAILURE_LIMIT=100)
@pytest.mark.parametrize("path", ["login", "admin"])
def test_too_many_attempts_from_one_address_get_a_429_until_the_window_passes(path):
    url = reverse("login") if path == "login" else reverse("admin:login")
    make_user("dangvien_c", password="mat-khau-c", is_staff=True)  # the admin wants staff
    client = Client()
    start = 60 * 16_000 + 20.0  # 20 s into a window
    with at(start):
        for number in range(4):
            # Different accounts: the limit is on the address, whatever the account.
            response = login(client, f"ai-do-{number}", "sai", OFFICE, url)
            assert response.status_code == 200

        refused = login(client, "dangvien_c", "mat-khau-c", OFFICE, url)

    assert refused.status_code == 429
    assert "Quá nhiều lần thử đăng nhập" in refused.content.decode()
    assert int(refused["Retry-After"]) == 40
    assert not is_logged_in(client)

    with at(start + 15):
        # Another address is not slowed down by this one.
        other = Client()
        assert login(other, "dangvien_c", "mat-khau-c", HOME, url).status_code == 302
        assert login(client, "dangvien_c", "mat-khau-c", OFFICE, url).status_code == 429

    with at(start + 41):
        response = login(client, "dangvien_c", "mat-khau-c", OFFICE, url)

    assert response.status_code == 302
    assert is_logged_in(client)


@override_settings(LOGIN_RATE_LIMIT=2, LOGIN_RATE_WINDOW=60)
def test_reading_the_login_page_is_not_an_attempt(client):
    for _ in range(5):
        assert client.get(reverse("login"), REMOTE_ADDR=OFFICE).status_code == 200
