"""/healthz and the pages readers get when the database is down."""

import json
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from core.health import server_error
from core.logs import OneLineFormatter


def database_down():
    return mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    )


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_a_page_gives_a_friendly_503_page_when_the_database_is_unreachable(client):
    with database_down():
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Tạm thời gián đoạn" in page
    assert "Những gì đã lưu không bị mất" in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


def test_the_500_handler_gives_the_503_page_for_an_outage_met_outside_a_view():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert "Tạm thời gián đoạn" in response.content.decode()


def test_the_500_handler_gives_a_plain_apology_for_other_errors():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã xảy ra lỗi" in page
    assert "a bug" not in page


def test_log_events_are_one_json_line_each_even_with_a_traceback():
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/",),
            sys.exc_info(),
        )

    line = OneLineFormatter().format(record)

    assert "\n" not in line
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["logger"] == "django.request"
    assert event["message"] == "Internal Server Error: /"
    assert "RuntimeError: boom" in event["exc"]


@pytest.mark.django_db
def test_a_missing_page_gives_the_vietnamese_404_page(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ Bản tin" in page
