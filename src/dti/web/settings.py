"""Settings, all from environment variables (see docs/operations.md).

SQLite in WAL mode by default (a file under DTI_DATA_DIR); PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dti.documents.opendata import LICENSES

BASE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


DATA_DIR = Path(os.environ.get("DTI_DATA_DIR", Path.cwd() / "var")).resolve()
DEBUG = env_bool("DTI_DEBUG", False)


def _secret_key() -> str:
    """DTI_SECRET_KEY, or a random key kept in DATA_DIR so sessions survive restarts of a local install."""
    if os.environ.get("DTI_SECRET_KEY"):
        return os.environ["DTI_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DTI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
                 if h.strip()]

INSTALLED_APPS = [
    "dti.accounts",
    "dti.assessments",
    "dti.portal",
    "dti.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not from a CDN
    "django_tasks",
    "django_tasks_db",
]

# Long work runs as background tasks, stored in the database and taken by `dti worker` (`make demo` starts one
# beside the server); a web request only asks for it and shows its progress.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dti.web.middleware.ChosenLanguageMiddleware",
    "dti.web.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dti.web.middleware.ServingPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dti.accounts.middleware.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out login into the lockout page
]

ROOT_URLCONF = "dti.web.urls"
WSGI_APPLICATION = "dti.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "dti.accounts.context.role",
        "dti.web.context.figures_as_of",
        "dti.web.context.site_url",
        "dti.web.context.chart_words",
    ]},
}]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "dti.sqlite3",
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so that two
        # writers queue instead of failing half-way.
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE", "timeout": 20},
        # A worker keeps its connection from request to request: opening one reads the whole schema again and
        # loses the prepared statements, a third of a short request's time.
        "CONN_MAX_AGE": 600,
    }}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache that every app server shares, so that what one worker or machine computed (a period's results
# after a change, its analyses, public pages) the others read: DTI_CACHE=database (the default: a table of the
# database above) or a Redis address (redis://host:6379/0, with the Python package "redis" installed).
DTI_CACHE = os.environ.get("DTI_CACHE", "database").strip()
if DTI_CACHE.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DTI_CACHE}}
elif DTI_CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dti_cache",
                          "OPTIONS": {"MAX_ENTRIES": 5000}}}
else:
    raise ImproperlyConfigured(f"DTI_CACHE must be 'database' or a redis:// address, not {DTI_CACHE!r}")

# Where computing a page's figures again after a write takes longer than DTI_SLOW_SECONDS (a national period: seconds),
# the page shows those computed at most DTI_SERVE_RECENT_SECONDS ago while the worker computes the current ones,
# and says when they were computed. DTI_SERVE_RECENT_SECONDS=0: every page waits for the current figures.
DTI_SLOW_SECONDS = float(os.environ.get("DTI_SLOW_SECONDS", "0.2"))
DTI_SERVE_RECENT_SECONDS = int(os.environ.get("DTI_SERVE_RECENT_SECONDS", "600"))
# A period of more units is large: its decision, appendices and open data are written by the worker, and so are
# its figures the first time a page asks for them (the page says they are being computed), never in a request.
DTI_LARGE_PERIOD_UNITS = int(os.environ.get("DTI_LARGE_PERIOD_UNITS", "1000"))
# The portal's about page: who publishes the results (the secretariat, Sở Khoa học và Công nghệ since 2025) and
# how to reach it; blank ones are left out.
DTI_PORTAL_PUBLISHER = os.environ.get("DTI_PORTAL_PUBLISHER", "").strip()
DTI_PORTAL_CONTACT = os.environ.get("DTI_PORTAL_CONTACT", "").strip()
# The licence of the open data (an SPDX identifier that dti.documents.opendata.LICENSES knows).
DTI_OPEN_DATA_LICENSE = os.environ.get("DTI_OPEN_DATA_LICENSE", "CC-BY-4.0").strip()
if DTI_OPEN_DATA_LICENSE not in LICENSES:
    raise ImproperlyConfigured(f"DTI_OPEN_DATA_LICENSE must be one of {', '.join(LICENSES)}, "
                               f"not {DTI_OPEN_DATA_LICENSE!r}")

# Argon2id for new and changed passwords; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    # Django's model backend, reading the person back with their role, unit and second step in one query
    "dti.accounts.backends.AccountBackend",
]
# Login throttling: five failures for one account from one address lock that pair out for 15 minutes. Locking by
# address alone would lock out a whole office behind one NAT; by account alone, anyone could lock out anyone.
AXES_FAILURE_LIMIT = int(os.environ.get("DTI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DTI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
DTI_PROXY_COUNT = int(os.environ.get("DTI_PROXY_COUNT", "0"))  # reverse proxies in front (nginx: 1)
AXES_CLIENT_IP_CALLABLE = "dti.web.client_address.client_address"  # the client behind them, not the proxy

OTP_TOTP_ISSUER = os.environ.get("DTI_TOTP_ISSUER", "DTI")  # the name authenticator apps show

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "assessments:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `dti manage collectstatic` (which `dti demo` runs) writes every static file here under a name carrying a hash
# of its content, with a gzip copy beside it; WhiteNoise serves those, kept by browsers for good
# (dti.web.static_files). Until then pages name the package's own files, which WhiteNoise's finders serve.
STATIC_ROOT = Path(os.environ.get("DTI_STATIC_ROOT") or DATA_DIR / "static")
MEDIA_ROOT = DATA_DIR / "evidence"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dti.web.static_files.HashedStaticFiles"},
}
WHITENOISE_USE_FINDERS = True
# A vendored library's name carries its version (echarts-6.1.0.min.js): what is behind a name never changes, so
# browsers keep it for good even when served from the package; so does a hashed name. `make` compresses the
# vendored files beside themselves (their .gz, served to browsers that accept gzip: ECharts 1.1 MB → 0.36 MB).
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/static/(vendor/[a-z]+-\d+(\.\d+)+\.min|.+\.[0-9a-f]{12})\.(js|css|svg|png)$"
# Before the first collectstatic, STATIC_ROOT does not exist yet; WhiteNoise would warn at every start.
warnings.filterwarnings("ignore", message="No directory at: ")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script anywhere (charts draw from JSON data islands through dti.js); nothing from another host.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "style-src-attr": [UNSAFE_INLINE],  # the charts' SVG carries style attributes; no <style> element is allowed
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}}
if env_bool("DTI_HTTPS", False):
    # Production behind TLS: cookies only over HTTPS, HTTP redirected, browsers told to stay on HTTPS for a year.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DTI_HSTS_PRELOAD", True)
    if DTI_PROXY_COUNT:  # TLS ends at the proxy, which says so in this header
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("DTI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DTI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DTI_EMAIL_PORT", "25"))
EMAIL_TIMEOUT = int(os.environ.get("DTI_EMAIL_TIMEOUT", "10"))  # a mail server that hangs holds no request long
EMAIL_HOST_USER = os.environ.get("DTI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DTI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DTI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DTI_EMAIL_FROM", "dti@localhost")
# The address officers open the site at: e-mails link to their pages under it.
DTI_SITE_URL = os.environ.get("DTI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Every upload (evidence, results files, frameworks) is at most 10 MB; a request larger than that with its form
# fields is refused from its Content-Length before its body is read (web/middleware.py).
DTI_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DTI_MAX_REQUEST_BYTES = DTI_MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DTI_LOG_LEVEL", "WARNING")},
}
