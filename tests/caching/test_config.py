"""BACKFILE_CACHE_URL: each kind of address makes a working cache, a bad one says what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import CacheHandler
from django.core.exceptions import ImproperlyConfigured

from backfile.caching.config import cache_settings


def working(url: str):
    """A cache made from `url` as the site would make it."""
    return CacheHandler(cache_settings(url, key_prefix="test"))["default"]


def test_the_default_keeps_pages_in_memory():
    cache = working("locmem://")
    cache.set("page", b"<html>", 60)
    assert cache.get("page") == b"<html>"
    assert cache_settings("locmem://?max_entries=50")["default"]["OPTIONS"]["MAX_ENTRIES"] == 50


def test_a_folder_cache_is_shared_by_processes(tmp_path):
    cache = working(f"file://{tmp_path}")
    cache.set("page", b"<html>", 60)
    reader = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; settings.configure(); "
            "from django.core.cache import CacheHandler; "
            "from backfile.caching.config import cache_settings; "
            f"print(CacheHandler(cache_settings('file://{tmp_path}', key_prefix='test'))"
            "['default'].get('page'))",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    assert reader.stdout.strip() == "b'<html>'", reader.stderr


def test_redis_and_memcached_addresses_name_their_servers():
    redis = cache_settings("redis://cache.internal:6379/2")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"
    memcached = cache_settings("memcached://10.0.0.5:11211,10.0.0.6:11211")["default"]
    assert memcached["BACKEND"] == "django.core.cache.backends.memcached.PyMemcacheCache"
    assert memcached["LOCATION"] == ["10.0.0.5:11211", "10.0.0.6:11211"]
    socket = cache_settings("memcached:///run/memcached.sock")["default"]
    assert socket["LOCATION"] == "unix:/run/memcached.sock"
    # Pages of two archives sharing one server never meet: keys carry the database's mark.
    assert (
        cache_settings("redis://h:6379/0", key_prefix="backfile:1f2e")["default"]["KEY_PREFIX"]
        == "backfile:1f2e"
    )


def test_a_shared_cache_without_its_client_library_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "redis" else real(name, *a)
    )
    with pytest.raises(ImproperlyConfigured, match=r"pip install 'backfile\[redis\]'"):
        cache_settings("redis://cache.internal:6379/0")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mongodb://db:27017", "use locmem://"),
        ("file://relative/folder", "absolute folder"),
        ("locmem://?max_entries=many", "max_entries must be a whole number"),
        ("memcached://", "name the server"),
    ],
)
def test_a_bad_address_stops_the_start_with_a_clear_message(url, says):
    with pytest.raises(ImproperlyConfigured) as failure:
        cache_settings(url)
    assert "BACKFILE_CACHE_URL" in str(failure.value) and says in str(failure.value)


def test_a_bad_address_stops_the_command_before_it_starts(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "backfile.cli", "--db", str(tmp_path / "a.sqlite3"), "check"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BACKFILE_CACHE_URL": "mongodb://db:27017"},
    )
    assert result.returncode != 0
    assert "BACKFILE_CACHE_URL='mongodb://db:27017' is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_stored_pages_are_marked_with_the_database_settings_and_code(tmp_path, monkeypatch):
    """A shared cache outlives a restart: pages made for another archive, with another base
    URL, or by an earlier release (other templates) must not be found again."""
    from backfile.caching import config

    code = tmp_path / "backfile"
    (code / "templates").mkdir(parents=True)
    template = code / "templates" / "page.html"
    template.write_text("<h1>{{ title }}</h1>")
    monkeypatch.setattr(config, "PACKAGE", code)
    database = {"NAME": "/srv/archive.sqlite3"}
    settings = {"BACKFILE_BASE_URL": "https://archive.example.org", "SECRET_KEY": "one"}

    first = config.key_prefix(database, settings)
    assert first == config.key_prefix(database, {**settings, "SECRET_KEY": "two"})
    assert first != config.key_prefix({"NAME": "/srv/other.sqlite3"}, settings)
    moved = {**settings, "BACKFILE_BASE_URL": "https://example.org/archive"}
    assert first != config.key_prefix(database, moved)
    template.write_text("<h1 class='title'>{{ title }}</h1>")
    assert first != config.key_prefix(database, settings)
