"""Django settings for Backfile. Everything a deployment changes comes from BACKFILE_* variables."""

from __future__ import annotations

import os
from pathlib import Path

from backfile.database import database_settings

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get(
    "BACKFILE_SECRET_KEY", "backfile-development-key-change-me-in-production"
)
DEBUG = os.environ.get("BACKFILE_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("BACKFILE_ALLOWED_HOSTS", "*").split(",") if h]

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
STATIC_ROOT = Path(os.environ.get("BACKFILE_STATIC_ROOT", BASE_DIR.parent / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/admin/login/"

# Replies: "all" holds every reply for an editor; "trusted" publishes at once the
# replies of readers whose email already has an approved reply (backfile.replies.moderation).
BACKFILE_REPLIES_MODERATION = os.environ.get("BACKFILE_REPLIES_MODERATION", "all")

# Addresses of reverse proxies in front of Backfile (comma-separated, e.g. "127.0.0.1"):
# for requests from them, a reply's address comes from X-Forwarded-For.
BACKFILE_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("BACKFILE_TRUSTED_PROXIES", "").split(",") if a.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BACKFILE_LOG_LEVEL", "WARNING")},
}
