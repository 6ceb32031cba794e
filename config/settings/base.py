"""Settings shared by every environment. Environment-specific files import from here."""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _templates_release():
    """A digest of what renders the pages (templates, template tags, translations)."""
    digest = hashlib.sha256()
    patterns = ["templates/**/*", "*/templates/**/*", "*/templatetags/*.py", "locale/**/*.mo"]
    for path in sorted(p for pattern in patterns for p in BASE_DIR.glob(pattern) if p.is_file()):
        digest.update(path.relative_to(BASE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Part of the keys of cached issue pages and of their ETag: an upgrade that changes how a page
# looks is seen at once, instead of the previous rendering being served from the shared cache
# (and confirmed to browsers by a 304) for up to a day.
RELEASE = os.environ.get("RELEASE") or _templates_release()


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The header's logout button without a token (no script to read the cookie) gets the logout page.
CSRF_FAILURE_VIEW = "members.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search: SearchVector, SearchRank, trigram lookups
    "django_ckeditor_5",
    "adminsortable2",
    "django_filters",
    "reversion",
    "django_tasks",
    "core.apps.TasksConfig",  # django_tasks_db, with a translated name
    "axes",
    "core",
    "bulletin",
    "documents",
    "news",
    "members",
]

MIDDLEWARE = [
    # First, so that every query of a request (sessions, cache, views) has a time limit.
    "core.health.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, looking the account up with the session in one cache read (core/sessions.py).
    "core.auth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.CSPMiddleware",
    "core.security.LoginRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it is the first to see a view's exception: a database outage gives a 503 page.
    "core.health.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Without DATABASE_URL the embedded SQLite file is used, so a fresh clone runs with nothing else.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Seconds a web request waits for a database answer before the 503 page, with the production
# PostgreSQL backend (core/postgresql/base.py); other backends wait as long as it takes.
DATABASE_ANSWER_TIMEOUT = float(os.environ.get("DATABASE_ANSWER_TIMEOUT", "2"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A double click on a form of the admin (or two editors at once) ran two write transactions
    # that SQLite refuses at once with "database is locked": the second click got the 503 page.
    # Taking the write lock when the transaction starts makes the second wait for the first.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The account and its permissions read from the cache on each request (core/auth.py).
    "core.auth.CachedModelBackend",
    # Only for the sessions opened before core.auth existed, which name this backend: without it
    # their members would be logged out at the upgrade (and their offline copies deleted).
    # Remove once SESSION_COOKIE_AGE (two weeks) has passed since that release.
    "django.contrib.auth.backends.ModelBackend",
]
# How long a cached account (core/auth.py) lives when nothing drops it sooner: every change made
# through the models drops it at once; this bounds only changes made behind the ORM's back.
USER_CACHE_SECONDS = 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
# Vietnamese only: with English offered too, a phone set to English got the menus, buttons and
# messages in English around the Vietnamese text (the English strings are only the source).
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Media of members-only issues must not be world-readable: it is served by a view that checks
# access (see bulletin.views), never straight from MEDIA_URL by the web server.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads and PDFs go through the storage API only, so S3-compatible object storage (several app
# servers without a shared disk) is a setting: STORAGE_BACKEND=s3 and the AWS_* variables.
# Objects are private: pages link to /media/<name> (core/storage.py), and the media view, after
# its access check, redirects to a signed link valid AWS_QUERYSTRING_EXPIRE seconds.
if os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower() == "s3":
    STORAGES["default"] = {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "60")),
            "file_overwrite": False,
            # Signature v4 links carry their lifetime (X-Amz-Expires) and work on every region.
            "signature_version": "s3v4",
        },
    }
# With a web server in front (see README, Deploying), the protected-media view only checks access
# and answers with X-Accel-Redirect to this internal location, e.g. "/protected-media/"; the web
# server then sends the file. Empty: Django streams the file itself.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# Upload limits: a photo or an editor's image upload larger than this is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_UPLOAD_MAX_BYTES = 15 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bantin@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people use to reach the site, for the links in workflow e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CACHES = {
    "default": {
        # Django's, whose session and account reads stay in the process while SQLite says
        # nothing was written (core/db_cache.py).
        "BACKEND": "core.db_cache.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
# Sessions read from the default cache, written through to the database: a member's page asks
# nothing of the session table, and a lost cache (Redis restarted) logs nobody out. Django's
# cached_db engine, reading the session's account in the same cache request (core/sessions.py).
SESSION_ENGINE = "core.sessions"
# Reader pages under keys that name the content state (core/pagecache.py): each process may keep
# its own copy, since a page that changed gets a new key and never needs invalidating. This
# cache and the next are kept unpickled: their values are never changed (core/process_cache.py).
CACHES["pages"] = {
    "BACKEND": "core.process_cache.ProcessMemoryCache",
    "LOCATION": "reader-pages",
    # At most a few tens of MB per process: pages weigh 5 to 100 KB.
    "OPTIONS": {"MAX_ENTRIES": 300},
}
# Small memos that only save work in this process (members/signals.py: readings written lately).
CACHES["process"] = {
    "BACKEND": "core.process_cache.ProcessMemoryCache",
    "LOCATION": "process-memo",
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}

# How long an app process trusts its copy of the content state (core/pagecache.py): a change made
# on another app server shows there at most this much later.
PAGE_STATE_MEMO_SECONDS = float(os.environ.get("PAGE_STATE_MEMO_SECONDS", "0.5"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task RUNNING longer than this lost its worker (a PDF renders in seconds): manage.py
# task_worker runs it again, up to TASK_MAX_ATTEMPTS claims in all (core/stuck_tasks.py).
TASK_STUCK_AFTER = datetime.timedelta(minutes=int(os.environ.get("TASK_STUCK_AFTER_MINUTES", "15")))
TASK_MAX_ATTEMPTS = 3

# dumpdata/loaddata (and revisions) keep times to the microsecond; Django's JSON cuts them.
SERIALIZATION_MODULES = {"json": "core.exact_json"}

# Decoded photos shared by every PDF render on this machine (WeasyPrint's disk cache).
BULLETIN_PDF_IMAGE_CACHE = Path(tempfile.gettempdir()) / "bantin-pdf-images"

# The printed PDF's page set-up, by default as Hướng dẫn 36-HD/VPTW asks of Party documents; a
# print shop may ask for others. A5 pages scale them down (bulletin/printing/rendering.py).
# Checked at start-up (manage.py check): a bad value is an error naming the variable.
PDF_PAPER = os.environ.get("PDF_PAPER", "A4").strip().upper()  # a download's paper by default
PDF_MARGINS_MM = os.environ.get("PDF_MARGINS_MM", "20,15,20,30")  # top, right, bottom, left on A4
PDF_BODY_PT = os.environ.get("PDF_BODY_PT", "13")  # body type on A4, 13 to 14 pt
PDF_RUNNING_HEADER = env_bool("PDF_RUNNING_HEADER", False)  # the title atop each page

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# The bulletin's publisher, printed on the cover; an issue copies it when created.
BULLETIN_COMMITTEE = os.environ.get("BULLETIN_COMMITTEE", "THÀNH ỦY CAO BẰNG")
BULLETIN_BOARD = os.environ.get("BULLETIN_BOARD", "BAN TUYÊN GIÁO")
# The short name in the URLs of the committee above, the default one: the first migration to
# many committees creates it, and the old addresses (/issues/2024/6/) lead to its pages.
BULLETIN_COMMITTEE_SLUG = os.environ.get("BULLETIN_COMMITTEE_SLUG", "thanh-uy")

# django-axes: lock an account at one address after repeated failed logins. The pair, never the
# account or the address alone: either alone let anyone lock out the leader from anywhere, or
# every colleague behind the office's address (core.security.LoginRateLimitMiddleware slows down
# one address trying many accounts instead).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "20"))
LOGIN_RATE_WINDOW = 60  # seconds
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # shared by every app server
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy every request comes from the proxy's address: trust the proxy's
# X-Forwarded-For for that many hops (see TRUSTED_PROXY_HOPS in the README).
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

# django-csp: the site needs nothing from elsewhere; the admin's CKEditor 5 needs inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Added to the policy under the admin (and CKEditor's upload URL) only, by
# core.security.CSPMiddleware: CKEditor 5 injects <style> elements and style attributes, and
# previews pasted or uploading images from blob: URLs. It needs no inline or eval'd script.
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The container's health probe talks plain HTTP to the app server, never through the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# django-ckeditor-5: one toolbar for every rich-text field; uploads go through our validated view.
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "ckeditor-image-upload"  # core.images.upload_view
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CUSTOM_CSS = "css/admin-editor.css"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "vi",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "superscript",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertTable",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Đoạn văn", "class": "ck-heading_paragraph"},
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Tiêu đề mục",
                    "class": "ck-heading_heading3",
                },
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Tiêu đề nhỏ",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        "image": {"toolbar": ["imageTextAlternative", "toggleImageCaption"]},
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        # General HTML Support: the classes the sanitizer allows (core.richtext.ALLOWED_CLASSES)
        # that carry meaning the editor has no feature for. Without this CKEditor drops them on
        # load, and a save without any change lost every photo slot of an imported news item.
        "htmlSupport": {
            "allow": [
                {"name": "p", "classes": ["caption-pending", "lead-in"]},
                {"name": "span", "classes": ["lead-in"]},
                {"name": "ul", "classes": ["list-dash", "list-plus"]},
                {"name": "sup", "classes": ["footnote-ref"]},
            ]
        },
    },
}

# One line per event on stdout (JSON, tracebacks included in the line), so `docker compose logs`
# and any log collector see whole events.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": "core.logs.OneLineFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every render at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
