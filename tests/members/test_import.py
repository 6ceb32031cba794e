"""Bulk creation of member accounts from a CSV file."""

import html as html_lib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from members.importer import import_members
from members.models import Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOD = (
    "Họ và tên,Email,Chi bộ\n"
    "Nông Văn Dũng,dung@example.com,Chi bộ phường Hợp Giang\n"
    "Hoàng Thị Mai,mai@example.com,Chi bộ phường Sông Hiến\n"
)


def upload(text, bom=False, name="dang-vien.csv"):
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize("bom", [False, True])
def test_good_file_creates_members_and_emails_them(mailoutbox, bom):
    report = import_members(("\ufeff" if bom else "") + GOOD)
    assert report.ok and len(report.created) == 2
    user = get_user_model().objects.get(email="dung@example.com")
    assert user.groups.filter(name="Đảng viên").exists()
    assert not user.has_usable_password()
    assert Profile.objects.get(user=user).party_cell == "Chi bộ phường Hợp Giang"
    assert Profile.objects.get(user=user).full_name == "Nông Văn Dũng"
    assert len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert mail.to == ["dung@example.com"]
    assert "Tài khoản đọc bản tin" in mail.subject
    assert "/reset/" in mail.body and "Kính gửi đồng chí Nông Văn Dũng" in mail.body


def test_set_password_link_works(client, mailoutbox):
    import_members(GOOD)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Đặt mật khẩu" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2024!", "new_password2": "Mat-khau-moi-2024!"},
    )
    assert response.status_code == 302
    assert (
        get_user_model().objects.get(email="dung@example.com").check_password("Mat-khau-moi-2024!")
    )


def test_outside_a_request_the_link_points_at_the_public_site(mailoutbox, settings):
    settings.SITE_URL = "https://bantin.example.vn"
    import_members(GOOD)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    assert link.strip().startswith("https://bantin.example.vn/reset/")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("Lý Văn Hùng,,Chi bộ 1", "Dòng 4: thiếu thư điện tử"),
        ("Lý Văn Hùng,khong-phai-email,Chi bộ 1", "Dòng 4: “khong-phai-email” không phải"),
        (",hung@example.com,Chi bộ 1", "Dòng 4: thiếu họ và tên"),
        ("Lý Văn Hùng,DUNG@example.com,Chi bộ 1", "Dòng 4: DUNG@example.com đã có ở dòng 2"),
        ("Lý Văn Hùng,old@example.com,Chi bộ 1", "Dòng 4: old@example.com đã có tài khoản"),
    ],
)
def test_bad_row_is_reported_and_nothing_imported(mailoutbox, bad_line, message):
    make_user("old", email="old@example.com")
    before = get_user_model().objects.count()
    report = import_members(GOOD + bad_line + "\n")
    assert not report.ok
    assert any(error.startswith(message) for error in report.errors), report.errors
    assert get_user_model().objects.count() == before
    assert not Profile.objects.exists()
    assert mailoutbox == []


def test_not_utf8_is_refused():
    report = import_members(GOOD.encode("cp1258", errors="replace"))
    assert not report.ok
    assert "UTF-8" in report.errors[0]


def test_admin_import_page(admin_client, mailoutbox):
    response = admin_client.get("/admin/members/profile/")
    assert "/admin/members/profile/import/" in response.content.decode()
    assert (
        "/admin/members/profile/import/" in admin_client.get("/admin/auth/user/").content.decode()
    )
    response = admin_client.post(
        "/admin/members/profile/import/", {"file": upload(GOOD + ",x@example.com,\n")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa nhập dòng nào" in html and "Dòng 4: thiếu họ và tên" in html
    assert not Profile.objects.exists()
    response = admin_client.post("/admin/members/profile/import/", {"file": upload(GOOD, bom=True)})
    assert response.status_code == 302
    assert Profile.objects.count() == 2
    assert len(mailoutbox) == 2


def input_value(html, name):
    """The value of the form field ``name`` as the page fills it in, None if there is none."""
    field = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', html)
    if field is None:
        return None
    value = re.search(r'value="([^"]*)"', field.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


def test_admin_user_page_has_profile_inline(admin_client):
    user = make_user()
    Profile.objects.create(user=user, full_name="Nguyễn Văn An", party_cell="Chi bộ 1")
    html = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "Hồ sơ đảng viên" in html
    assert 'for="id_profile-0-full_name">Họ và tên:</label>' in html
    assert 'for="id_profile-0-party_cell">Chi bộ:</label>' in html
    assert input_value(html, "profile-0-full_name") == "Nguyễn Văn An"
    assert input_value(html, "profile-0-party_cell") == "Chi bộ 1"


def test_a_user_without_a_profile_gets_empty_profile_fields(admin_client):
    user = make_user()
    html = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert 'for="id_profile-0-full_name">Họ và tên:</label>' in html
    assert input_value(html, "profile-0-full_name") == ""


def test_the_row_limit_counts_members_not_the_header(monkeypatch):
    monkeypatch.setattr("members.importer.MAX_ROWS", 2)
    header = "Họ và tên,Email,Chi bộ\n"
    two = "Nguyễn Văn A,a@example.vn,Chi bộ 1\nTrần Thị B,b@example.vn,Chi bộ 2\n"
    assert not import_members(header + two).errors
    report = import_members(header + two.replace("a@", "c@").replace("b@", "d@") * 2)
    assert report.errors == ["Tệp có hơn 2 đảng viên; hãy chia thành nhiều tệp."]
