import shutil

import pytest
from django.conf import settings
from django.core.cache import caches


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the cached reader pages of one test's data must not
    answer another's requests."""
    for name in settings.CACHES:
        caches[name].clear()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"
