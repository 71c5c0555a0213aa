"""Where pictures are kept: Django's storage API, under the alias `media`.

By default a folder beside the archive (`archive.sqlite3` → `archive-media/`;
with PostgreSQL, `<database name>-media/` in the working directory), or
BACKFILE_MEDIA_ROOT. With BACKFILE_MEDIA_STORAGE_URL
(`s3://bucket/prefix?endpoint=https://…&region=…&domain=…`) an S3-compatible
object store through django-storages (`pip install 'backfile[s3]'`): credentials
come from boto3's usual sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a
profile, an instance role), never from Backfile's settings. The URL is checked
at start-up; a wrong one stops the server and the commands with its reason.

Every stored name is content-addressed (`originals/ab/<sha256>.jpg`,
`pictures/ab/<sha256>-640.v1.webp`), so a name always means the same bytes and
is served with a year's caching.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages

ALIAS = "media"
FOREVER = "public, max-age=31536000, immutable"
S3_OPTIONS = {"endpoint": "endpoint_url", "region": "region_name", "domain": "custom_domain"}


def media_storage() -> Storage:
    return storages[ALIAS]


def default_root(database: dict) -> Path:
    """The folder beside the archive: `archive.sqlite3` → `archive-media`."""
    name = str(database.get("NAME") or "backfile")
    if database.get("ENGINE", "").endswith("sqlite3") and name != ":memory:":
        path = Path(name)
        return path.with_name(f"{path.stem}-media").resolve()
    return Path(f"{Path(name).name}-media").resolve()


def storage_settings(configured: dict, database: dict, url_prefix: str = "") -> dict:
    """The `STORAGES["media"]` entry for the settings in force."""
    url = configured.get("BACKFILE_MEDIA_STORAGE_URL", "")
    if url:
        return s3_settings(url)
    root = configured.get("BACKFILE_MEDIA_ROOT") or default_root(database)
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": f"{url_prefix}/media/"},
    }


def s3_settings(url: str) -> dict:
    """django-storages' S3 storage for `s3://bucket/prefix?endpoint=…&region=…&domain=…`;
    ImproperlyConfigured naming the variable where the URL or the installation is wrong."""
    parts = urlsplit(url)

    def fail(wanted: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"BACKFILE_MEDIA_STORAGE_URL={url!r} is not valid: {wanted}.")

    if parts.scheme != "s3" or not parts.hostname:
        raise fail("give s3://BUCKET/PREFIX (with ?endpoint=https://… for a non-AWS store)")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - set(S3_OPTIONS)
    if unknown:
        raise fail(f"unknown option {', '.join(sorted(unknown))} (use endpoint, region, domain)")
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "object_parameters": {"CacheControl": FOREVER},
        "querystring_auth": False,  # pictures are public: plain, cacheable URLs
        "file_overwrite": True,  # a name always holds the same bytes
    }
    for key, values in query.items():
        options[S3_OPTIONS[key]] = values[-1]
    endpoint = options.get("endpoint_url", "")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise fail("endpoint must be an http:// or https:// address")
    if importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "BACKFILE_MEDIA_STORAGE_URL names S3 storage, which needs boto3: "
            "pip install 'backfile[s3]'."
        )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def image_origins(entry: dict) -> list[str]:
    """Origins the pages' pictures come from besides the site's own (for the CSP's img-src)."""
    options = entry.get("OPTIONS", {})
    if entry["BACKEND"] != "storages.backends.s3.S3Storage":
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    return [f"https://{options['bucket_name']}.s3.amazonaws.com"]
