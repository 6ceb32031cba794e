"""What the site tells people: a visitor learns that members-only issues exist and how to read
them (never "nothing"); staff see the way to the admin and their name; the registry is a
sortable table; the news list shows a picture, the date and the issue."""

import datetime

import pytest
from django.urls import reverse

from bulletin.models import Visibility
from members.models import Profile
from tests.factories import make_document, make_entry, make_news_item, make_photo, make_user
from tests.site_data import png_file, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_only_issues():
    issues = []
    for month in (5, 6):
        issue = published(year=2024, month=month, visibility=Visibility.MEMBERS)
        make_entry(issue, kind="document", title="Chỉ thị", body="<p>Tóm tắt.</p>")
        section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
        make_news_item(section, title=f"Tin tháng {month}")
        issues.append(issue)
    return issues


@pytest.mark.parametrize(
    ("url", "nothing", "notice"),
    [
        ("/thanh-uy/issues/", "Chưa có số nào.", "Có 2 số dành cho đảng viên."),
        ("/news/", "Chưa có tin hoạt động.", "Tin hoạt động của 2 số chỉ dành cho đảng viên."),
        ("/documents/", None, "Các văn bản được tóm tắt trong 2 số chỉ dành cho đảng viên."),
        ("/search/?q=chi+thi", None, "có 2 số dành cho đảng viên"),
    ],
)
def test_a_visitor_is_told_what_exists_and_how_to_read_it(
    client, members_only_issues, url, nothing, notice
):
    page = client.get(url).content.decode()
    assert notice in page
    assert "Đăng nhập để đọc." in page
    assert f"{reverse('login')}?next=" in page
    if nothing:
        assert nothing not in page


def test_a_member_sees_no_such_notice(client, members_only_issues):
    client.force_login(make_user(group="Đảng viên"))
    page = client.get("/thanh-uy/issues/").content.decode()
    assert "dành cho đảng viên" not in page
    assert "Tháng 5 năm 2024" in page


def test_the_feed_says_what_it_leaves_out(client, members_only_issues):
    feed = client.get(reverse("bulletin:feed", kwargs={"committee": "thanh-uy"})).content.decode()
    assert "Các số công khai và tin hoạt động của chúng." in feed
    assert "2 số dành cho đảng viên không có trong nguồn tin này" in feed


def test_staff_see_the_admin_link_and_their_full_name(client):
    editor = make_user("bientap", group="Biên tập viên", is_staff=True)
    Profile.objects.create(user=editor, full_name="Nguyễn Thị Lan")
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page and ">Quản trị<" in page
    assert "Nguyễn Thị Lan" in page and "bientap" not in page

    member = make_user("dangvien", group="Đảng viên", first_name="Hà", last_name="Minh")
    client.force_login(member)
    page = client.get("/").content.decode()
    assert ">Quản trị<" not in page


def test_the_registry_is_a_table_sortable_by_its_columns(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    make_document(number="5-CT/TU", issued_on=datetime.date(2023, 1, 9), subject="bảo vệ rừng")
    make_document(number="12-KH/TU", issued_on=datetime.date(2024, 3, 2), subject="an ninh")
    page = client.get("/documents/").content.decode()
    page = page[page.index("<table") :]
    headers = ["Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành"]
    positions = [page.index(f">{label}") for label in headers]
    assert positions == sorted(positions)
    # Newest first by default; the date header sorts oldest first, and back.
    assert page.index("12-KH/TU") < page.index("5-CT/TU")
    page = client.get("/documents/?sort=date").content.decode()
    assert page.index("5-CT/TU") < page.index("12-KH/TU")
    assert 'aria-sort="ascending"' in page and "?sort=-date" in page
    page = client.get("/documents/?sort=subject").content.decode()
    assert page.index("an ninh") < page.index("bảo vệ rừng")
    # An unknown sort is the default order, never an error.
    response = client.get("/documents/?sort=password")
    assert response.status_code == 200
    assert response.content.decode().index("12-KH/TU") < response.content.decode().index("5-CT/TU")


def test_the_news_list_shows_a_picture_the_date_and_the_issue(client):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(section, title="Hội nghị tổng kết", event_date=datetime.date(2024, 5, 15))
    make_photo(item, caption="Quang cảnh", image=png_file())
    make_news_item(section, title="Tin không ảnh")
    page = client.get("/news/").content.decode()
    assert '<img class="thumb"' in page and "/media/photos/" in page
    assert "15/05/2024" in page
    assert issue.get_absolute_url() in page and str(issue) in page
    assert "4.1." not in page and "1.1." not in page
