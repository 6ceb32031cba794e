"""Security headers on the site and the admin, and the lockout after repeated failed logins."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from core.security import client_ip
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: sources.split()
        for name, _, sources in (part.strip().partition(" ") for part in policy.split(";"))
    }


def test_the_site_sends_a_strict_content_security_policy(client):
    response = client.get(reverse("bulletin:home"))

    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_admin_allows_only_what_ckeditor_needs(admin_client):
    response = admin_client.get("/" + settings.ADMIN_URL)

    assert response.status_code == 200
    csp = directives(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "blob:" in csp["img-src"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/login/"])
def test_every_page_forbids_framing_sniffing_and_leaking_the_referrer(client, path):
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_with_production_settings_https_is_enforced_and_cookies_are_secure(client):
    make_user("dangvien1", password="dung-mat-khau")

    plain = client.get("/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/login/"

    form = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert form["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert form.cookies["csrftoken"]["secure"]

    logged_in = client.post(
        "/login/",
        {"username": "dangvien1", "password": "dung-mat-khau"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert logged_in.status_code == 302
    assert logged_in.cookies["sessionid"]["secure"]
    assert logged_in.cookies["sessionid"]["httponly"]


def test_the_health_probe_is_not_redirected_to_https(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get("/healthz")
    assert response.status_code == 200


def failed_login(client, username="dangvien1", password="sai-mat-khau", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_repeated_failed_logins_lock_the_account_with_a_vietnamese_message(client):
    make_user("dangvien1", password="dung-mat-khau")
    limit = settings.AXES_FAILURE_LIMIT

    for _ in range(limit - 1):
        response = failed_login(client)
        assert response.status_code == 200  # the form again, with its error

    locked = failed_login(client)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert f"Sau {limit} lần đăng nhập sai" in page
    assert "tạm khóa trong một giờ" in page

    right_password = failed_login(client, password="dung-mat-khau")
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off_time(client):
    make_user("dangvien1", password="dung-mat-khau")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_login(client)
    # Move the clock: the attempts were made more than the cool-off time ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=2))

    response = failed_login(client, password="dung-mat-khau")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username="dangvien1").pk
    )


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_a_failed_csrf_check_gets_a_vietnamese_page_on_the_site():
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in page and '<html lang="vi"' in page
    assert "CSRF verification failed" not in page
