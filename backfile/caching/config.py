"""BACKFILE_CACHE_URL as Django's CACHES: one address names the cache and its options.

- `locmem://` (the default): each server process keeps its own pages in memory.
  Correct with several processes, since pages are keyed on the generation the
  database holds; a page is rendered once per process.
- `redis://host:6379/0` (`rediss://` for TLS): one cache for every process and
  server (needs the `redis` package: `pip install 'backfile[redis]'`).
- `memcached://host:11211` (several: `memcached://a:11211,b:11211`; a socket:
  `memcached:///run/memcached.sock`): needs `pymemcache` (`backfile[memcached]`).
- `file:///var/cache/backfile`: a folder shared by the processes of one machine.
- `dummy://`: no cache at all (validators and 304s still work).

Options in the query: `max_entries` and `cull_frequency` (locmem, file) as
Django's MAX_ENTRIES and CULL_FREQUENCY.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

ENV = "BACKFILE_CACHE_URL"
PACKAGE = Path(__file__).resolve().parent.parent  # backfile/
CODE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".json"}
LOCMEM_ENTRIES = 1000  # pages per process: an article page is 20–60 KB
OPTIONS = {"max_entries": "MAX_ENTRIES", "cull_frequency": "CULL_FREQUENCY"}


def cache_settings(url: str, key_prefix: str = "backfile") -> dict:
    """The CACHES setting for `url`; ImproperlyConfigured naming the problem otherwise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    options = _options(url, parts.query)
    if scheme == "locmem":
        cache = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "backfile",
            "OPTIONS": {"MAX_ENTRIES": LOCMEM_ENTRIES, **options},
        }
    elif scheme in {"redis", "rediss"}:
        _needs(url, "redis", "redis")
        cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(parts._replace(query="")),
        }
    elif scheme == "memcached":
        location = f"unix:{parts.path}" if not parts.netloc and parts.path else parts.netloc
        if not location:
            raise _invalid(url, "name the server, as in memcached://127.0.0.1:11211")
        _needs(url, "pymemcache", "memcached")
        cache = {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": location.split(",") if "," in location else location,
        }
    elif scheme == "file":
        if not parts.path or parts.netloc:
            raise _invalid(url, "give an absolute folder, as in file:///var/cache/backfile")
        cache = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path,
            "OPTIONS": options,
        }
    elif scheme == "dummy":
        cache = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise _invalid(
            url,
            "use locmem://, redis://HOST:PORT/DB, memcached://HOST:PORT, "
            "file:///FOLDER or dummy://",
        )
    cache["KEY_PREFIX"] = key_prefix
    return {"default": cache}


def key_prefix(database: dict, configured: Mapping[str, Any] | None = None) -> str:
    """`backfile:` and a mark of what stored pages depend on besides the archive: the
    database they come from (host, port, name), the settings in force (the base URL is in
    every page) and the code (templates, views). A shared cache (Redis, Memcached, a
    folder) then never serves a page made by another archive, other settings or an
    earlier release of Backfile."""
    mark = hashlib.sha256()
    for part in ("HOST", "PORT", "NAME"):
        mark.update(f"{part}={database.get(part, '')}\n".encode())
    for name, value in sorted((configured or {}).items()):
        if name != "SECRET_KEY":
            mark.update(f"{name}={value!r}\n".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in CODE_SUFFIXES:
            stat = path.stat()
            mark.update(f"{path.relative_to(PACKAGE)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return f"backfile:{mark.hexdigest()[:12]}"


def _options(url: str, query: str) -> dict:
    options = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in OPTIONS:
            continue
        if not value.isdigit() or int(value) < 1:
            raise _invalid(url, f"{name} must be a whole number of 1 or more")
        options[OPTIONS[name]] = int(value)
    return options


def _needs(url: str, module: str, extra: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise _invalid(url, f"it needs the {module} package (pip install 'backfile[{extra}]')")


def _invalid(url: str, wanted: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{ENV}={url!r} is not valid: {wanted}.")
