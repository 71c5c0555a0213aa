"""Turn BACKFILE_DB (a file path or a postgres:// URL) into Django's DATABASES setting.

With a PostgreSQL primary, BACKFILE_DB_REPLICAS (postgres:// URLs of streaming
replicas) adds one alias each, `replica_1`, `replica_2` …, which
`backfile.routers.PrimaryReplicaRouter` sends reads to (docs/postgres.md).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

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


REPLICA_PREFIX = "replica_"


def databases(primary: str | None, replicas: list[str] | None = None) -> dict[str, dict]:
    """Django's DATABASES: `default` for BACKFILE_DB, and `replica_N` for each replica URL.

    Replicas need a PostgreSQL primary (a SQLite file has none); each is tested as a
    mirror of `default` (Django's test databases live on the primary and reach a real
    replica by streaming, as everything else does).
    """
    result = {"default": database_settings(primary)}
    if not replicas:
        return result
    if result["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "BACKFILE_DB_REPLICAS needs a PostgreSQL primary: set BACKFILE_DB to a "
            "postgres:// URL too, or leave BACKFILE_DB_REPLICAS empty."
        )
    for number, url in enumerate(replicas, start=1):
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured(
                f"BACKFILE_DB_REPLICAS: {url!r} is not valid: give postgres:// URLs, "
                "comma-separated."
            )
        replica = postgres_settings(url)
        replica["TEST"] = {"MIRROR": "default"}
        result[f"{REPLICA_PREFIX}{number}"] = replica
    return result


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
        # Each server thread keeps its connection: opening one (Django registers its SQL
        # functions on it) costs ~3 ms, fifty times a page-cache hit's one query.
        "CONN_MAX_AGE": 60,
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


# How often, during a bulk write, a background thread copies the WAL's committed pages
# into the database file.
CHECKPOINT_EVERY = 0.5  # seconds


@contextmanager
def bulk_writes() -> Iterator[None]:
    """While an ingest writes (SQLite): WAL checkpoints in a background thread.

    A checkpoint copies committed pages from the WAL into the database file and
    waits for the disk twice; done by the committing thread, as SQLite does by
    default, a large ingest spends a tenth of its time there. A second connection
    in a thread checkpoints instead, beside the writer (SQLite allows that, and
    releases Python's lock while it works), so the WAL stays small and no commit
    waits. Durability is unchanged: commits are what they were.
    """
    from django.db import connection

    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    stop = threading.Event()
    checkpointer = threading.Thread(
        target=_checkpoint_until, args=(connection.settings_dict["NAME"], stop), daemon=True
    )
    checkpointer.start()
    try:
        yield
    finally:
        stop.set()
        checkpointer.join()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")


def _checkpoint_until(path: str, stop: threading.Event) -> None:
    """Checkpoint the WAL of `path` every CHECKPOINT_EVERY seconds until `stop` is set."""
    database = sqlite3.connect(path, timeout=30)
    try:
        while not stop.wait(CHECKPOINT_EVERY):
            database.execute("PRAGMA wal_checkpoint(PASSIVE)")
        database.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        database.close()


MAX_PARAMETERS = 30_000  # bound parameters in one statement: well under SQLite's 32,766


def insert_values(
    model, columns: tuple[str, ...], rows: list[tuple], conflict: str = "", add: str = ""
) -> None:
    """Multi-row INSERTs of plain values into the model's table (the ORM's bulk_create
    prepares each value through its field, and cost more than the database's work). On a
    `conflict` of that column the row takes the new values, or with `add`, that column of
    the stored row is added to."""
    from django.db import connection

    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "
    tail = ""
    if conflict:
        updates = (
            f"{quote(add)} = {table}.{quote(add)} + excluded.{quote(add)}"
            if add
            else ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != conflict)
        )
        tail = f" ON CONFLICT ({quote(conflict)}) DO UPDATE SET {updates}"
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = MAX_PARAMETERS // len(columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row]
            )


def delete_where_in(model, column: str, values: list) -> None:
    """Delete the model's rows whose `column` is one of `values`, in plain statements."""
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(values), MAX_PARAMETERS):
            chunk = values[start : start + MAX_PARAMETERS]
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(column)} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
