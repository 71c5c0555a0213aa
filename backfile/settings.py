"""Django settings for Backfile.

Everything a deployment changes is a row of `backfile.conf.SETTINGS`, read here from
BACKFILE_* environment variables (and documented in docs/deploy.md); what follows the
`load()` call is fixed wiring.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from backfile import conf
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
    "axes",
    "backfile.archive",
    "backfile.ingest",
    "backfile.search",
    "backfile.replies",
    "backfile.interop",
    "backfile.signin",
    "backfile.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backfile.signin.throttle.RefuseLockedOut",  # before the session: a refusal costs little
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks
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
