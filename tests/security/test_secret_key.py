"""Production refuses a guessable SECRET_KEY: sessions, password-reset links and CSRF tokens are
signed with it."""

import pytest

from tests.test_deploy import PROD_ENV, run_with_prod_settings


@pytest.mark.parametrize(
    "weak_key",
    ["x", "change-me", "a" * 80, "ab" * 40, "short-but-random-Q7f!k2"],
    ids=["one-letter", "placeholder", "one-character-repeated", "two-characters", "short"],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = run_with_prod_settings("print('started')", **{**PROD_ENV, "SECRET_KEY": weak_key})

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is too weak" in result.stderr
    if len(weak_key) > 8:
        assert weak_key not in result.stderr  # the key itself never reaches the logs


def test_production_starts_with_a_strong_secret_key():
    result = run_with_prod_settings("print('started')", **PROD_ENV)

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
