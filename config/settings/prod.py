"""Production: secrets and hosts come from the environment; a missing one stops start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, env_bool, env_list

for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"Production needs the environment variable {required}.")

SECRET_KEY = os.environ["SECRET_KEY"]
# Django's own limits for its deploy check (security.W009): a shorter or more uniform key can be
# guessed, and with it every session, password-reset link and CSRF token forged. Only a warning
# there; here the site does not start. The message never repeats the key, which would end up in
# the logs.
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 5
if (
    len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH
    or len(set(SECRET_KEY)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak: production needs at least {MIN_SECRET_KEY_LENGTH} characters "
        f"with at least {MIN_SECRET_KEY_DISTINCT_CHARACTERS} different ones. Make one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DEBUG = env_bool("DEBUG")

# TLS ends at the reverse proxy, which says so in X-Forwarded-Proto (see README, Deploying).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# CSRF_COOKIE_HTTPONLY stays False: CKEditor's image upload and the logout button of shared pages
# (core/templatetags/csrf_cookie.py) read the token from the cookie.

# A dead or frozen database must fail the request (and /healthz) with the 503 page in seconds,
# not hang a worker, and the site must come back by itself (README, Health and logs).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Gives up on a kept connection that does not answer (core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    statement_timeout_ms = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30")) * 1000
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # New connections (libpq's minimum is 2 s).
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")),
            # A runaway query is stopped by the server (0 turns it off, e.g. for a long
            # migration run by hand).
            "options": f"-c statement_timeout={statement_timeout_ms}",
            # A server host or network that disappears: unanswered keepalives and unacknowledged
            # data drop the connection within about 10 s instead of the kernel's 2 hours.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 9000,
        }
    )

# Several app servers share one cache; a per-process cache would give each a different view.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    raise ImproperlyConfigured("Production needs a shared cache: the database or REDIS_URL.")

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
