"""The production settings, collecting static files without compressing them: the same
manifest WhiteNoise reads, in seconds instead of minutes (for test_frozen_database.py)."""

from config.settings.prod import *  # noqa: F403
from config.settings.prod import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
