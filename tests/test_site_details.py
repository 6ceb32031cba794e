"""Details found by walking the site as its users: captions, feed, accounts, locks, Vietnamese."""

import contextlib
import io
import threading
import xml.etree.ElementTree as ET
import zipfile

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils import translation

from bulletin.models import EntryKind, Visibility
from members.importer import import_members
from members.models import Profile
from tests.factories import make_entry, make_news_item, make_photo, make_user
from tests.site_data import build_site, png_file, published

pytestmark = pytest.mark.django_db


def test_imported_caption_is_shown_once_with_its_photo_in_place(client):
    # Imported issues keep each caption in the news body where the photo stands; the page showed
    # the caption there and again under the photos appended after the text.
    issue = published(visibility=Visibility.PUBLIC, year=2024, month=6)
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    item = make_news_item(
        section,
        body=('<p>Đoạn đầu.</p><p class="caption-pending">Quang cảnh hội đàm</p><p>Đoạn sau.</p>'),
    )
    make_photo(item, caption="Quang cảnh hội đàm", image=png_file())
    make_photo(item, caption="Ảnh không có trong bài")
    html = client.get(issue.get_absolute_url()).content.decode()
    assert html.count("Quang cảnh hội đàm") == 2  # the figcaption and the image's alt
    first, photo, after = html.index("Đoạn đầu."), html.index("<img"), html.index("Đoạn sau.")
    assert first < photo < after
    assert "caption-pending" not in html
    # A photo whose caption is not in the text still follows it.
    assert html.index("Ảnh không có trong bài") > after


def test_feed_is_valid_atom_with_an_author(client):
    # RFC 4287 4.1.1: a feed whose entries have no author must name one itself.
    build_site()
    root = ET.fromstring(client.get("/thanh-uy/feed/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert entries
    assert root.find(f"{atom}author/{atom}name").text == "BAN TUYÊN GIÁO, THÀNH ỦY CAO BẰNG"
    for entry in entries:
        for element in ("id", "title", "updated", "link"):
            assert entry.find(atom + element) is not None


@pytest.mark.parametrize("url", ["/search/?q=%00", "/documents/?q=a%00b"])
def test_nul_byte_in_a_query_is_refused_in_vietnamese(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không được dùng ký tự rỗng (NUL)." in html
    assert "Null characters" not in html


def test_workbook_renamed_csv_is_named_as_such(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("xl/worksheets/sheet1.xml", "<worksheet>Nguyễn Văn An</worksheet>")
    upload = SimpleUploadedFile("dang-vien.csv", buffer.getvalue(), content_type="text/csv")
    response = admin_client.post(
        "/admin/members/profile/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    assert "Đây là tệp bảng tính (Excel .xlsx hoặc .xls), không phải tệp CSV." in (
        response.content.decode()
    )
    assert not Profile.objects.exists()


def test_welcome_email_addresses_the_member_one_way(mailoutbox):
    # The email opens "Kính gửi đồng chí ..." and then said "Tên đăng nhập của bạn".
    with translation.override("vi"):
        import_members("Nguyễn Văn An,an@example.vn,Chi bộ 1\n")
    body = mailoutbox[0].body
    assert "Kính gửi đồng chí Nguyễn Văn An" in body
    assert "Tên đăng nhập: an" in body
    assert "bạn" not in body


SQLITE_FILE = "sqlite_file"


@pytest.fixture
def sqlite_file(tmp_path):
    """Connections to a SQLite file with the project's options: the test database lives in
    memory, where SQLite locks differently, so it cannot show how two writers meet on disk."""
    default = connections["default"].settings_dict
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL locks rows, not the whole database: the waiting is SQLite's")
    settings_dict = {**default, "NAME": str(tmp_path / "db.sqlite3")}

    @contextlib.contextmanager
    def connect():
        # A connection set on django.db.connections for this thread only, under an alias the
        # settings do not name: transaction.atomic(using=SQLITE_FILE) finds it, and the test
        # case lets a thread open it.
        connections[SQLITE_FILE] = load_backend(default["ENGINE"]).DatabaseWrapper(
            settings_dict, SQLITE_FILE
        )
        try:
            yield connections[SQLITE_FILE]
        finally:
            connections[SQLITE_FILE].close()
            del connections[SQLITE_FILE]

    with connect() as connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE click (id INTEGER PRIMARY KEY, who TEXT)")
    return connect


def test_sqlite_write_transactions_wait_for_each_other(sqlite_file):
    # Two quick POSTs of an admin form (a double click) ran two deferred transactions that both
    # read first; SQLite refused the second one's write at once ("database is locked") and the
    # editor saw the 503 page. Write transactions now take the lock when they begin, and wait.
    first_has_read, second_has_read = threading.Event(), threading.Event()
    errors = []

    def click(who, wait_for, then):
        try:
            with sqlite_file() as connection:
                if wait_for:
                    wait_for.wait(timeout=10)
                with transaction.atomic(using=SQLITE_FILE), connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM click")
                    then.set()
                    if who == "first":
                        # Gives the second click the chance to read too before this one
                        # writes, which is what made it fail; with the lock taken at BEGIN
                        # it never can, and this only waits out the timeout.
                        second_has_read.wait(timeout=1)
                    cursor.execute("INSERT INTO click (who) VALUES (%s)", [who])
        except Exception as exc:  # reported by the assertion below, whatever it is
            errors.append(f"{who}: {exc}")

    first = threading.Thread(target=click, args=("first", None, first_has_read))
    second = threading.Thread(target=click, args=("second", first_has_read, second_has_read))
    first.start()
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)

    assert errors == []
    with sqlite_file() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT who FROM click ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]


def test_an_upgrade_is_seen_at_once_on_cached_issue_pages(client, settings):
    # The rendered issue (fragment, whole page and ETag) was keyed on the issue alone: after an
    # upgrade that changed a template, the old rendering was served (and browsers were told 304)
    # for up to a day.
    issue = published(visibility=Visibility.PUBLIC, year=2024, month=6)
    make_entry(issue, title="Giới thiệu sách")
    url = issue.get_absolute_url()
    settings.RELEASE = "before"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    settings.RELEASE = "after"
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]


def test_imported_member_who_never_set_a_password_can_ask_for_a_new_link(client, mailoutbox):
    # Django's reset form skips accounts without a usable password: once the welcome link had
    # expired, "Quên mật khẩu?" promised a link and sent nothing.
    import_members("Đàm Văn Đức,duc@example.vn,Chi bộ Văn phòng\n")
    mailoutbox.clear()
    response = client.post("/password_reset/", {"email": "Duc@example.vn"})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["duc@example.vn"]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    page = client.get(link.strip()[link.index("/reset/") :], follow=True)
    assert 'name="new_password1"' in page.content.decode()


def test_staff_with_password_login_disabled_gets_no_reset_link(client, mailoutbox):
    staff = make_user("sso-only", email="sso@example.vn")
    staff.set_unusable_password()
    staff.save()
    client.post("/password_reset/", {"email": "sso@example.vn"})
    assert mailoutbox == []


def test_admin_index_names_the_lockouts_and_the_task_queue_in_vietnamese(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for english in ("Access attempts", "Access failures", "Access logs", "Task Results"):
        assert english not in html
    assert "Tasks Database Backend" not in html
    assert "Lần đăng nhập" in html and "Tác vụ nền" in html
    # bulletin/apps.py holds both configs: the bulletin's own stays the one Django uses.
    assert ">Bản tin</a>" in html and ">Bulletin<" not in html
    assert type(apps.get_app_config("bulletin")).__name__ == "BulletinConfig"
    AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="", failures_since_start=1
    )
    page = admin_client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Địa chỉ IP" in page.content.decode()
