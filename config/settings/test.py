import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "core.process_cache.ProcessMemoryCache", "LOCATION": "pages"},
    "process": {"BACKEND": "core.process_cache.ProcessMemoryCache", "LOCATION": "memo"},
}
# Tests see every change at once (core/pagecache.py), as a single process does.
PAGE_STATE_MEMO_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One media folder per test process, so parallel runs never delete each other's files.
MEDIA_ROOT = BASE_DIR / ".test-media" / str(os.getpid())
AXES_ENABLED = True
# No collectstatic in tests: whitenoise finds files on request instead of scanning STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
BULLETIN_PDF_IMAGE_CACHE = MEDIA_ROOT / "pdf-image-cache"
# Every test client logs in from 127.0.0.1 and the cache lives as long as the test process:
# the per-address login limit would count the whole suite's logins. Its own tests set theirs.
LOGIN_RATE_LIMIT = 100_000
