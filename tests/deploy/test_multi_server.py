"""The shape of a larger installation, for real: two app servers (gunicorn, production settings)
and one PDF worker sharing PostgreSQL, Redis and S3-compatible object storage (moto_server),
driven through HTTP only.

Needs TEST_REDIS_URL and TEST_S3_ENDPOINT_URL (.ci/run starts both as throwaway services) and
PostgreSQL: DATABASE_URL when it names a PostgreSQL server (a fresh database is created on it),
else a throwaway cluster started here from /usr/lib/postgresql/15/bin (as root, through
runuser). Without them the test is skipped and says why. Every wait is bounded; every process
started here is stopped at the end.
"""

import html.parser
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PGBIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "multi-server-pw-2024"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
HAS_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://")) or (
    (PGBIN / "initdb").exists() and os.geteuid() == 0
)

pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(
        not (REDIS_URL and S3_ENDPOINT),
        reason="TEST_REDIS_URL and TEST_S3_ENDPOINT_URL are not set (.ci/run starts Redis and "
        "moto_server and sets them)",
    ),
    pytest.mark.skipif(
        not HAS_POSTGRES,
        reason="no PostgreSQL: neither a postgres DATABASE_URL nor initdb run as root",
    ),
]

# Users, groups and a draft issue with a members-only news item whose photo is still missing
# and a document summary: what the board has before the month's editing is finished.
SEED = """
import datetime
from django.contrib.auth.models import Group, User
from bulletin.models import Committee, Entry, EntryKind, Issue, Visibility
from documents.models import Document, Issuer
from news.models import NewsItem, Photo

def user(name, group, staff):
    account = User.objects.create_user(name, f"{name}@example.vn", "PASSWORD", is_staff=staff)
    account.groups.add(Group.objects.get(name=group))
    if staff:  # the board's staff work on their committee's issues only
        Committee.objects.default().staff.add(account)

user("bientap", "Biên tập viên", True)
user("lanhdao", "Lãnh đạo Ban", True)
user("canbo", "Cán bộ", False)
issue = Issue.objects.create(year=2025, month=3, visibility=Visibility.MEMBERS)
document = Document.objects.create(
    doc_type="ke-hoach", number="12-KH/TU", issued_on=datetime.date(2025, 2, 20),
    issuer=Issuer.objects.create(name="Thành ủy Cao Bằng"),
    subject="tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng",
)
Entry.objects.create(issue=issue, position=1, kind=EntryKind.DOCUMENT, document=document,
                     title="Kế hoạch số 12-KH/TU", body="<p>Tóm tắt kế hoạch tuyên truyền.</p>")
section = Entry.objects.create(issue=issue, position=2, kind=EntryKind.NEWS,
                               title="Tin hoạt động", body="")
news = NewsItem.objects.create(section=section, position=1, title="Hội nghị báo cáo viên quý I",
                               body="<p>Sáng 5/3, Ban Tuyên giáo tổ chức hội nghị.</p>")
photo = Photo.objects.create(news_item=news, position=1, caption="Quang cảnh hội nghị")
print(f"IDS {issue.pk} {news.pk} {photo.pk} {document.pk}")
""".replace("PASSWORD", PASSWORD)


DEACTIVATE_CANBO = """
from django.contrib.auth.models import User
account = User.objects.get(username="canbo")
account.is_active = False
account.save()
"""

COLLECT_UNCOMPRESSED = """
from django.core.management import call_command
from django.test import override_settings
from django.conf import settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
with override_settings(STORAGES=storages):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout, what):
    """Call ``check`` until it returns something true, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class Processes:
    """Processes started in sessions of their own, each stopped with its children at the end."""

    def __init__(self, folder):
        self.folder = folder
        self.running = []

    def start(self, name, command, env):
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 -- the child keeps it
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.running.append(process)
        return process

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def logs(self):
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )


class PostgresDatabase:
    """A fresh database: on the PostgreSQL of DATABASE_URL, or in a throwaway cluster."""

    def __init__(self, folder):
        self.folder = folder
        self.cluster = None
        self.url = None

    def __enter__(self):
        import psycopg

        name = f"bantin_multi_{uuid.uuid4().hex[:8]}"
        if DATABASE_URL.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(DATABASE_URL)
            self.admin_url = parts._replace(path="/postgres").geturl()
            self.url = parts._replace(path=f"/{name}").geturl()
        else:
            self.cluster = Path(tempfile.mkdtemp(prefix="bantin-pg-"))
            shutil.chown(self.cluster, "postgres")
            as_postgres = ["runuser", "-u", "postgres", "--"]
            subprocess.run(
                [*as_postgres, PGBIN / "initdb", "-D", self.cluster / "data", "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            subprocess.run(
                [*as_postgres, PGBIN / "pg_ctl", "-D", self.cluster / "data", "-w", "-l",
                 self.cluster / "log", "-o",
                 f"-k {self.cluster} -c listen_addresses='' -c fsync=off -c max_connections=200",
                 "start"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            self.admin_url = f"postgres://postgres@/postgres?host={self.cluster}"
            self.url = f"postgres://postgres@/{name}?host={self.cluster}"
        self.name = name
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self

    def __exit__(self, *exc):
        import psycopg

        if self.cluster is not None:
            subprocess.run(
                ["runuser", "-u", "postgres", "--", PGBIN / "pg_ctl", "-D",
                 self.cluster / "data", "-m", "immediate", "stop"],
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
            shutil.rmtree(self.cluster, ignore_errors=True)
        else:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class FormReader(html.parser.HTMLParser):
    """The fields of one form of a page, with the values a browser would send."""

    def __init__(self, form_id=None):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = [""]
        elif tag == "select":
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(page, form_id=None):
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields


class Reader:
    """One person's browser: cookies shared by both servers (same host, other port). The
    production cookies are Secure; this loopback test speaks plain HTTP, so the jar is told to
    send them anyway."""

    def __init__(self):
        import requests

        self.http = requests.Session()

    def _unsecure(self):
        for cookie in self.http.cookies:
            cookie.secure = False

    def get(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        response = self.http.get(url, timeout=60, **kwargs)
        self._unsecure()
        return response

    def post(self, url, data, files=None):
        # As CKEditor's upload does: the CSRF token from the cookie, in a header.
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", "")}
        response = self.http.post(
            url, data=data, files=files, headers=headers, timeout=120, allow_redirects=False
        )
        self._unsecure()
        return response

    def token(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, base, username):
        page = self.get(base + "/login/").text
        answer = self.post(
            base + "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.token(page)},
        )
        assert answer.status_code == 302, answer.text[:500]
        return self

    def submit_admin_form(self, url, changes, files=None, form_id=None):
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code)
        data = form_fields(page.text, form_id)
        data.update({name: [value] for name, value in changes.items()})
        data["_save"] = ["Lưu"]
        answer = self.post(url, data, files)
        assert answer.status_code == 302, (
            re.findall(r'class="errorlist[^>]*>(.*?)</ul>', answer.text, re.S) or answer.text[:800]
        )
        return answer


@pytest.fixture(scope="module")
def installation():
    import boto3
    import redis

    folder = Path(tempfile.mkdtemp(prefix="bantin-multi-"))
    processes = Processes(folder)
    bucket = f"bantin-{uuid.uuid4().hex[:10]}"
    s3 = boto3.client(
        "s3", endpoint_url=S3_ENDPOINT, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    s3.create_bucket(Bucket=bucket)
    cache = redis.Redis.from_url(REDIS_URL)
    cache.flushdb()  # a throwaway Redis: nothing of an earlier run may answer for this one
    try:
        with PostgresDatabase(folder) as database:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
                "DJANGO_SETTINGS_MODULE": "config.settings.prod",
                "SECRET_KEY": "multi-server-" + "s" * 60,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DEBUG": "false",
                "SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": database.url,
                "REDIS_URL": REDIS_URL,
                "STORAGE_BACKEND": "s3",
                "AWS_STORAGE_BUCKET_NAME": bucket,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_S3_ENDPOINT_URL": S3_ENDPOINT,
                "AWS_S3_REGION_NAME": "us-east-1",
                "MEDIA_ROOT": str(folder / "no-local-media"),
                "STATIC_ROOT": str(folder / "static"),
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "LOG_LEVEL": "WARNING",
                "TMPDIR": str(folder),
            }
            manage = [sys.executable, "manage.py"]
            subprocess.run(
                [*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300
            )
            # The manifest the production storage reads, without its compressed copies: making
            # them takes minutes on a busy machine, and static files are not what this checks.
            subprocess.run(
                [*manage, "shell", "-c", COLLECT_UNCOMPRESSED],
                cwd=ROOT, env=env, check=True, timeout=300,
            )  # fmt: skip
            seeded = subprocess.run(
                [*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, timeout=120,
                capture_output=True, text=True,
            )  # fmt: skip
            ids = dict(
                zip(
                    ("issue", "news", "photo", "document"),
                    seeded.stdout.split("IDS ")[1].split(),
                    strict=True,
                )
            )
            servers = []
            for name in ("a", "b"):
                port = free_port()
                processes.start(
                    f"gunicorn-{name}",
                    [sys.executable, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}",
                     "--workers=2", "--timeout=120"],
                    env,
                )  # fmt: skip
                servers.append(f"http://127.0.0.1:{port}")
            processes.start("worker", [*manage, "db_worker"], env)
            import requests

            for base in servers:
                wait_for(lambda base=base: _answers(requests, base + "/healthz"), 60, base)
            yield {
                "a": servers[0], "b": servers[1], "ids": ids, "s3": s3, "bucket": bucket,
                "processes": processes, "env": env,
            }  # fmt: skip
            processes.stop_all()
    except BaseException:
        print(processes.logs(), file=sys.stderr)
        raise
    finally:
        processes.stop_all()
        cache.flushdb()
        for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
        s3.delete_bucket(Bucket=bucket)
        shutil.rmtree(folder, ignore_errors=True)


def _answers(requests, url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def jpeg(colour):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_two_app_servers_one_worker_shared_database_cache_and_object_storage(installation):
    a, b, ids = installation["a"], installation["b"], installation["ids"]
    s3, bucket = installation["s3"], installation["bucket"]
    editor = Reader().login(a, "bientap")
    leader = Reader().login(a, "lanhdao")
    member = Reader().login(a, "canbo")  # logged in on A, reads on B: sessions are shared
    anonymous = Reader()
    admin = a + "/admin"

    # An editor uploads the news photo through server A: it lands in the bucket, not on a disk.
    editor.submit_admin_form(
        f"{admin}/news/photo/{ids['photo']}/change/",
        {},
        files={"image": ("hoi-nghi.jpg", jpeg("navy"), "image/jpeg")},
        form_id="photo_form",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    photo_name = next(key for key in keys if key.startswith("photos/"))
    photo_url = f"/media/{photo_name}"
    # And a picture inserted in the editor: the answer is the site's address, never S3's.
    page = editor.get(f"{admin}/news/newsitem/{ids['news']}/change/").text
    uploaded = editor.post(
        a + "/ckeditor5/image_upload/",
        {},
        files={"upload": ("so-do.jpg", jpeg("green"), "image/jpeg")},
    )
    editor_image = uploaded.json()["url"]
    assert editor_image.startswith("/media/editor/") and "?" not in editor_image
    body = form_fields(page, "newsitem_form")["body"][0]
    editor.submit_admin_form(
        f"{admin}/news/newsitem/{ids['news']}/change/",
        {"body": body + f'<p><img src="{editor_image}" alt="Sơ đồ"></p>'},
        form_id="newsitem_form",
    )

    # The editor submits, the leader approves and publishes, all on server A.
    issue_admin = f"{admin}/bulletin/issue/{ids['issue']}"
    for reader, step in ((editor, "submit"), (leader, "approve"), (leader, "publish")):
        token = reader.token(reader.get(issue_admin + "/change/").text)
        answer = reader.post(
            f"{issue_admin}/workflow/{step}/", {"csrfmiddlewaretoken": token, "comment": ""}
        )
        assert answer.status_code == 302

    # A member reads the news on server B and sees both pictures, through the access check
    # and then a short-lived signed link to the bucket.
    news_page = member.get(f"{b}/news/{ids['news']}/")
    assert news_page.status_code == 200
    assert f'src="{photo_url}"' in news_page.text and f'src="{editor_image}"' in news_page.text
    for url in (photo_url, editor_image):
        redirect = member.get(b + url)
        assert redirect.status_code == 302, url
        signed = redirect.headers["Location"]
        assert signed.startswith(S3_ENDPOINT) and "X-Amz-Signature" in signed
        picture = member.get(signed)
        assert picture.status_code == 200 and picture.content[:3] == b"\xff\xd8\xff"

    # A members-only photo gives an anonymous visitor nothing on either server.
    for base in (a, b):
        for url in (photo_url, editor_image):
            answer = anonymous.get(base + url)
            assert answer.status_code == 302, (base, url)
            assert answer.headers["Location"].startswith("/login/")
            assert "X-Amz" not in answer.text and bucket not in answer.headers["Location"]
        assert anonymous.get(f"{base}/news/{ids['news']}/").status_code == 302

    # The worker renders the PDFs into the bucket; the PDF downloads on server B.
    def rendered():
        listing = s3.list_objects_v2(Bucket=bucket, Prefix="pdf/").get("Contents", [])
        return len(listing) >= 2

    wait_for(rendered, 240, "the worker's PDFs in the bucket")
    pdf = member.get(f"{b}/thanh-uy/issues/2025/3/pdf/")
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"

    # An edit on A shows on B within a second (B's pages come from the shared cache).
    document_page = f"{b}/documents/{ids['document']}/"
    assert "kỷ niệm 95 năm" in member.get(document_page).text
    editor.submit_admin_form(
        f"{admin}/documents/document/{ids['document']}/change/",
        {"subject": "tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng và Đại hội Đảng bộ"},
        form_id="document_form",
    )
    edited_at = time.monotonic()
    wait_for(lambda: "Đại hội Đảng bộ" in member.get(document_page).text, 1.0, "the edit on B")
    assert time.monotonic() - edited_at < 1.0

    # Accounts are read from the shared cache (core/auth.py): a password changed on A logs the
    # member's other browser out on B at its next request; the browser that changed it stays.
    issue_page = "/thanh-uy/issues/2025/3/"
    # Read twice: B keeps the session and the account in its memory from the second page on
    # (core/cache_copies.py), until Redis says they changed.
    phone = Reader().login(b, "canbo")
    for _ in range(2):
        assert phone.get(b + issue_page).status_code == 200

    # A logout on A ends the session on B at once, even for a copy of its cookie.
    tablet = Reader().login(a, "canbo")
    for _ in range(2):
        assert tablet.get(b + issue_page).status_code == 200
    copied_session = tablet.http.cookies.get("sessionid")
    assert tablet.post(a + "/logout/", {}).status_code == 302
    thief = Reader()
    thief.http.cookies.set("sessionid", copied_session)
    replayed = thief.get(b + issue_page)
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/login/")
    new_password = "Mat-khau-moi-" + PASSWORD
    page = member.get(a + "/password_change/").text
    answer = member.post(
        a + "/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
            "csrfmiddlewaretoken": member.token(page),
        },
    )
    assert answer.status_code == 302, answer.text[:500]
    assert member.get(b + issue_page).status_code == 200
    logged_out = phone.get(b + issue_page)
    assert logged_out.status_code == 302 and logged_out.headers["Location"].startswith("/login/")

    # An account disabled elsewhere (here a shell on a third host) is refused on both servers.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DEACTIVATE_CANBO],
        cwd=ROOT, env=installation["env"], check=True, timeout=120,
    )  # fmt: skip
    for base in (a, b):
        refused = member.get(base + issue_page)
        assert refused.status_code == 302 and refused.headers["Location"].startswith("/login/")
