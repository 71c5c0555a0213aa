"""Turn BACKFILE_DB (a file path or a postgres:// URL) into Django's DATABASES setting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_SQLITE_PATH = Path("backfile.sqlite3")

# WAL lets readers (the site) and one writer (an ingest, a reply) work at once;
# IMMEDIATE transactions take the write lock up front, so concurrent writers
# wait on busy_timeout instead of failing with "database is locked" mid-transaction.
# A new database gets 16 KB pages: an article's body and source (several KB each)
# then mostly fit on one page instead of a chain of overflow pages, and an ingest
# writes its rows to the WAL in a quarter as many frames.
SQLITE_INIT = (
    "PRAGMA page_size=16384;"
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA cache_size=-65536;"
)


def database_settings(value: str | None) -> dict:
    """The Django database dict for a BACKFILE_DB value (None means the default file)."""
    value = (value or "").strip()
    if value.startswith(("postgres://", "postgresql://")):
        return postgres_settings(value)
    path = Path(value.removeprefix("sqlite://")) if value else DEFAULT_SQLITE_PATH
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path.expanduser().resolve()) if str(path) != ":memory:" else ":memory:",
        "OPTIONS": {
            "init_command": SQLITE_INIT,
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        "TEST": {"NAME": os.environ.get("BACKFILE_TEST_SQLITE") or None},
    }


def postgres_settings(url: str) -> dict:
    parts = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    settings = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "backfile",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": {},
        "CONN_MAX_AGE": 60,
    }
    if "sslmode" in query:
        settings["OPTIONS"]["sslmode"] = query["sslmode"]
    return settings


def database_is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# Pages the WAL may grow to before a checkpoint copies them into the database file.
# SQLite's default is 1,000 (16 MB of 16 KB pages); a large ingest writes that much
# every second, and each checkpoint waits for the disk twice.
BULK_WAL_PAGES = 4_000


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Fewer, larger WAL checkpoints while an ingest writes (SQLite); durability unchanged."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")
