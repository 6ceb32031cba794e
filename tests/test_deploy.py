"""The production stack: docker-compose.yml checked without Docker, the production settings."""

import importlib.util
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
CHECKER = ROOT / ".ci" / "check_compose.py"
PROD_ENV = {
    "SECRET_KEY": "a-test-secret-key-that-is-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "bantin.example.vn",
    "DEBUG": "false",
}


def load_checker():
    spec = importlib.util.spec_from_file_location("check_compose", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_compose = load_checker()


def broken_copy(tmp_path, old, new, name="docker-compose.yml"):
    source = ROOT / name
    text = source.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    copy = tmp_path / name
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_the_real_compose_file_is_valid_and_agrees_with_the_settings():
    assert check_compose.check(ROOT / "docker-compose.yml", ROOT / ".env.example") == []


def test_the_checker_passes_from_the_command_line():
    result = subprocess.run(
        [sys.executable, str(CHECKER)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_a_missing_service_fails(tmp_path):
    compose = broken_copy(tmp_path, "  worker:\n    <<: *app\n", "  queue:\n    <<: *app\n")

    errors = check_compose.check(compose, ROOT / ".env.example")

    assert "service 'worker' is missing" in errors


def test_an_unknown_key_fails_the_schema(tmp_path):
    compose = broken_copy(
        tmp_path, "    healthcheck:\n      test:\n", "    helthcheck:\n      test:\n"
    )

    errors = check_compose.check(compose, ROOT / ".env.example")

    assert errors
    assert all(error.startswith("schema: services/web") for error in errors), errors


def test_an_undocumented_variable_fails(tmp_path):
    compose = broken_copy(tmp_path, "${WEB_PORT:-8000}", "${WEB_PORT_TYPO:-8000}")

    errors = check_compose.check(compose, ROOT / ".env.example")

    assert "docker-compose.yml uses ${WEB_PORT_TYPO}, not in .env.example" in errors


def test_a_variable_no_setting_reads_fails(tmp_path):
    compose = broken_copy(tmp_path, "    MEDIA_ROOT: /app/media\n", "    MEDIA_DIR: /app/media\n")

    errors = check_compose.check(compose, ROOT / ".env.example")

    assert "docker-compose.yml passes MEDIA_DIR to the app, but no setting reads it" in errors


def test_an_undocumented_setting_or_an_empty_required_one_fails(tmp_path):
    env_example = broken_copy(tmp_path, "SECRET_KEY=change-me\n", "SECRET_KEY=\n", ".env.example")
    text = env_example.read_text(encoding="utf-8").replace("# AXES_FAILURE_LIMIT=5\n", "")
    env_example.write_text(text, encoding="utf-8")

    errors = check_compose.check(ROOT / "docker-compose.yml", env_example)

    assert "production requires SECRET_KEY: .env.example must set it" in errors
    assert "the settings read AXES_FAILURE_LIMIT, not in .env.example" in errors


def test_a_broken_copy_fails_from_the_command_line(tmp_path):
    compose = broken_copy(tmp_path, "image: postgres:16", "image: postgres:15")

    result = subprocess.run(
        [sys.executable, str(CHECKER), "--compose", str(compose)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "service 'db' is not postgres:16" in result.stderr


def run_with_prod_settings(code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "STORAGE_BACKEND", "REDIS_URL"}
        # Set around browser tests only; the deploy check rightly refuses it.
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.prod", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {key: value for key, value in PROD_ENV.items() if key != missing}

    result = run_with_prod_settings("print('started')", **env)

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"Production needs the environment variable {missing}." in result.stderr


PRINT_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "cache": s.CACHES["default"]["BACKEND"],
    "sessions": s.SESSION_ENGINE,
    "axes": s.AXES_HANDLER,
    "storage": s.STORAGES["default"],
    "x_frame": s.X_FRAME_OPTIONS,
}))
"""


def test_production_settings_are_hardened_and_share_nothing_in_process_memory():
    result = run_with_prod_settings(PRINT_SETTINGS, **PROD_ENV)

    assert result.returncode == 0, result.stderr
    prod = json.loads(result.stdout)
    assert prod["debug"] is False
    assert prod["ssl_redirect"] is True
    assert prod["hsts"] >= 31536000
    assert prod["session_secure"] and prod["csrf_secure"]
    assert prod["cache"] == "core.db_cache.DatabaseCache"  # Django's, shared by every worker
    # Read from the cache, written through to the database: a lost cache logs nobody out.
    assert prod["sessions"] == "core.sessions"
    assert prod["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert prod["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert prod["x_frame"] == "DENY"


# Saves, reads and deletes files through Django's storage API as the production settings set it
# up, against moto's in-process S3; prints what came back.
S3_ROUND_TRIP = """
import json
import time
import boto3
from moto import mock_aws
with mock_aws():
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    s3 = boto3.client("s3", endpoint_url="https://s3.example.vn", region_name="us-east-1")
    s3.create_bucket(Bucket="bantin-media")
    first = default_storage.save("news/anh.jpg", ContentFile(b"JPEG bytes"))
    second = default_storage.save("news/anh.jpg", ContentFile(b"other bytes"))
    with default_storage.open(first) as stored:
        body = stored.read().decode()
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="bantin-media")["Contents"])
    grants = s3.get_object_acl(Bucket="bantin-media", Key=first)["Grants"]
    url_made_at = int(time.time())
    url = default_storage.url(first)
    signed = default_storage.signed_url(first, expire=default_storage.querystring_expire)
    default_storage.delete(second)
    print(json.dumps({
        "first": first, "second": second, "body": body, "keys": keys, "url": url, "signed": signed,
        "grantees": [g["Grantee"].get("URI", g["Grantee"]["Type"]) for g in grants],
        "second_exists_after_delete": default_storage.exists(second),
        "cache": settings.CACHES["default"]["BACKEND"],
        "url_made_at": url_made_at,
    }))
"""


def link_lifetime(url, made_at):
    """Seconds a signed S3 link stays valid (signature version 4 or 2); None if unsigned.

    Version 2 names the second the link ends; made at ``made_at`` (whole seconds) or in the
    second after, that gives the lifetime or one second more.
    """
    query = parse_qs(urlsplit(url).query)
    if "X-Amz-Signature" in query:
        return int(query["X-Amz-Expires"][0])
    if "Signature" in query:
        return int(query["Expires"][0]) - made_at
    return None


def test_object_storage_and_redis_are_settings_not_code_changes():
    result = run_with_prod_settings(
        S3_ROUND_TRIP,
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="bantin-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="moto-key",
        AWS_SECRET_ACCESS_KEY="moto-secret",
        # moto answers for this address as for AWS's own.
        MOTO_S3_CUSTOM_ENDPOINTS="https://s3.example.vn",
        REDIS_URL="redis://redis:6379/0",
        **PROD_ENV,
    )

    assert result.returncode == 0, result.stderr
    # Before it, production's logging may print botocore's notes on stdout, one JSON per line.
    s3 = json.loads(result.stdout.splitlines()[-1])
    assert s3["body"] == "JPEG bytes"
    # A second upload of the same name never replaces the first.
    assert s3["first"] == "news/anh.jpg" and s3["second"] != s3["first"]
    assert s3["keys"] == sorted([s3["first"], s3["second"]])
    assert s3["second_exists_after_delete"] is False
    # Private objects. Pages name them by the site's address, which the media view answers after
    # its access check with a link signed for a minute on the configured host.
    assert s3["grantees"] == ["CanonicalUser"]
    assert s3["url"] == "/media/news/anh.jpg"
    assert s3["signed"].startswith("https://s3.example.vn/bantin-media/news/anh.jpg?")
    assert link_lifetime(s3["signed"], s3["url_made_at"]) in (60, 61)
    assert s3["cache"] == "core.redis_cache.RedisCache"


def test_the_deploy_check_passes_with_production_settings():
    environment = {**os.environ, **PROD_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.prod"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_image_runs_as_a_user_with_the_pdf_libraries_and_collected_static_files():
    dockerfile = Path(ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in dockerfile
    assert "collectstatic" in dockerfile
    assert "pip install --require-hashes -r requirements/prod.lock" in dockerfile
    assert "\nUSER bantin\n" in dockerfile
    assert "EXPOSE 8000" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".env", "db.sqlite3", "media"} <= set(ignored)


def test_gunicorn_logs_to_stdout_one_json_line_per_event():
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))

    assert config["accesslog"] == config["errorlog"] == "-"
    assert "%(q)s" not in config["access_log_format"]  # search terms stay out of the logs
    formatter = config["logconfig_dict"]["formatters"]["line"]["()"]
    assert formatter == "core.logs.OneLineFormatter"
    handlers = config["logconfig_dict"]["handlers"]
    assert handlers["stdout"]["stream"] == "ext://sys.stdout"
