"""`backfile backup` and `backfile restore`: the archive comes back byte for byte.

Each test runs the real command line in subprocesses against the suite's backend
(a SQLite file, or the PostgreSQL test database), and compares what
`backfile export --format jsonl` writes before and after.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO
from tests.helpers.served import (
    execute,
    query,
    run_backfile,
    suite_database_url,
    suite_is_postgres,
)

pytestmark = pytest.mark.django_db(transaction=True)  # on PostgreSQL: the test database

SAMPLE = REPO / "backfile" / "sample"
WORDPRESS = FIXTURES / "wxr" / "lamplighter.xml"  # posts with readers' comments
LATER = FIXTURES / "capture" / "the-lantern"


def backfile_ok(database: str, *args: str) -> subprocess.CompletedProcess:
    done = run_backfile(database, *args)
    assert done.returncode == 0, f"backfile {' '.join(args)}: {done.stderr}"
    return done


def export(database: str, tmp_path: Path, name: str) -> bytes:
    out = tmp_path / f"{name}.jsonl"
    backfile_ok(database, "export", "--format", "jsonl", "-o", str(out))
    return out.read_bytes()


@pytest.fixture
def archive(tmp_path) -> str:
    """The suite's database with the bundled sample and a WordPress export (with replies)."""
    database = suite_database_url(tmp_path)
    backfile_ok(database, "ingest", "--quiet", str(SAMPLE), str(WORDPRESS))
    return database


def test_an_export_after_a_restore_is_byte_identical(archive, tmp_path):
    before = export(archive, tmp_path, "before")
    assert b'"replies": [{' in before, "the archive has readers' replies to bring back"
    articles = count_articles(archive)
    saved = tmp_path / "nightly.backup"
    made = backfile_ok(archive, "backup", str(saved))
    assert f"Backup written to {saved}" in made.stdout

    backfile_ok(archive, "ingest", "--quiet", str(LATER))
    execute(
        archive,
        "UPDATE archive_article SET title = 'Altered after the backup'",
        "DELETE FROM replies_reply",
    )
    assert export(archive, tmp_path, "altered") != before

    refused = run_backfile(archive, "restore", str(saved))
    assert refused.returncode == 1
    assert f"holds {count_articles(archive):,} articles" in refused.stderr
    assert "Give --force to replace it" in refused.stderr
    assert query(archive, "SELECT DISTINCT title FROM archive_article") == [
        ("Altered after the backup",)
    ], "nothing changed"

    restored = backfile_ok(archive, "restore", "--force", str(saved))
    assert f"Restored {articles:,} articles" in restored.stdout
    assert export(archive, tmp_path, "after") == before


def count_articles(database: str) -> int:
    return query(database, "SELECT COUNT(*) FROM archive_article")[0][0]


def test_a_backup_restores_into_a_new_archive(archive, tmp_path):
    if suite_is_postgres():
        pytest.skip("a new PostgreSQL database is the test database itself; see the test above")
    before = export(archive, tmp_path, "before")
    saved = tmp_path / "archive.backup"
    backfile_ok(archive, "backup", str(saved))

    fresh = str(tmp_path / "fresh.sqlite3")
    backfile_ok(fresh, "restore", str(saved))
    assert export(fresh, tmp_path, "fresh") == before
    assert query(fresh, "PRAGMA journal_mode") == [("wal",)], "the restored archive is in WAL mode"


def test_a_backup_is_taken_while_a_writer_holds_a_transaction_open(archive, tmp_path):
    before = export(archive, tmp_path, "before")
    saved = tmp_path / "busy.backup"
    writer = open_writer(archive)
    try:
        writer.execute("UPDATE archive_article SET title = 'Not yet committed'")
        readers = [
            threading.Thread(target=export, args=(archive, tmp_path, f"r{n}")) for n in (1, 2)
        ]
        for reader in readers:
            reader.start()
        made = run_backfile(archive, "backup", str(saved))
        for reader in readers:
            reader.join(timeout=300)
        writer.commit()
    finally:
        writer.close()

    assert made.returncode == 0, made.stderr
    for n in (1, 2):
        assert (tmp_path / f"r{n}.jsonl").read_bytes() == before, "readers went on meanwhile"
    assert query(archive, "SELECT DISTINCT title FROM archive_article") == [("Not yet committed",)]
    backfile_ok(archive, "restore", "--force", str(saved))
    assert export(archive, tmp_path, "after") == before, "the backup holds what was committed"


def open_writer(database: str):
    """A connection in the middle of a write transaction (committed or closed by the caller)."""
    if suite_is_postgres():
        import psycopg

        return psycopg.connect(database)  # a transaction begins with the first statement
    writer = sqlite3.connect(database, timeout=30, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    return writer


def test_restore_refuses_a_file_that_is_not_a_backfile_backup(archive, tmp_path):
    articles = count_articles(archive)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE things (name TEXT)")

    for wrong in (text, other, tmp_path / "missing.backup"):
        done = run_backfile(archive, "restore", "--force", str(wrong))
        assert done.returncode == 1, done.stderr
        assert str(wrong) in done.stderr and "Traceback" not in done.stderr
        if wrong == text:
            assert "not a Backfile backup" in done.stderr
    assert count_articles(archive) == articles


def test_backup_will_not_overwrite_a_file_without_force(archive, tmp_path):
    saved = tmp_path / "archive.backup"
    saved.write_text("an older backup\n")
    refused = run_backfile(archive, "backup", str(saved))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert saved.read_text() == "an older backup\n"

    dated = backfile_ok(archive, "backup", str(tmp_path))
    assert "Backup written to " + str(tmp_path / "backfile-") in dated.stdout
    assert list(tmp_path.glob("*.partial")) == [], "no temporary file is left"


def test_without_postgresql_client_programs_the_error_says_what_to_install(monkeypatch):
    from backfile.operations import backups

    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    monkeypatch.setattr(backups, "glob", lambda pattern: [])
    with pytest.raises(backups.BackupError, match=r"pg_dump was not found .*postgresql-client"):
        backups.postgres_tool("pg_dump")

    monkeypatch.setattr(
        backups,
        "glob",
        lambda pattern: [
            "/usr/lib/postgresql/13/bin/pg_dump",
            "/usr/lib/postgresql/15/bin/pg_dump",
        ],
    )
    assert backups.postgres_tool("pg_dump") == "/usr/lib/postgresql/15/bin/pg_dump"


def test_the_password_is_passed_in_the_environment_not_the_command_line(tmp_path, monkeypatch):
    from backfile.operations import backups

    environment = backups.postgres_environment(
        {"NAME": "archive", "USER": "ed", "PASSWORD": "s3cret", "HOST": "db", "PORT": "5433"}
    )
    assert {k: environment[k] for k in ("PGPASSWORD", "PGUSER", "PGHOST", "PGPORT")} == {
        "PGPASSWORD": "s3cret",
        "PGUSER": "ed",
        "PGHOST": "db",
        "PGPORT": "5433",
    }
    assert environment["PGDATABASE"] == "archive"

    ran = []
    monkeypatch.setattr(
        backups.subprocess,
        "run",
        lambda arguments, **kwargs: (
            ran.append(arguments) or subprocess.CompletedProcess(arguments, 0, "", "")
        ),
    )
    monkeypatch.setattr(backups, "postgres_tool", lambda name: f"/usr/bin/{name}")
    backups._postgres_backup(tmp_path / "out.dump", say=lambda message: None)
    assert ran == [["/usr/bin/pg_dump", "--format=custom", "--file", str(tmp_path / "out.dump")]]
