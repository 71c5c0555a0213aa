"""Django settings for Backfile.

Everything a deployment changes is a row of `backfile.conf.SETTINGS`, read here from
BACKFILE_* environment variables (and documented in docs/deploy.md); what follows the
`load()` call is fixed wiring.
"""

from __future__ import annotations

import os
from pathlib import Path

from backfile import conf
from backfile.database import databases

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

LOGIN_URL = "/admin/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": CONFIGURED["BACKFILE_LOG_LEVEL"].upper()},
}
