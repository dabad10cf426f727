"""Site-wide settings.

Defaults suit a developer's machine; production behaviour is switched on by environment
variables (see .env.example and README.md). With DEBUG off and no secret key, start-up fails.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from pomsite.cache_url import cache_from_url
from pomsite.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DJANGO_DEBUG=true on a development machine."
        )
    # A fixed, public key, only ever used with DEBUG on (never in production).
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "simple_history",
    "axes",
    "content",
    "pomsite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are served from here, with the headers the middleware below added
    # when the page was stored (pomsite/page_cache.py).
    "pomsite.page_cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "pomsite.security.SecurityHeadersMiddleware",
    "pomsite.security.RequestGuardMiddleware",
    "pomsite.errors.DatabaseOutageMiddleware",
    "pomsite.page_cache.LastGoodCopyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pomsite.audience.AudienceGateMiddleware",
    # Records who made each change to content (see docs/editing.md).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns repeated failed admin logins into a lockout page; axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pomsite.urls"
WSGI_APPLICATION = "pomsite.wsgi.application"

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
                "content.context_processors.site_chrome",
            ],
        },
    },
]

# DATABASE_URL: postgres://user:password@host:5432/name in production; SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that stops answering must not hold the site: a web request waits at most this long
# for one database call, then gets the last good copy of its page or the 503 (pomsite/errors.py).
DATABASE_QUERY_TIMEOUT = float(os.environ.get("DJANGO_DB_QUERY_TIMEOUT", "2"))
_DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock at the start of a transaction, so two editors saving at once
    # are checked one after the other (optimistic locking), never "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    # A lock held elsewhere is waited for this long (Python's default is 5 s).
    DATABASES["default"]["OPTIONS"]["timeout"] = DATABASE_QUERY_TIMEOUT
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with each call of a web request bounded (pomsite/db_deadline.py); libpq
    # gives up on a server that accepts no connection after connect_timeout (2 s at least).
    DATABASES["default"]["ENGINE"] = "pomsite.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = _DATABASE_CONNECT_TIMEOUT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WhiteNoise serves hashed names ("site.3f2a9c.css") as immutable for ten years by itself; this is
# for the few requests for an unhashed name, whose content can change with the next release.
WHITENOISE_MAX_AGE = 3600

# One Markdown pipeline: the admin preview calls the same function that renders pages.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.render.render_markdown"
MARKDOWNX_MEDIA_PATH = "editor-images/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
# The largest request body each part of the site takes (bytes; pomsite/security.py answers 413
# before reading more). Public pages take none; the US-audience answer is a word and a path.
# deploy/nginx/pomsite.conf sets the same limits.
REQUEST_BODY_LIMITS = {
    "audience_question": 8 * 1024,
    # Ten questions of 200 letters, percent-encoded (a non-English letter takes up to 9 bytes).
    "content:questions_sheet": 32 * 1024,
    "markdownx_markdownify": 2 * 1024 * 1024,
    "reading_grade": 2 * 1024 * 1024,
    # Twice the picture limit: up to here the editor gets the upload form's message in JSON.
    "markdownx_upload": 2 * MARKDOWNX_UPLOAD_MAX_SIZE,
    "admin:index": 5 * 1024 * 1024,
}
REQUEST_BODY_DEFAULT_LIMIT = 1024
# An upload stays in memory: nothing anyone sends is written to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_LIMITS["markdownx_upload"]
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_LIMITS["admin:index"]

# Behind HTTPS in production: DJANGO_HTTPS=true turns on redirects, HSTS and secure cookies.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe the health endpoint over plain HTTP; it must answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
CSRF_COOKIE_SAMESITE = "Lax"


def _origin(url: str) -> list[str]:
    """The origin of an absolute STATIC_URL or MEDIA_URL (a CDN), for the CSP; none if relative."""
    return ["/".join(url.split("/", 3)[:3])] if url.startswith(("https://", "http://")) else []


# Content-Security-Policy (django-csp). Scripts and styles only from our own files: no inline
# code, no eval, no inline style attributes. The Django admin and the Markdown editor's widget
# need none of these (checked in a real browser: tests/browser/test_admin_under_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, *_origin(STATIC_URL)],
        "style-src": [SELF, *_origin(STATIC_URL)],
        "img-src": [SELF, *_origin(STATIC_URL), *_origin(MEDIA_URL)],
        "font-src": [SELF, *_origin(STATIC_URL)],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Browser features this site never uses, turned off for it and anything it could embed.
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
    "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection",
    "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
    "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip

# Caching. CACHE_URL picks the backend (pomsite/cache_url.py): local memory by default, Redis or
# Memcached shared by every app server in production.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", "locmem://"),
        key_prefix=os.environ.get("DJANGO_CACHE_KEY_PREFIX", "pomsite"),
    )
}
# The page cache's generation number must be the same for every process serving pages. A shared
# cache is; local memory is per process, so then the number lives in a small file cache that all
# gunicorn workers on this host share (several hosts need Redis or Memcached anyway).
CACHES["page-generation"] = (
    {
        "BACKEND": "pomsite.number_cache.NumberFileCache",
        "LOCATION": BASE_DIR / ".page-cache-generation",
    }
    if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else CACHES["default"]
)
# Public pages: kept this long in the cache (an editor's save makes older copies unreachable at
# once, see pomsite/page_cache.py); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# The last good copy of each page, served while the database is down.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_STALE_SECONDS", "86400"))
# How long a CDN or other shared proxy may keep a public page (s-maxage). Browsers revalidate.
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("DJANGO_CDN_MAX_AGE", "60"))
# Where gunicorn writes public pages as files for nginx on the same host to serve
# (pomsite/page_files.py, deploy/nginx/pomsite.conf's @PAGE_FILES@); empty: none are written.
PAGE_FILES_DIR = os.environ.get("DJANGO_PAGE_FILES_DIR", "")
# The pages that read query parameters (by URL name), each parameter with the pattern of a
# valid value: only these values make a separate cache entry, so the entries per page are
# bounded (pages of guides up to 999, two audiences). Anything else in the query is left out of
# the key; deploy/nginx/pomsite.conf keys its micro-cache the same way.
PAGE_CACHE_QUERY_PARAMS = {
    "content:guide_list": {"audience": r"patients|caregivers", "page": r"[1-9][0-9]{0,2}"},
}
# After the cache or the database fails, how long to use the fallback before trying again
# (pomsite/page_cache.py): a hung server then costs one timeout, not one per request.
PAGE_CACHE_RETRY_SECONDS = float(os.environ.get("DJANGO_CACHE_RETRY_SECONDS", "5"))
DATABASE_RETRY_SECONDS = float(os.environ.get("DJANGO_DB_RETRY_SECONDS", "2"))
# Saving or deleting any model of these apps makes every cached page out of date.
PAGE_CACHE_INVALIDATED_BY = {"content"}
# Sent with the 503 page while the database is unreachable.
SERVICE_UNAVAILABLE_RETRY_AFTER = 30

# Every warning and error to stdout, one record each. Django's own records carry the path only,
# never the query string, cookies or form data. gunicorn writes the one line per request
# (pomsite/gunicorn.conf.py).
# Anonymous requests cannot fill the log (pomsite/log_filters.py): a record like one written in
# the last 10 s is counted instead of written, and a forged Host header is one warning line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"}
    },
    "filters": {
        "repeated": {"()": "pomsite.log_filters.RepeatedRecords", "seconds": 10},
        "forged_host": {
            "()": "pomsite.log_filters.OneLineWarning",
            "message": "Refused a request whose Host header is not in DJANGO_ALLOWED_HOSTS",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["repeated"],
        }
    },
    "loggers": {"django.security.DisallowedHost": {"filters": ["forged_host"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The site: who it is for and what it is called.
SITE_NAME = "POMALYST patient guide"

# Editors (docs/editing.md). The admin lives under its own prefix, such as "site-editors/".
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must not be empty; use a prefix such as admin/.")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username lock that username out for 15 minutes, from whichever
# addresses they came: counting per address would let a guesser spread out over many. The
# price is that a guesser can pause an editor's login; an administrator lifts it at once with
# `manage.py axes_reset_username <username>` (docs/editing.md).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the lockout does not count per address, against guessers who rotate user
# agents or cookies; counting per username alone already stops them, and an address-only count
# would lock out every editor behind one proxy or office address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Plain-language target for every Markdown text: Flesch-Kincaid grade 8 or lower.
READING_GRADE_TARGET = 8
# Longest Markdown text an editor can save or preview (characters).
MARKDOWN_MAX_CHARS = 50_000

# The US-audience gate (pomsite/audience.py, docs/audience-gate.md). DJANGO_AUDIENCE_GATE=off
# turns it off; the answer is remembered in a preference cookie for this many days.
AUDIENCE_GATE_ENABLED = env_bool("DJANGO_AUDIENCE_GATE", default=True)
AUDIENCE_GATE_COOKIE = "us_audience"
AUDIENCE_GATE_COOKIE_DAYS = int(os.environ.get("DJANGO_AUDIENCE_GATE_DAYS", "90"))
