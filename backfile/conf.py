"""Backfile's settings, declared once: name, environment variable, default and meaning.

`SETTINGS` is the one table. `backfile/settings.py` reads every row from the
environment through `load()`, which checks each value and fails at start-up with
a message naming the variable and what it wants; `docs/deploy.md` documents every
row (a test fails when one is missing there), and `backfile settings` prints the
table with the values in force.

A row's `name` is the Django setting it becomes (`SECRET_KEY`, `BACKFILE_BASE_URL`);
its `env` is the variable a deployment sets. Kinds: `str`, `int`, `bool` (1/0,
true/false, yes/no, on/off), `list` (comma-separated), `url` (an absolute http(s)
origin, kept without a trailing slash), `choice` (one of `choices`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The development key: good enough on the loopback, refused by `backfile serve` elsewhere.
DEVELOPMENT_SECRET_KEY = "backfile-development-key-change-me-in-production"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str
    kind: str = "str"
    group: str = "Site"
    choices: tuple[str, ...] = field(default=())
    minimum: int | None = None
    secret: bool = False  # `backfile settings` shows it masked

    def parse(self, raw: str | None) -> Any:
        """The value for `raw` (None or blank: the default), or ImproperlyConfigured."""
        if raw is None or raw.strip() == "":
            return self.default
        text = raw.strip()
        parser = getattr(self, f"_parse_{self.kind}")
        return parser(text)

    def _fail(self, text: str, wanted: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{self.env}={text!r} is not valid: {wanted}.")

    def _parse_str(self, text: str) -> str:
        return text

    def _parse_int(self, text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise self._fail(text, "it must be a whole number") from None
        if self.minimum is not None and value < self.minimum:
            raise self._fail(text, f"it must be {self.minimum} or more")
        return value

    def _parse_bool(self, text: str) -> bool:
        lowered = text.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise self._fail(text, "use 1 or 0 (true/false, yes/no, on/off)")

    def _parse_list(self, text: str) -> list[str]:
        return [part.strip() for part in text.split(",") if part.strip()]

    def _parse_choice(self, text: str) -> str:
        lowered = text.lower()
        if lowered not in self.choices:
            raise self._fail(text, f"use one of {', '.join(self.choices)}")
        return lowered

    def _parse_url(self, text: str) -> str:
        parts = urlsplit(text)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise self._fail(text, "give an absolute http:// or https:// address")
        if parts.query or parts.fragment:
            raise self._fail(text, "give the address without a query or fragment")
        return text.rstrip("/")


SETTINGS: tuple[Setting, ...] = (
    # --- Site -----------------------------------------------------------------------------
    Setting(
        "BACKFILE_BASE_URL",
        "BACKFILE_BASE_URL",
        "",
        "The archive's canonical origin, such as `https://archive.example.org` (a path "
        "prefix such as `https://example.org/archive` is allowed: the proxy strips it). "
        "Every absolute URL Backfile emits (OAI-PMH, feeds, sitemaps, citations, canonical "
        "links, the API) starts with it; the request's Host header never does. Required by "
        "`backfile serve` off the loopback; empty there means `http://HOST:PORT` of the "
        "server (elsewhere, as under a test server: the request's own checked host).",
        kind="url",
    ),
    Setting(
        "SECRET_KEY",
        "BACKFILE_SECRET_KEY",
        DEVELOPMENT_SECRET_KEY,
        "Signs sessions and CSRF tokens. Any long random string (`python -c 'import "
        "secrets; print(secrets.token_urlsafe(50))'`), kept secret. Required off the loopback.",
        secret=True,
    ),
    Setting(
        "ALLOWED_HOSTS",
        "BACKFILE_ALLOWED_HOSTS",
        ["127.0.0.1", "localhost", "[::1]"],
        "Host names the site answers to, comma-separated (`archive.example.org`). A request "
        "for any other host gets 400. Required off the loopback.",
        kind="list",
    ),
    Setting(
        "DEBUG",
        "BACKFILE_DEBUG",
        False,
        "Django's debug pages. Never on a public server.",
        kind="bool",
    ),
    Setting(
        "BACKFILE_LOG_LEVEL",
        "BACKFILE_LOG_LEVEL",
        "WARNING",
        "How much the server logs: DEBUG, INFO, WARNING or ERROR.",
        kind="choice",
        choices=("debug", "info", "warning", "error"),
    ),
    Setting(
        "BACKFILE_STATIC_ROOT",
        "BACKFILE_STATIC_ROOT",
        "",
        "Where `backfile serve` collects static files (default: `staticfiles/` beside the "
        "package).",
    ),
    # --- Security (HTTPS behind a proxy; all off by default for the loopback) -----------------
    Setting(
        "BACKFILE_BEHIND_TLS_PROXY",
        "BACKFILE_BEHIND_TLS_PROXY",
        False,
        "Backfile sits behind a reverse proxy that ends TLS and sets `X-Forwarded-Proto: "
        "https` (and strips it from clients): requests carrying it count as HTTPS. Only set "
        "it when the proxy does both.",
        kind="bool",
        group="Security",
    ),
    Setting(
        "SECURE_SSL_REDIRECT",
        "BACKFILE_SSL_REDIRECT",
        False,
        "Redirect every plain-HTTP request to HTTPS.",
        kind="bool",
        group="Security",
    ),
    Setting(
        "BACKFILE_SECURE_COOKIES",
        "BACKFILE_SECURE_COOKIES",
        False,
        "Send the session and CSRF cookies over HTTPS only (the site must be served over HTTPS).",
        kind="bool",
        group="Security",
    ),
    Setting(
        "SECURE_HSTS_SECONDS",
        "BACKFILE_HSTS_SECONDS",
        0,
        "Strict-Transport-Security max-age in seconds: browsers then refuse plain HTTP for "
        "the site that long (`31536000`, a year, once HTTPS works; start with `3600`). 0: "
        "no header.",
        kind="int",
        minimum=0,
        group="Security",
    ),
    Setting(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "BACKFILE_HSTS_INCLUDE_SUBDOMAINS",
        False,
        "Add `includeSubDomains` to Strict-Transport-Security (every subdomain of the site's "
        "host must then serve HTTPS too).",
        kind="bool",
        group="Security",
    ),
    Setting(
        "SECURE_HSTS_PRELOAD",
        "BACKFILE_HSTS_PRELOAD",
        False,
        "Add `preload` to Strict-Transport-Security (consent to browsers' built-in HTTPS "
        "lists; it takes effect only once the domain is submitted to them).",
        kind="bool",
        group="Security",
    ),
    # --- Replies --------------------------------------------------------------------------
    Setting(
        "BACKFILE_REPLIES_MODERATION",
        "BACKFILE_REPLIES_MODERATION",
        "all",
        "`all` holds every reply for an editor; `trusted` publishes at once the replies of "
        "readers whose email already has an approved reply.",
        kind="choice",
        choices=("all", "trusted"),
        group="Replies",
    ),
    Setting(
        "BACKFILE_REPLIES_RATE",
        "BACKFILE_REPLIES_RATE",
        5,
        "Replies one address may post per window.",
        kind="int",
        minimum=1,
        group="Replies",
    ),
    Setting(
        "BACKFILE_REPLIES_RATE_WINDOW",
        "BACKFILE_REPLIES_RATE_WINDOW",
        600,
        "That window, in seconds.",
        kind="int",
        minimum=1,
        group="Replies",
    ),
    Setting(
        "BACKFILE_REPLIES_MAX_LENGTH",
        "BACKFILE_REPLIES_MAX_LENGTH",
        10_000,
        "Characters a reply may hold.",
        kind="int",
        minimum=1,
        group="Replies",
    ),
    Setting(
        "BACKFILE_REPLIES_MAX_LINKS",
        "BACKFILE_REPLIES_MAX_LINKS",
        3,
        "Links a reply may hold.",
        kind="int",
        minimum=0,
        group="Replies",
    ),
    Setting(
        "BACKFILE_TRUSTED_PROXIES",
        "BACKFILE_TRUSTED_PROXIES",
        [],
        "Addresses of reverse proxies in front of Backfile, comma-separated (`127.0.0.1`): "
        "for requests from them, a reader's address comes from X-Forwarded-For (rate "
        "limits, sign-in throttling).",
        kind="list",
        group="Replies",
    ),
    # --- Sign-in --------------------------------------------------------------------------
    Setting(
        "BACKFILE_SIGNIN_FAILURES",
        "BACKFILE_SIGNIN_FAILURES",
        5,
        "Wrong passwords for one user name from one address before signing in as that "
        "user from there is refused until the cool-off has passed (answered 429).",
        kind="int",
        minimum=1,
        group="Sign-in",
    ),
    Setting(
        "BACKFILE_SIGNIN_ADDRESS_FAILURES",
        "BACKFILE_SIGNIN_ADDRESS_FAILURES",
        20,
        "Wrong passwords from one address, whatever user names it tries, before every "
        "sign-in from it is refused until the cool-off has passed.",
        kind="int",
        minimum=1,
        group="Sign-in",
    ),
    Setting(
        "BACKFILE_SIGNIN_COOLOFF",
        "BACKFILE_SIGNIN_COOLOFF",
        900,
        "The cool-off, in seconds: wrong passwords older than this no longer count, so a "
        "refused user name or address may sign in again this long after its last one.",
        kind="int",
        minimum=1,
        group="Sign-in",
    ),
    # --- Database -------------------------------------------------------------------------
    Setting(
        "BACKFILE_DB_REPLICAS",
        "BACKFILE_DB_REPLICAS",
        [],
        "Read replicas of the PostgreSQL primary (BACKFILE_DB), as postgres:// URLs, "
        "comma-separated. Reads go to them in turn; writes, transactions, and a request's "
        "reads after it wrote go to the primary (see docs/postgres.md). Empty: everything "
        "on the primary.",
        kind="list",
        group="Database",
    ),
    Setting(
        "BACKFILE_DB_PRIMARY_AFTER_WRITE",
        "BACKFILE_DB_PRIMARY_AFTER_WRITE",
        5,
        "For this many seconds after a request of a reader (or editor) wrote to the "
        "database, that browser's requests read from the primary, so that it sees its own "
        "reply or correction however far a replica lags. Only with BACKFILE_DB_REPLICAS.",
        kind="int",
        minimum=0,
        group="Database",
    ),
    # --- Harvesting -----------------------------------------------------------------------
    Setting(
        "BACKFILE_OAI_NAMESPACE",
        "BACKFILE_OAI_NAMESPACE",
        "",
        "The OAI-PMH identifier namespace (`oai:NAMESPACE:article:12`), a domain name. Empty: "
        "the host of BACKFILE_BASE_URL; where that is no domain name (unset, an address such "
        "as 127.0.0.1), `backfile.localhost`. Never the request's host.",
        group="Harvesting",
    ),
    Setting(
        "BACKFILE_OAI_REPOSITORY_NAME",
        "BACKFILE_OAI_REPOSITORY_NAME",
        "",
        "The repository name OAI-PMH Identify gives. Empty: the publication's name, or the "
        "publications' names together (`A, B and 3 more`).",
        group="Harvesting",
    ),
    Setting(
        "BACKFILE_ADMIN_EMAIL",
        "BACKFILE_ADMIN_EMAIL",
        "",
        "The address OAI-PMH Identify gives harvesters to write to. Empty: "
        "`webmaster@` the OAI namespace, and `backfile check --deploy` warns.",
        group="Harvesting",
    ),
    Setting(
        "BACKFILE_OAI_PAGE_SIZE",
        "BACKFILE_OAI_PAGE_SIZE",
        100,
        "Records (or identifiers) in one OAI-PMH list response before a resumption token.",
        kind="int",
        minimum=1,
        group="Harvesting",
    ),
    # --- Ingest -----------------------------------------------------------------------------
    Setting(
        "BACKFILE_INGEST_MAX_MEMBER_BYTES",
        "BACKFILE_INGEST_MAX_MEMBER_BYTES",
        64 << 20,
        "Bytes one file or archive member may decompress to where it is read whole (a page "
        "capture, a legacy HTML page); in a WordPress or JSONL export, which is streamed, "
        "the bytes of one item or line. Past it `backfile ingest` refuses that source, "
        "naming it, and goes on with the rest.",
        kind="int",
        minimum=1024,
        group="Ingest",
    ),
    Setting(
        "BACKFILE_INGEST_MAX_ARTICLE_CHARS",
        "BACKFILE_INGEST_MAX_ARTICLE_CHARS",
        2_000_000,
        "Characters one article may have (its body, or the source it was read from, "
        "whichever is longer). A longer one is refused and a stored article of the same "
        "key is left as it was; a file that becomes one article is refused as soon as it "
        "has more than four bytes a character.",
        kind="int",
        minimum=1000,
        group="Ingest",
    ),
    Setting(
        "BACKFILE_INGEST_MAX_RATIO",
        "BACKFILE_INGEST_MAX_RATIO",
        100,
        "How many times its compressed size an archive member (a zip member, or a tar "
        "archive as a whole) may expand to once past 4 MB. Text compresses five to ten "
        "times; decompression bombs far more.",
        kind="int",
        minimum=2,
        group="Ingest",
    ),
)

# --- Caching (backfile.caching) ------------------------------------------------------------
SETTINGS += (
    Setting(
        "BACKFILE_CACHE_URL",
        "BACKFILE_CACHE_URL",
        "locmem://",
        "Where rendered pages are kept: `locmem://` (each server process in its own memory), "
        "`redis://HOST:6379/0`, `memcached://HOST:11211`, `file:///FOLDER` (shared by the "
        "processes of one machine) or `dummy://` (none). Redis needs `pip install "
        "'backfile[redis]'`, Memcached `'backfile[memcached]'`. Pages are keyed on the "
        "archive's generation in the database, so every backend is invalidated by any change.",
        group="Caching",
    ),
    Setting(
        "BACKFILE_PAGE_CACHE_SECONDS",
        "BACKFILE_PAGE_CACHE_SECONDS",
        3600,
        "How long a rendered article, issue, browse page, feed or OAI-PMH answer is kept "
        "(a change to the archive retires it at once anyway); 0 turns the page cache off "
        "(ETags and 304s stay).",
        kind="int",
        minimum=0,
        group="Caching",
    ),
)

# --- Pictures (backfile.media) --------------------------------------------------------------
SETTINGS += (
    Setting(
        "BACKFILE_MEDIA_ROOT",
        "BACKFILE_MEDIA_ROOT",
        "",
        "The folder pictures are kept in: originals and the display sizes made at ingest. "
        "Empty: beside the archive (`archive.sqlite3` → `archive-media/`; with PostgreSQL, "
        "`NAME-media/` in the working directory). Back it up with the database.",
        group="Pictures",
    ),
    Setting(
        "BACKFILE_MEDIA_STORAGE_URL",
        "BACKFILE_MEDIA_STORAGE_URL",
        "",
        "Keep pictures in S3-compatible object storage instead of BACKFILE_MEDIA_ROOT: "
        "`s3://BUCKET/PREFIX?endpoint=https://s3.example.org&region=eu-west-1&domain="
        "pictures.example.org` (endpoint, region and domain optional). Needs `pip install "
        "'backfile[s3]'`; credentials from boto3's usual sources (AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY). Checked at start-up.",
        group="Pictures",
    ),
    Setting(
        "BACKFILE_MEDIA_MAX_PIXELS",
        "BACKFILE_MEDIA_MAX_PIXELS",
        90_000_000,
        "Pixels a picture may have (Pillow's MAX_IMAGE_PIXELS). A larger one, or a damaged "
        "or unknown file, is kept with a notice in the ingest report and shown as a "
        "placeholder; its article still goes in. Decoding takes up to 4 bytes a pixel.",
        kind="int",
        minimum=1000,
        group="Pictures",
    ),
)

# --- The editors' desk (backfile.desk) -----------------------------------------------------
SETTINGS += (
    Setting(
        "BACKFILE_INGEST_ROOTS",
        "BACKFILE_INGEST_ROOTS",
        [],
        "Folders on the server an editor may ingest from the desk (comma-separated absolute "
        "paths, such as `/srv/scans`): she names a folder inside one of them. Empty: the desk "
        "ingests uploads only, never a folder of the server.",
        kind="list",
        group="Desk",
    ),
    Setting(
        "BACKFILE_INGEST_MAX_UPLOAD_BYTES",
        "BACKFILE_INGEST_MAX_UPLOAD_BYTES",
        512 << 20,
        "Bytes one upload to the desk's ingest may have, its files together (a larger one is "
        "refused before it is stored; bring it in by a folder of BACKFILE_INGEST_ROOTS or "
        "`backfile ingest`).",
        kind="int",
        minimum=1024,
        group="Desk",
    ),
    Setting(
        "BACKFILE_INGEST_UPLOADS",
        "BACKFILE_INGEST_UPLOADS",
        "",
        "The folder the desk keeps uploads in while their ingest runs (one folder a job, "
        "removed when it ends). Empty: beside the archive (`archive.sqlite3` → "
        "`archive-uploads/`; with PostgreSQL, `NAME-uploads/` in the working directory).",
        group="Desk",
    ),
)

# Variables read outside Django's settings: documented with the rest, checked where used.
ENVIRONMENT_ONLY: tuple[Setting, ...] = (
    Setting(
        "BACKFILE_DB",
        "BACKFILE_DB",
        "backfile.sqlite3",
        "The database: a SQLite file path, or a `postgres://user:password@host/name` URL. "
        "`backfile --db` sets it for one command.",
        group="Database",
    ),
    Setting(
        "BACKFILE_EDITOR_PASSWORD",
        "BACKFILE_EDITOR_PASSWORD",
        "",
        "The password `backfile createeditor` gives the new account when it runs from a "
        "script (otherwise it asks).",
        group="Desk",
        secret=True,
    ),
    Setting(
        "BACKFILE_TEST_SQLITE",
        "BACKFILE_TEST_SQLITE",
        "",
        "For the test suite on SQLite: a file to make its database in, to look at after a "
        "run. Empty: in memory.",
        group="Database",
    ),
    Setting(
        "BACKFILE_OCR_TIMEOUT",
        "BACKFILE_OCR_TIMEOUT",
        900,
        "Seconds one page's OCR may take (a large newspaper page can take minutes on a busy "
        "machine); past them Tesseract is stopped and the page kept without text, with a "
        "notice. A page read again turned upright has this one timeout for both readings.",
        kind="int",
        minimum=1,
        group="Print facsimiles",
    ),
    Setting(
        "BACKFILE_TESSERACT",
        "BACKFILE_TESSERACT",
        "tesseract",
        "The Tesseract program OCR runs (a name on the PATH or a path).",
        group="Print facsimiles",
    ),
    Setting(
        "BACKFILE_PDF_WORDS",
        "BACKFILE_PDF_WORDS",
        "native",
        "How the PDF reader finds words, lines and columns: `native` (the C extensions, where "
        "they were built; else Python) or `python` (Python only, the same words more slowly).",
        kind="choice",
        choices=("native", "python"),
        group="Print facsimiles",
    ),
)


def from_environment(env: str, environ: Mapping[str, str] | None = None) -> Any:
    """The value of an ENVIRONMENT_ONLY row, read where it is used; a bad value raises
    ImproperlyConfigured naming the variable and what it wants."""
    row = next(row for row in ENVIRONMENT_ONLY if row.env == env)
    return row.parse((os.environ if environ is None else environ).get(env))


def all_settings() -> tuple[Setting, ...]:
    return SETTINGS + ENVIRONMENT_ONLY


def load(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every row of SETTINGS, parsed from `environ`; the first bad value raises (of the
    ENVIRONMENT_ONLY rows too, which are read where they are used)."""
    for row in ENVIRONMENT_ONLY:
        row.parse(environ.get(row.env))
    return {row.name: row.parse(environ.get(row.env)) for row in SETTINGS}
