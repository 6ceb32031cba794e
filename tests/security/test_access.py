"""The access matrix: every role × every page of the site, and no leak of internal content."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_user
from tests.site_data import DRAFT_TITLE, INTERNAL_TITLE, build_site

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "editor", "reviewer", "official", "superuser"]
# Who may see what beyond public content.
SEES_INTERNAL = {"member", "editor", "reviewer", "official", "superuser"}
SEES_DRAFTS = {"editor", "reviewer", "superuser"}


def login(client, role):
    if role == "anonymous":
        return None
    if role == "superuser":
        user = make_user(is_staff=True, is_superuser=True)
    else:
        group = {
            "member": "Đảng viên",
            "editor": "Biên tập viên",
            "reviewer": "Lãnh đạo Ban",
            "official": "Cán bộ",
        }[role]
        user = make_user(group=group, is_staff=role in ("editor", "reviewer"))
    client.force_login(user)
    return user


@pytest.fixture
def site():
    return build_site()


def expected(role, level):
    """200 when the role may see content of that level, else a login redirect for anonymous
    visitors and a 404 for everyone else."""
    allowed = {
        "public": True,
        "internal": role in SEES_INTERNAL,
        "draft": role in SEES_DRAFTS,
    }[level]
    if allowed:
        return 200
    return 302 if role == "anonymous" else 404


def urls(site):
    pages = {
        "/": "public",
        "/thanh-uy/": "public",
        "/thanh-uy/issues/": "public",
        "/thanh-uy/issues/2024/": "public",
        "/documents/": "public",
        "/documents/glossary/": "public",
        "/news/": "public",
        "/search/?q=dang": "public",
        "/thanh-uy/feed/": "public",
        "/sitemap.xml": "public",
        "/login/": "public",
        "/password_reset/": "public",
    }
    for level in ("public", "internal", "draft"):
        data = site[level]
        pages[data["issue"].get_absolute_url()] = level
        pages[data["document"].get_absolute_url()] = level
        pages[data["news"].get_absolute_url()] = level
        pages[data["photo"].image.url] = level
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, site, role):
    login(client, role)
    results = {}
    for url in urls(site):
        response = client.get(url)
        results[url] = response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/login/?next=")
    wanted = {url: expected(role, level) for url, level in urls(site).items()}
    if role != "anonymous":
        wanted["/login/"] = 200
    assert results == wanted


def missing_urls():
    """Addresses of content that does not exist, one of each kind."""
    return {
        "issue": "/thanh-uy/issues/2024/11/",
        "document": "/documents/987654/",
        "news": "/news/987654/",
        "media": "/media/news/2024/khong-co.png",
    }


def hidden_urls(site):
    draft = site["draft"]
    return {
        "issue": draft["issue"].get_absolute_url(),
        "document": draft["document"].get_absolute_url(),
        "news": draft["news"].get_absolute_url(),
        "media": draft["photo"].image.url,
    }


@pytest.mark.parametrize("kind", ["issue", "document", "news", "media"])
def test_hidden_and_missing_content_get_the_same_answer(client, site, kind):
    """Otherwise an anonymous visitor learns which months have a draft or a scheduled issue,
    and which document or news numbers exist."""
    hidden, missing = hidden_urls(site)[kind], missing_urls()[kind]

    for url in (hidden, missing):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/login/?next={url}"

    login(client, "member")
    for url in (hidden, missing):
        assert client.get(url).status_code == 404, url


def test_impossible_issue_addresses_get_the_same_answer_as_hidden_ones(client, site):
    for url in ("/thanh-uy/issues/2024/13/", "/thanh-uy/issues/99999/1/"):
        assert client.get(url).status_code == 302
    login(client, "member")
    for url in ("/thanh-uy/issues/2024/13/", "/thanh-uy/issues/99999/1/"):
        assert client.get(url).status_code == 404


def test_anonymous_is_brought_back_after_login(client, site):
    url = site["internal"]["issue"].get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
    user = make_user(group="Đảng viên", password="mat-khau-dung-2024")
    response = client.post(
        f"/login/?next={url}",
        {"username": user.username, "password": "mat-khau-dung-2024", "next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert INTERNAL_TITLE in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/thanh-uy/issues/",
        "/thanh-uy/issues/2024/",
        "/news/",
        "/documents/",
        "/thanh-uy/feed/",
        "/sitemap.xml",
    ],
)
def test_no_leak_to_anonymous(client, site, url):
    html = client.get(url).content.decode()
    for level in ("internal", "draft"):
        assert site[level]["news"].title not in html
        assert site[level]["document"].subject not in html
        assert site[level]["issue"].get_absolute_url() not in html
    assert INTERNAL_TITLE not in html
    assert DRAFT_TITLE not in html
    if url in ("/", "/news/", "/thanh-uy/feed/", "/sitemap.xml"):
        assert site["public"]["news"].get_absolute_url() in html


def test_search_does_not_leak(client, site):
    html = client.get("/search/", {"q": "trao huy hieu dang"}).content.decode()
    assert site["public"]["news"].title in html
    assert site["internal"]["news"].title not in html
    assert site["draft"]["news"].title not in html
    login(client, "member")
    html = client.get("/search/", {"q": "trao huy hieu dang"}).content.decode()
    assert site["internal"]["news"].title in html
    assert site["draft"]["news"].title not in html


def test_inactive_member_sees_public_only(client, site):
    user = make_user(group="Đảng viên")
    user.is_active = False
    user.save()
    client.force_login(user)
    response = client.get(site["internal"]["issue"].get_absolute_url())
    assert response.status_code in (302, 404)


def test_draft_preview_is_never_cached(client, site):
    login(client, "editor")
    response = client.get(site["draft"]["issue"].get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "Xem trước" in response.content.decode()


def test_member_group_exists():
    assert Group.objects.filter(name="Đảng viên").exists()
