"""One settings module, driven by environment variables.

A value that cannot be understood stops start-up with ImproperlyConfigured naming the
variable: a typo in production must not silently fall back to a default.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from campaigndesk import filemodes

BASE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list:
    """Comma-separated addresses or networks ("127.0.0.1,10.0.0.0/8")."""
    import ipaddress

    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an address or network") from None
    return networks


def database_from_url(url: str) -> dict:
    """sqlite:///absolute/path.sqlite3 or postgres://user:password@host:port/name."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no SQLite file")
        return sqlite_database(Path(path))
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database")
        # Like SQLite's busy timeout: a request waits at most 20 s for a lock another
        # transaction holds, then gets "please try again" instead of hanging until the
        # worker is killed.
        if "lock_timeout" not in options.get("options", ""):
            options["options"] = (options.get("options", "") + " -c lock_timeout=20s").strip()
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:/// or postgres://"
    )


def mailbox_from_url(url: str, name: str = "MAIL_INTAKE_URL") -> dict | None:
    """imaps://user:password@host:port/INBOX (TLS) or imap://… (plain, for a local server).
    User and password are URL-encoded (an address as user name: %40 for @)."""
    if not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"imap", "imaps"}:
        raise ImproperlyConfigured(f"{name}: scheme {parts.scheme!r} is not supported; use "
                                   "imaps:// (or imap:// for a local server)")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port is not a number") from None
    if not parts.hostname or not parts.username or parts.password is None:
        raise ImproperlyConfigured(f"{name} must name the user, password and host: "
                                   "imaps://user:password@host/INBOX")
    return {
        "tls": parts.scheme == "imaps",
        "host": parts.hostname,
        "port": port or (993 if parts.scheme == "imaps" else 143),
        "user": unquote(parts.username),
        "password": unquote(parts.password),
        "mailbox": unquote(parts.path.lstrip("/")) or "INBOX",
    }


def sqlite_database(path: Path) -> dict:
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so a transaction waits for the busy timeout instead of failing half-way with
    # "database is locked" when it first writes.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DEBUG = env_bool("DEBUG", False)
# Demo mode loads the 2022 campaign with well-known passwords: never on unless asked for.
DEMO_MODE = env_bool("CAMPAIGNDESK_DEMO", False)
# Issue 17 point 2: this installation runs at 民政部. The ministry's staff (role 民政部工作人员)
# may then be given their role, import the provinces' packages and see the national page;
# off, those pages are refused (403) and the role is not offered (campaigndesk.ministry).
MINISTRY_MODE = env_bool("CAMPAIGNDESK_MINISTRY", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set; production sets its own (README, Production). On this machine "
        "`make install` writes var/local.env, which the `campaigndesk` command reads when run "
        "in the project folder"
    )
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# In Chinese, also with DEBUG on (Django's own page names the settings).
CSRF_FAILURE_VIEW = "campaigndesk.security.errors.csrf_failure"

DATA_DIR = Path(os.environ.get("CAMPAIGNDESK_DATA_DIR") or BASE_DIR.parent / "var").resolve()
MEDIA_ROOT = DATA_DIR / "media"
# Every folder of DATA_DIR where the product stores files: photos (media, i.e. MEDIA_ROOT),
# final summaries, tables uploaded and awaiting confirmation. `backup` copies each one,
# and a test checks that the product stores files nowhere else.
STORAGE_FOLDERS = ("media", "summaries", "imports")
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

_database_url = os.environ.get("DATABASE_URL", "")
# The data folder holds the SQLite file, uploads and collected static files: owner-only,
# and so is everything this process creates from here on (campaigndesk/filemodes.py).
filemodes.owner_only_from_now()
for _folder in (DATA_DIR, MEDIA_ROOT, STATIC_ROOT):
    filemodes.private_folder(_folder)
for _name in STORAGE_FOLDERS:
    filemodes.private(DATA_DIR / _name)
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "campaigndesk.sqlite3")}
    filemodes.private_sqlite(DATA_DIR / "campaigndesk.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "campaigndesk.audit",
    "campaigndesk.security",
    "campaigndesk.units",
    "campaigndesk.campaigns",
    "campaigndesk.progress",
    "campaigndesk.articles",
    "campaigndesk.oversight",
    "campaigndesk.places",
    # Issue 15: the department's mailbox as an intake (fetch_mail, the 邮件报送 pages).
    "campaigndesk.intake",
    # Issue 17 point 2: province packages imported at the ministry, and the national page.
    "campaigndesk.ministry",
    # Issue 17 point 4: long work as jobs of a task queue (django-q2 carries them).
    "django_q",
    "campaigndesk.jobs",
    # Issue 17 point 1: a league bureau's cascade to its counties (县 → 盟市 → 自治区).
    "campaigndesk.cascade",
    # The REST API (/api/v1/); "ninja" serves its Swagger UI from our static files, not a CDN.
    "ninja",
    "campaigndesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "campaigndesk.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside the request limit: its 413 (and any other HTML error) under /api/ as JSON.
    "campaigndesk.api.middleware.JsonErrorsMiddleware",
    # Before CSRF, which parses the body: oversized uploads get a Chinese page.
    "campaigndesk.security.middleware.RequestLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "campaigndesk.security.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "campaigndesk.security.idle.IdleTimeoutMiddleware",
    "campaigndesk.security.middleware.AccessGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "campaigndesk.audit.middleware.AuditContextMiddleware",
    # Sees the view's exceptions next to first (a locked database becomes "please try
    # again" with the input kept) and audits refusals and server errors in one place.
    "campaigndesk.security.errors.ErrorMiddleware",
    # Innermost: a write refused because its campaign is closed is an answer (back to the
    # page with the reason), not a server error, so it is handled before ErrorMiddleware.
    "campaigndesk.campaigns.middleware.CampaignClosedMiddleware",
]

ROOT_URLCONF = "campaigndesk.urls"
WSGI_APPLICATION = "campaigndesk.wsgi.application"
AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "campaigndesk.navigation.navigation",
            ],
            # {% error_summary %}: the list of errors at the top of every edit form.
            "libraries": {"form_errors": "campaigndesk.formerrors"},
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "campaigndesk.security.passwords.ComplexityValidator"},
    {"NAME": "campaigndesk.security.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's list of 20,000 common passwords, also with a few characters added before or
    # after (12345678Aa), and none of the account's last 5 passwords.
    {"NAME": "campaigndesk.security.passwords.CommonPasswordVariantValidator"},
    {"NAME": "campaigndesk.security.passwords.PasswordHistoryValidator",
     "OPTIONS": {"keep": 5}},
]
# The model backend, refusing locked user names (campaigndesk.security.lockout).
AUTHENTICATION_BACKENDS = ["campaigndesk.security.backends.LockoutBackend"]
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15, minimum=1)
# The throttle per source address (campaigndesk.security.throttle), against one address
# locking every account: after this many failures in the window each further attempt from
# the address waits longer (1 s, 2 s, 4 s … up to a minute), and an address that failed on
# this many different user names is refused for LOGIN_LOCK_MINUTES.
LOGIN_ADDRESS_SLOW_AFTER = env_int("LOGIN_ADDRESS_SLOW_AFTER", 10, minimum=1)
LOGIN_ADDRESS_MAX_ACCOUNTS = env_int("LOGIN_ADDRESS_MAX_ACCOUNTS", 10, minimum=2)
# Against guessing one account from many addresses (campaigndesk.security.lockout): after
# this many failures on a user name within the hour, from whatever addresses, only the
# addresses that have logged in to it before may still try (until an unlock or the hour).
LOGIN_ACCOUNT_MAX_FAILURES = env_int("LOGIN_ACCOUNT_MAX_FAILURES", 20, minimum=2)
LOGIN_ACCOUNT_WINDOW_MINUTES = env_int("LOGIN_ACCOUNT_WINDOW_MINUTES", 60, minimum=1)
# 0 turns expiry off; demo accounts never expire in demo mode.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
# Region accounts (everyone but unit reporters) must use the TOTP second factor.
OTP_REQUIRED_FOR_REGION = env_bool("OTP_REQUIRED_FOR_REGION", False)
OTP_TOTP_ISSUER = "Campaign Desk"
# 等保 2.0 asks for at least 180 days; purge_audit never removes younger entries.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Tests and `make run` (DEBUG off, campaigndesk/localenv.py) serve straight from the app
# folders without collectstatic, so without the collected files' manifest either.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if WHITENOISE_USE_FINDERS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The idle timeout is kept by campaigndesk.security.idle in a signed cookie, so that a plain
# GET never writes the session (a write waits for the database lock, and a locked database
# must not turn every page into an error). The stored session lives at most
# SESSION_MAX_HOURS after log-in, however active the user is.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our own files (no inline JS, no eval-based htmx features). Styles allow
# 'unsafe-inline' because templates use a few style="" attributes and htmx injects its
# indicator <style>; CSS cannot run script, and every other source is still 'self'.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)

# Behind HTTPS in production; `make run` (HTTPS=0) and the tests serve plain HTTP.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address behind the proxy (campaigndesk.core.addresses): the header the
# proxy writes, how many proxies append to it, and the addresses the nearest proxy connects
# from (the header of anyone else is ignored).
PROXY_CLIENT_HEADER = os.environ.get("PROXY_CLIENT_HEADER", "X-Forwarded-For").strip()
if not PROXY_CLIENT_HEADER or not all(c.isalnum() or c == "-" for c in PROXY_CLIENT_HEADER):
    raise ImproperlyConfigured(f"PROXY_CLIENT_HEADER={PROXY_CLIENT_HEADER!r} is not a header name")
PROXY_HOPS = env_int("PROXY_HOPS", 1, minimum=1)
PROXY_NETWORKS = env_networks("PROXY_ADDRESSES", ["127.0.0.1", "::1"])

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "campaigndesk@localhost")
# Put in front of the links in reminder e-mails, e.g. https://campaign.example.gov.cn
CAMPAIGNDESK_SITE_URL = os.environ.get("CAMPAIGNDESK_SITE_URL", "").rstrip("/")
if CAMPAIGNDESK_SITE_URL and not CAMPAIGNDESK_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"CAMPAIGNDESK_SITE_URL={CAMPAIGNDESK_SITE_URL!r} must start with https:// or http://")
# Dotted path of the SMS backend class (send(phone, text)); empty: write to the log.
CAMPAIGNDESK_SMS_BACKEND = os.environ.get("CAMPAIGNDESK_SMS_BACKEND", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
else:
    # No SMTP server configured: mails are written to the console log, never lost silently.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The department's mailbox read by `campaigndesk fetch_mail` (campaigndesk.intake); unset:
# the command says so and reads nothing.
MAIL_INTAKE = mailbox_from_url(os.environ.get("MAIL_INTAKE_URL", ""))
# Acknowledge each mail with attachments to its sender ("已收到…，请登录确认"), and tell
# them when an attachment was refused. Off by default: the department decides.
MAIL_INTAKE_REPLIES = env_bool("MAIL_INTAKE_REPLIES", False)
# The job worker (`run_worker`) fetches the mailbox this often as a background job when
# MAIL_INTAKE_URL is set; 0: never by itself (cron runs `fetch_mail` instead).
MAIL_INTAKE_FETCH_MINUTES = env_int("MAIL_INTAKE_FETCH_MINUTES", 5, minimum=0)
# An attachment larger than this is refused (recorded, never stored); as large as an upload.
MAIL_INTAKE_MAX_ATTACHMENT_BYTES = env_int(
    "MAIL_INTAKE_MAX_ATTACHMENT_MB", env_int("UPLOAD_MAX_MB", 25, minimum=1),
    minimum=1) * 1024 * 1024

# Uploads larger than this never reach a view.
# The whole request, files included (Django's own caps leave files out); the reverse
# proxy should refuse the same size (client_max_body_size).
# Background jobs (campaigndesk.jobs). JOBS_BROKER: empty for the database (no other server;
# the worker is `campaigndesk run_worker`), or redis://host:port/db for several hosts.
JOBS_BROKER = os.environ.get("JOBS_BROKER", "").strip()
if JOBS_BROKER and not JOBS_BROKER.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"JOBS_BROKER={JOBS_BROKER!r}: empty (the database) or redis://…")
JOBS_WORKERS = env_int("JOBS_WORKERS", 2, minimum=1)
JOBS_KEEP_HOURS = env_int("JOBS_KEEP_HOURS", 24, minimum=1)
JOBS_TIMEOUT = env_int("JOBS_TIMEOUT_SECONDS", 3600, minimum=10)
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 5, minimum=1)
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60, minimum=2)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3, minimum=1)
Q_CLUSTER = {
    "name": "campaigndesk",
    "workers": JOBS_WORKERS,
    "timeout": JOBS_TIMEOUT,
    # The database broker hands a task out again when no receipt came this long after it was
    # taken; the Job row's heartbeat (campaigndesk.jobs.services.sweep) is faster, this is the
    # library's own second line.
    "retry": JOBS_TIMEOUT + 60,
    "save_limit": 0,
    "poll": 0.5,
    "catch_up": False,
    "label": "后台任务",
    **({"redis": JOBS_BROKER} if JOBS_BROKER else {"orm": "default"}),
}

REQUEST_MAX_BYTES = env_int("UPLOAD_MAX_MB", 25, minimum=1) * 1024 * 1024
# The form fields of one request (files apart) may fill the same: a grid of 2,000 rows
# with ~1,400 Chinese characters each (9 bytes URL-encoded) fits. Django's 5 MB default
# refused a 1,500-row grid of 5.5 MB while the 413 page said 25 MB; one limit, one message.
# grid.js checks the encoded size against it before sending (data-max-bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 30
# Pixels of one photo (upload or picture in a .docx), read from the file's header before
# any decoding: 40 megapixels takes a 12-40 MP phone photo; a 50 MP full-resolution shot
# must be reduced. A 50 MP 1-bit PNG costs ~4 s to decode, so a .docx also has a total cap
# (twenty 12 MP phone photos fit): pictures past it are refused without being decoded.
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_MEGAPIXELS", 40, minimum=1) * 1_000_000
IMPORT_PHOTOS_MAX_PIXELS = env_int("IMPORT_PHOTOS_MAX_MEGAPIXELS", 250, minimum=1) * 1_000_000
# A province package (campaigndesk.ministry) arrives as one upload, so UPLOAD_MAX_MB caps its
# compressed size; this caps what its entries claim to hold once inflated (a zip bomb is
# refused from the directory, before anything is inflated) and what is really read.
MINISTRY_PACKAGE_MAX_BYTES = env_int("MINISTRY_PACKAGE_MAX_MB", 200, minimum=1) * 1024 * 1024
# Rows the progress grid takes in one save; more are refused with a message, never cut.
PROGRESS_GRID_MAX_ROWS = env_int("PROGRESS_GRID_MAX_ROWS", 2000, minimum=1)
# The grid posts about 16 fields per row: room for a grid over the limit to be refused
# with its message rather than by Django's field count.
DATA_UPLOAD_MAX_NUMBER_FIELDS = max(40_000, 20 * (PROGRESS_GRID_MAX_ROWS + 100))
# Requests one API token may make per minute (campaigndesk.api.ratelimit); over it: 429.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120, minimum=1)
# Activities (data rows) one uploaded table may hold; the template's header rows do not
# count. A 50,000-row .xlsx (3.4 MB) was read and checked in 21 s; the reader child
# peaked at 144 MB (PROGRESS_READER_MEMORY_MB). Lower it where uploads must answer faster.
PROGRESS_IMPORT_MAX_ROWS = env_int("PROGRESS_IMPORT_MAX_ROWS", 50_000, minimum=1)
# The child process that reads an uploaded table (progress.excel.sandbox).
PROGRESS_READER_MEMORY_MB = env_int("PROGRESS_READER_MEMORY_MB", 1024, minimum=128)
PROGRESS_READER_SECONDS = env_int("PROGRESS_READER_SECONDS", 20, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
