"""The installable web app: manifest, icons, service worker, and what pages tell the worker."""

import io
import json
import re

import pytest
from PIL import Image

from bulletin.models import Visibility
from core.roles import Role
from tests.factories import make_entry, make_user
from tests.site_data import published

pytestmark = pytest.mark.django_db

CACHE_ID = re.compile(r'<body data-offline-cache="([^"]*)">')


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"bantin-user-" in response.content
    # The site's policy applies to the worker too: its own origin only.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.post("/sw.js").status_code == 405


def test_the_manifest_names_the_app_in_vietnamese_and_its_icons_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Bản tin sinh hoạt chi bộ"
    assert manifest["short_name"] == "Bản tin"
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200
        with Image.open(io.BytesIO(b"".join(png.streaming_content))) as image:
            assert image.format == "PNG"
            assert "{}x{}".format(*image.size) == icon["sizes"]


def test_pages_link_the_manifest_and_the_script_and_carry_a_hidden_banner(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/js/offline\.js" defer></script>', html)
    banner = re.search(r"<p class=\"offline-banner\"[^>]*>.*?</p>", html).group(0)
    assert "hidden" in banner and "Đang đọc bản lưu ngoại tuyến" in banner
    # No inline script anywhere: the policy forbids it.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)


def test_each_member_gets_an_opaque_cache_id_and_visitors_none(client):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    make_entry(issue)
    url = issue.get_absolute_url()
    assert CACHE_ID.search(client.get(url).content.decode()).group(1) == ""

    ids = []
    for name in ("dangvien1", "dangvien2"):
        user = make_user(name, group=Role.MEMBER.value)
        client.force_login(user)
        cache_id = CACHE_ID.search(client.get(url).content.decode()).group(1)
        assert len(cache_id) == 24 and str(user.pk) != cache_id and name not in cache_id
        assert CACHE_ID.search(client.get("/").content.decode()).group(1) == cache_id
        ids.append(cache_id)
    assert ids[0] != ids[1]

    # The anonymous page, cached whole on the server, never carries a member's id.
    client.logout()
    assert CACHE_ID.search(client.get(url).content.decode()).group(1) == ""


def test_a_disabled_account_gets_no_cache_id(client):
    user = make_user(group=Role.MEMBER.value)
    client.force_login(user)
    assert CACHE_ID.search(client.get("/").content.decode()).group(1)
    user.is_active = False
    user.save()
    assert CACHE_ID.search(client.get("/").content.decode()).group(1) == ""
