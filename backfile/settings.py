"""Django settings for Backfile.

Everything a deployment changes is a row of `backfile.conf.SETTINGS`, read here from
BACKFILE_* environment variables (and documented in docs/deploy.md); what follows the
`load()` call is fixed wiring.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_HASHES

from backfile import conf
from backfile.caching.config import cache_settings, key_prefix
from backfile.database import databases
from backfile.media import storage as _media

BASE_DIR = Path(__file__).resolve().parent

CONFIGURED = conf.load(os.environ)  # every row of conf.SETTINGS, checked
globals().update(CONFIGURED)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "backfile.archive",
    "backfile.facsimiles",
    "backfile.ingest",
    "backfile.search",
    "backfile.related",
    "backfile.indexes",
    "backfile.authority",
    "backfile.quotations",
    "backfile.replies",
    "backfile.corrections",
    "backfile.interop",
    "backfile.editing",
    # --- security: `backfile check --deploy` checks, `backfile settings`; ninja for the
    # self-hosted Swagger UI of /api/docs (otherwise it loads from a CDN, which the CSP forbids)
    "backfile.deploy",
    "ninja",
    "csp",
    "backfile.signin",
    "backfile.operations",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before the session and compression: a refusal costs little (backfile/signin/throttle.py)
    "backfile.signin.throttle.RefuseLockedOut",
    # Open data may be read from any origin's scripts (GET only, no cookies): see CORS_* below
    "corsheaders.middleware.CorsMiddleware",
    "backfile.interop.problems.ApiProblems",  # the API answers errors as JSON, never HTML
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # --- security: Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below;
    # the sign-in throttle's refusals, answered before it, carry the same policy)
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks
]
MIDDLEWARE.insert(-1, "backfile.housekeeping.redirects.RedirectMovedPages")  # 404 → 301

ROOT_URLCONF = "backfile.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # admin templates Backfile extends (admin/base_site.html), ahead of the admin's own
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backfile.site_url.canonical",  # security: <link rel="canonical"> from base URL
            ],
        },
    },
]

WSGI_APPLICATION = "backfile.wsgi.application"

# The primary (BACKFILE_DB) and its read replicas (BACKFILE_DB_REPLICAS): reads to the
# replicas, writes and a reader's own writes read back to the primary (backfile.routers).
DATABASES = databases(os.environ.get("BACKFILE_DB"), CONFIGURED["BACKFILE_DB_REPLICAS"])
DATABASE_ROUTERS = ["backfile.routers.PrimaryReplicaRouter"]
MIDDLEWARE.insert(0, "backfile.routers.ReadAfterWriteMiddleware")  # outermost: sees every write
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(CONFIGURED["BACKFILE_STATIC_ROOT"] or BASE_DIR.parent / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = CONFIGURED["DEBUG"]

# --- Caching (backfile.caching) -------------------------------------------------------------
INSTALLED_APPS.append("backfile.caching")
# Compress HTML, JSON and XML (static files come compressed already, from WhiteNoise). Django's
# GZipMiddleware pads each body with random bytes against BREACH, and CSRF tokens are masked
# afresh on every response, so no secret can be read from compressed lengths.
MIDDLEWARE.insert(
    MIDDLEWARE.index("backfile.signin.throttle.RefuseLockedOut") + 1,
    "django.middleware.gzip.GZipMiddleware",
)
# Rendered pages (backfile.caching.http), under keys marked with the database, the settings and
# the code they were made with, so two archives (or two releases) may share one Redis.
CACHES = cache_settings(
    CONFIGURED["BACKFILE_CACHE_URL"], key_prefix(DATABASES["default"], CONFIGURED)
)
# Hashed static names (collectstatic, run by `backfile serve`), served for good by WhiteNoise.
STORAGES["staticfiles"] = {"BACKEND": "backfile.caching.storage.StaticFilesStorage"}

LOGIN_URL = "/admin/login/"

# Sign-in throttling (django-axes; backfile/signin/throttle.py). The axes backend comes
# first, so a locked-out attempt is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "backfile.signin.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = CONFIGURED["BACKFILE_SIGNIN_FAILURES"]
AXES_COOLOFF_TIME = timedelta(seconds=CONFIGURED["BACKFILE_SIGNIN_COOLOFF"])
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refused attempts write nothing
AXES_CLIENT_IP_CALLABLE = "backfile.signin.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "backfile.signin.throttle.lockout_response"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": CONFIGURED["BACKFILE_LOG_LEVEL"].upper()},
}

# --- security ------------------------------------------------------------------------------
# The HTTPS switches are rows of conf.SETTINGS (group Security, off by default so the loopback
# demo works over plain HTTP); docs/deploy.md gives the production values, with which
# `backfile check --deploy` is clean. The rest is fixed.
if CONFIGURED["BACKFILE_BASE_URL"]:
    # A base URL with a path (https://example.org/archive): the proxy strips that prefix and
    # every URL Django builds gets it back.
    _base = urlsplit(CONFIGURED["BACKFILE_BASE_URL"])
    _base_path = _base.path.rstrip("/")
    FORCE_SCRIPT_NAME = _base_path or None
    STATIC_URL = f"{_base_path}/static/"  # WhiteNoise strips FORCE_SCRIPT_NAME to match
    CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]
if CONFIGURED["BACKFILE_BEHIND_TLS_PROXY"]:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = CONFIGURED["BACKFILE_SECURE_COOKIES"]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# CORS: the API, OAI-PMH, IIIF, feeds and the data dumps are open data, readable by scripts on
# any site; only GET (and HEAD, and the preflight), never with the reader's cookies.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_URLS_REGEX = r"^/(api|oai|iiif|data|feeds)(/|$)|^/search/feed\.atom$|^/opensearch\.xml$"

# CSP Level 3: nothing inline, nothing from elsewhere. The site's pages, the admin and
# /api/docs (Swagger UI served from ninja's own static files) load only their own files.
# simple-history's revision list has one inline style attribute, allowed by its hash alone.
_HISTORY_PAGINATOR_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_HASHES, _HISTORY_PAGINATOR_STYLE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Pictures (backfile.media) --------------------------------------------------------------
# Originals and display sizes through Django's storage API (backfile.media.storage): a folder
# beside the archive, or S3-compatible object storage (BACKFILE_MEDIA_STORAGE_URL, its URL
# checked here, at start-up). Pictures from object storage are allowed by the CSP's img-src.
INSTALLED_APPS.append("backfile.media")
_media_prefix = urlsplit(CONFIGURED["BACKFILE_BASE_URL"]).path.rstrip("/")
STORAGES["media"] = _media.storage_settings(CONFIGURED, DATABASES["default"], _media_prefix)
MEDIA_URL = f"{_media_prefix}/media/"
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += _media.image_origins(STORAGES["media"])

# --- The editors' desk (backfile.desk) ------------------------------------------------------
# Ingests started from the desk run as background jobs on django-q2, with the database as its
# broker (SQLite or PostgreSQL alike), in `backfile worker` or the one `backfile serve` starts.
INSTALLED_APPS += ["django_q", "backfile.desk"]
INSTALLED_APPS += ["backfile.housekeeping"]  # redirects, merges and moves (issue 17)
Q_CLUSTER = {
    "name": "backfile",
    "orm": "default",
    "workers": 1,  # one ingest at a time: each already lends itself worker processes
    "daemonize_workers": False,  # an ingest forks its own worker processes
    "timeout": 6 * 24 * 3600,  # an ingest of a whole back run may take hours, never days
    "retry": 7 * 24 * 3600,  # never hand a running ingest to a second worker
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "poll": 1,
    "label": "Background jobs",
}
