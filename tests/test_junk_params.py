"""Filter and search views given junk answer 200 or 400 with a message, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.site_data import build_site

pytestmark = pytest.mark.django_db

JUNK = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "' OR 1=1 --",
    "'; DROP TABLE documents_document; --",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "-1",
    "0",
    "1e309",
    "99999999999999999999999999",
    "2024-13-45",
    "31/02/2024",
    "NaN",
    "x" * 5000,
    "đảng " * 300,
    "\u202e\ufeff\U0001f600",
]
VIEWS = {
    "/documents/": ["q", "doc_type", "issuer", "year", "page"],
    "/search/": ["q", "page", "all", "committee"],
    "/news/": ["page"],
    "/thanh-uy/issues/": ["page"],
}
MESSAGES = ('role="alert"', "errors")


@pytest.fixture
def site():
    return build_site()


def check(response):
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        html = response.content.decode()
        assert any(marker in html for marker in MESSAGES)


@pytest.mark.parametrize("url", list(VIEWS))
@pytest.mark.parametrize("value", JUNK, ids=range(len(JUNK)))
def test_explicit_junk(client, site, url, value):
    for name in VIEWS[url]:
        check(client.get(url, {name: value}))
    check(client.get(url, dict.fromkeys(VIEWS[url], value)))


def test_junk_in_path_is_a_plain_404(client, site):
    for url in (
        "/thanh-uy/issues/0/",
        "/thanh-uy/issues/99999999999999999999/",
        "/thanh-uy/issues/2024/0/",
        "/thanh-uy/issues/2024/99999999999999999999/",
        "/documents/99999999999999999999/",
        "/news/99999999999999999999/",
        "/media/%00/x.png",
        "/media/../../etc/passwd",
    ):
        assert client.get(url).status_code in (302, 404), url


def test_huge_page_number_shows_the_last_page(client, site):
    response = client.get("/documents/", {"page": "999999999"})
    assert response.status_code == 200
    assert "5-CT/TU" in response.content.decode()


def test_search_message_for_too_long_query(client, site):
    response = client.get("/search/", {"q": "a" * 500})
    assert response.status_code == 400
    assert "200" in response.content.decode()  # "at most 200 characters", in Vietnamese


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(list(VIEWS)),
    params=st.dictionaries(
        st.sampled_from(["q", "doc_type", "issuer", "year", "page", "x"]),
        st.one_of(
            st.text(max_size=300),
            st.integers().map(str),
            st.floats(allow_nan=True).map(str),
            st.sampled_from(JUNK),
        ),
        max_size=5,
    ),
)
def test_any_parameters(client, site, url, params):
    check(client.get(url, params))
