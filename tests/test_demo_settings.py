"""The demo runs as production does: DEBUG off unless asked for, so visitors see the site's own
Vietnamese error pages, as the README says."""

import os
import subprocess
import sys

from django.conf import settings


def debug_of(module, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"} | env
    code = f"import {module} as s; print(s.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_development_settings_leave_debug_off_unless_asked():
    assert debug_of("config.settings.dev") == "False"
    assert debug_of("config.settings.dev", DEBUG="true") == "True"


def test_an_unknown_page_is_the_vietnamese_404(client, db):
    # The first path segment may name a committee: the database says it does not.
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
