"""A real `backfile serve` on the suite's backend, for tests that need real concurrency.

On SQLite the server gets its own database file (the suite's test database lives in
memory, where no other process can see it); on PostgreSQL it uses the suite's test
database itself, so the test must be transactional (its rows are committed, and
flushed afterwards). Either way the test talks to it through real HTTP.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from backfile.ingest.records import record_to_dict
from backfile.loopback import free_port

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def suite_is_postgres() -> bool:
    return os.environ.get("BACKFILE_DB", "").startswith(("postgres://", "postgresql://"))


def suite_database_url(tmp_path: Path) -> str:
    """A database a subprocess can share with this test (see the module's docstring).

    The test must be marked `django_db(transaction=True)`: on PostgreSQL this is the
    suite's test database, and what the subprocess writes is flushed afterwards.
    """
    if not suite_is_postgres():
        return str(tmp_path / "archive.sqlite3")
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def backfile(database: str, *args: str, env=None, **popen) -> subprocess.Popen:
    """`backfile --db DATABASE ARGS…` in a subprocess."""
    environment = {**os.environ, **(env or {})}
    environment.pop("BACKFILE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "backfile.cli", "--db", database, *args], env=environment, **popen
    )


def run_backfile(database: str, *args: str, env=None) -> subprocess.CompletedProcess:
    process = backfile(
        database, *args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def write_jsonl(path: Path, records) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record_to_dict(record), ensure_ascii=False) + "\n")
    return path


def query(database: str, sql: str) -> list[tuple]:
    """Rows of `sql` read straight from the database (not through this process's Django)."""
    if database.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(database) as db:
            return db.execute(sql).fetchall()
    with closing(sqlite3.connect(database)) as db:
        return db.execute(sql).fetchall()


def execute(database: str, *statements: str) -> None:
    """Run `statements` in one committed transaction, straight on the database."""
    if database.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(database) as db:
            for statement in statements:
                db.execute(statement)
        return
    with closing(sqlite3.connect(database)) as db, db:
        for statement in statements:
            db.execute(statement)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def http_request(
    port: int,
    method: str,
    path: str,
    body: str = "",
    headers: dict | None = None,
    address: str = "127.0.0.1",
) -> Response:
    """One HTTP request from the loopback `address` (any 127.x.y.z works on Linux)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=120, source_address=(address, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


@dataclass
class Server:
    port: int
    database: str
    log: Path

    def get(self, path: str, address: str = "127.0.0.1") -> Response:
        return http_request(self.port, "GET", path, address=address)


@contextmanager
def served(database: str, tmp_path: Path, wait_for: str = "/") -> Iterator[Server]:
    """`backfile serve` on `database` until the block ends; it answers `wait_for` first."""
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = backfile(
            database,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            env={"BACKFILE_STATIC_ROOT": str(tmp_path / "static")},
            stdout=log,
            stderr=log,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                if server.poll() is not None:
                    pytest.fail(f"the server stopped: {log_path.read_text()[-3000:]}")
                try:
                    if http_request(port, "GET", wait_for).status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("the server did not answer within 90 s")
                time.sleep(0.3)
            yield Server(port, database, log_path)
        finally:
            server.terminate()
            server.wait(timeout=30)
