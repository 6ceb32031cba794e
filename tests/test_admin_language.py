"""Strings of Django's admin that its Vietnamese catalog misses are translated by ours."""

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_failed_admin_login_is_titled_in_vietnamese(client):
    make_user("bientap", is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "bientap", "password": "sai-mat-khau"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Lỗi: Đăng nhập" in page and "Error:" not in page
    assert "Chuyển đến nội dung chính" in page and "Skip to main content" not in page


def test_a_form_error_is_announced_in_vietnamese(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:documents_issuer_add")
    response = client.post(url, {"name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng sửa các lỗi bên dưới." in page
    assert "Please correct" not in page


def test_the_filter_counts_link_is_in_vietnamese(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:bulletin_issue_changelist")).content.decode()
    assert "Hiện số lượng" in page and "Show counts" not in page


def test_the_add_user_page_is_in_vietnamese(client):
    # Staff create member accounts one by one here.
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    assert "Đăng nhập bằng mật khẩu" in page and "Sau khi tạo tài khoản" in page
    for english in ("After you’ve created a user", "Password-based authentication", "Enabled"):
        assert english not in page
