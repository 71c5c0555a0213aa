"""The `backfile` command and how it chooses its database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from backfile.database import database_settings


def backfile(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "BACKFILE_DB"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "backfile.cli", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_first_use_creates_and_migrates_a_wal_database(tmp_path):
    db = tmp_path / "new.sqlite3"
    result = backfile("--db", str(db), "export", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "archive_article" in tables


def test_environment_variable_chooses_the_database(tmp_path):
    db = tmp_path / "from-env.sqlite3"
    result = backfile("export", env={"BACKFILE_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_ingest_of_a_missing_path_says_so(tmp_path):
    result = backfile("--db", str(tmp_path / "a.sqlite3"), "ingest", str(tmp_path / "nowhere"))
    assert result.returncode != 0
    assert "nowhere: no such file or folder" in result.stderr


def test_postgres_urls_become_postgres_settings():
    settings = database_settings("postgres://ann:s%40cret@db.example:6543/papers?sslmode=require")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["USER"], settings["PASSWORD"]) == ("ann", "s@cret")
    assert (settings["HOST"], settings["PORT"], settings["NAME"]) == (
        "db.example",
        "6543",
        "papers",
    )
    assert settings["OPTIONS"]["sslmode"] == "require"


def test_paths_become_absolute_sqlite_settings(tmp_path):
    settings = database_settings(str(tmp_path / "x.sqlite3"))
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(tmp_path / "x.sqlite3")
    assert "journal_mode=WAL" in settings["OPTIONS"]["init_command"]
