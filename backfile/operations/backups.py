"""`backfile backup DEST` and `backfile restore SRC`, on either backend.

SQLite: SQLite's online backup API copies one consistent snapshot of the archive
while the site goes on serving (in WAL mode readers and the writer are not held
up), into a temporary file beside DEST that is renamed into place once checked;
the copy is one self-contained file. Restoring copies a checked backup back
through the same API, so a server still running sees the restored archive.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (Debian's postgresql-client),
given the connection from BACKFILE_DB through PG* environment variables, so the
password never appears on a command line.

Either way restore refuses a file that is not a Backfile archive, and refuses to
replace an archive that holds articles unless told to (`--force`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from urllib.parse import quote

from django.core.management import call_command
from django.db import connection

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def backup(dest: Path, *, force: bool = False, say: Say = print) -> Path:
    """Write a backup of the archive to `dest` (a file, or a folder for a dated file)."""
    postgres = connection.vendor == "postgresql"
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"backfile-{stamp}.{'dump' if postgres else 'sqlite3'}"
    if dest.exists() and not force:
        raise BackupError(
            f"{dest} already exists; give --force to replace it, or a folder to get a dated file."
        )
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a folder that exists.")
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    started = time.monotonic()
    try:
        if postgres:
            _postgres_backup(temporary, say)
        else:
            _sqlite_backup(Path(connection.settings_dict["NAME"]), dest, temporary, say)
        _durable_replace(temporary, dest)
    finally:
        temporary.unlink(missing_ok=True)
    say(f"Backup written to {dest} ({_size(dest)}) in {time.monotonic() - started:.1f} s.")
    return dest


def restore(src: Path, *, force: bool = False, say: Say = print) -> None:
    """Replace the archive with the backup `src` (checked first)."""
    if not src.is_file():
        raise BackupError(f"{src}: no such file.")
    postgres = connection.vendor == "postgresql"
    if postgres:
        _postgres_check(src)
    else:
        _sqlite_check(src, Path(connection.settings_dict["NAME"]))
    articles = _stored_articles()
    if articles and not force:
        raise BackupError(
            f"The archive at {_describe_database()} holds {articles:,} articles; restoring "
            f"{src} would replace them. Give --force to replace it."
        )
    say(f"Restoring {src} ({_size(src)}) into {_describe_database()} …")
    started = time.monotonic()
    connection.close()
    if postgres:
        _postgres_restore(src, say)
    else:
        _sqlite_restore(src, Path(connection.settings_dict["NAME"]))
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older release
    # Pages cached or validated before the restore describe another archive: move the
    # archive version on, so no reader gets a stored page or a 304 for them.
    from backfile.caching.generation import bump

    bump()
    say(
        f"Restored {_stored_articles():,} articles from {src} "
        f"in {time.monotonic() - started:.1f} s."
    )


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_open(path: Path, mode: str = "rw") -> sqlite3.Connection:
    """A connection to an existing file (never creates one), waiting on locks up to 30 s."""
    return sqlite3.connect(f"file:{quote(str(path))}?mode={mode}", uri=True, timeout=30)


def _sqlite_backup(database: Path, dest: Path, temporary: Path, say: Say) -> None:
    if not database.is_file():
        raise BackupError(f"{database}: no such database file.")
    if dest.exists() and dest.samefile(database):
        raise BackupError(f"{dest} is the archive itself; choose another destination.")
    source = _sqlite_open(database)
    target = sqlite3.connect(temporary)
    try:
        pages, page_size = _sqlite_pages(source)
        say(f"Backing up {database} ({pages:,} pages of {page_size:,} bytes) …")
        # One step: one consistent snapshot. In WAL mode it holds only a read transaction,
        # so the site's readers and writers go on; stepping page by page instead would
        # start again after every write made meanwhile.
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        _sqlite_quick_check(target, dest)
    finally:
        target.close()
        source.close()


def _sqlite_check(src: Path, database: Path) -> None:
    """Raise BackupError unless `src` is a sound Backfile SQLite database."""
    with src.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{src} is not a SQLite database, so not a Backfile backup.")
    if database.exists() and src.samefile(database):
        raise BackupError(f"{src} is the archive itself.")
    backup_db = _sqlite_open(src, "ro")
    try:
        tables = {n for (n,) in backup_db.execute("SELECT name FROM sqlite_master")}
        apps = set()
        if "django_migrations" in tables:
            apps = {a for (a,) in backup_db.execute("SELECT DISTINCT app FROM django_migrations")}
        if "archive" not in apps or "archive_article" not in tables:
            raise BackupError(
                f"{src} is a SQLite database but not a Backfile archive "
                "(it has no Backfile migrations table)."
            )
        _sqlite_quick_check(backup_db, src)
    finally:
        backup_db.close()


def _sqlite_restore(src: Path, database: Path) -> None:
    source = _sqlite_open(src, "ro")
    target = sqlite3.connect(database, timeout=30)
    try:
        if _sqlite_pages(target)[1] != _sqlite_pages(source)[1]:
            # A WAL database keeps its page size: leave WAL for the copy (this needs
            # every other connection closed, so say so if the server still has one).
            try:
                target.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError as problem:
                raise BackupError(
                    f"{src} has another page size than {database}, which is in use "
                    f"({problem}): stop the server and restore again."
                ) from None
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        _sqlite_quick_check(target, database)
    finally:
        target.close()
        source.close()


def _sqlite_pages(db: sqlite3.Connection) -> tuple[int, int]:
    return db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[
        0
    ]


def _sqlite_quick_check(db: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in db.execute("PRAGMA quick_check")]
    if result != ["ok"]:
        raise BackupError(f"{path} failed SQLite's check: {'; '.join(result[:3])}")


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """The path of pg_dump or pg_restore: on PATH, else Debian's newest /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> int:
        part = Path(path).parent.parent.name
        return int(part) if part.isdigit() else 0

    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version, reverse=True)
    if candidates:
        return candidates[0]
    raise BackupError(
        f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL's "
        "client programs (Debian: apt-get install postgresql-client)."
    )


def postgres_environment(db: dict) -> dict[str, str]:
    """This environment plus the connection `db` (Django's settings for BACKFILE_DB) as PG*
    variables: libpq reads them, and the password stays off every command line."""
    environment = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _run_tool(arguments: list[str], what: str) -> str:
    done = subprocess.run(
        arguments,
        env=postgres_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def _postgres_backup(temporary: Path, say: Say) -> None:
    pg_dump = postgres_tool("pg_dump")
    say(f"Backing up {_describe_database()} with {pg_dump} …")
    _run_tool([pg_dump, "--format=custom", "--file", str(temporary)], "pg_dump")


def _postgres_check(src: Path) -> None:
    pg_restore = postgres_tool("pg_restore")
    done = subprocess.run(
        [pg_restore, "--list", str(src)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            f"{src} is not a PostgreSQL custom-format dump, so not a Backfile backup "
            f"({done.stderr.strip()[-500:]})."
        )
    listed = done.stdout
    if " TABLE public django_migrations " not in listed or " TABLE public archive_article " not in (
        listed
    ):
        raise BackupError(
            f"{src} is a PostgreSQL dump but not of a Backfile archive "
            "(it has no Backfile migrations table)."
        )


def _postgres_restore(src: Path, say: Say) -> None:
    pg_restore = postgres_tool("pg_restore")
    _run_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(src),
        ],
        "pg_restore",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner
    say("pg_restore finished; statistics refreshed.")


# --- Both -----------------------------------------------------------------------------------


def _stored_articles() -> int:
    if "archive_article" not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM archive_article")
        return cursor.fetchone()[0]


def _describe_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}"
    return str(db["NAME"])


def _durable_replace(temporary: Path, dest: Path) -> None:
    with temporary.open("rb") as written:
        os.fsync(written.fileno())
    os.replace(temporary, dest)
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} bytes"
