"""Django settings for Backfile.

Everything a deployment changes is a row of `backfile.conf.SETTINGS`, read here from
BACKFILE_* environment variables (and documented in docs/deploy.md); what follows the
`load()` call is fixed wiring.
"""

from __future__ import annotations

import os
from pathlib import Path

from backfile import conf
from backfile.caching.config import cache_settings, key_prefix
from backfile.database import database_settings

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
    "backfile.archive",
    "backfile.ingest",
    "backfile.search",
    "backfile.replies",
    "backfile.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "backfile.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "backfile.wsgi.application"

DATABASES = {"default": database_settings(os.environ.get("BACKFILE_DB"))}
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
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": CONFIGURED["BACKFILE_LOG_LEVEL"].upper()},
}
