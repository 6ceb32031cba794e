"""Account pages: GET /logout/ gets a page, not an empty 405; Django's refusals in Vietnamese."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_get_logout_offers_the_button_and_post_logs_out(client):
    client.force_login(make_user("dangvien"))
    response = client.get("/logout/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bạn đang đăng nhập với tên dangvien." in page
    assert 'action="/logout/"' in page and "Đăng xuất" in page
    assert "_auth_user_id" in client.session  # a GET never logs out

    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_get_logout_when_not_logged_in_goes_home(client):
    response = client.get("/logout/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_too_short_password_is_refused_in_vietnamese():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as refusal:
        validate_password("x7#")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in refusal.value.messages
