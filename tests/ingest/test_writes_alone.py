"""An ingest leaves SQLite's write lock free between its writes only while another process
uses the archive (a site serving it, the desk's worker, another command): alone, nobody
can be waiting for the lock, and it writes on without the pauses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace

import pytest

from backfile import database_users
from backfile.ingest.pacing import WritePacing

USER = textwrap.dedent(
    """
    import os, sys
    os.environ["BACKFILE_DB"] = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django
    django.setup()
    from django.db import connection
    connection.ensure_connection()
    print("connected", flush=True)
    sys.stdin.read()  # until the test closes it
    """
)


@pytest.fixture
def archive_file(tmp_path, monkeypatch):
    """This process using a SQLite file, as `backfile ingest` does."""
    monkeypatch.setattr(database_users, "_held", {})
    path = str(tmp_path / "archive.sqlite3")
    connection = SimpleNamespace(
        vendor="sqlite", settings_dict={"NAME": path}, is_in_memory_db=lambda: False
    )
    database_users.attach(connection=connection)
    yield path
    os.close(database_users._held[path])


def another_user(path: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "BACKFILE_DB"}
    process = subprocess.Popen(
        [sys.executable, "-c", USER, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout.readline().strip() == "connected"
    return process


def test_alone_no_one_else_uses_the_archive_and_with_a_site_someone_does(archive_file):
    assert not database_users.others_use(archive_file)
    site = another_user(archive_file)
    try:
        assert database_users.others_use(archive_file)
        assert database_users.others_use(archive_file)  # asking keeps this process's own lock
    finally:
        site.stdin.close()
        site.wait(timeout=30)
    assert not database_users.others_use(archive_file)


def test_a_forked_worker_is_not_another_user(archive_file):
    child = os.fork()
    if child == 0:  # the worker: holds what its parent holds, and waits
        time.sleep(1)
        os._exit(0)
    try:
        assert not database_users.others_use(archive_file)
    finally:
        os.waitpid(child, 0)


def test_the_lock_is_left_free_after_a_write_only_while_another_user_is_there():
    pacing = WritePacing()
    pacing.wrote(50, started=10.0, committed=10.08, one_writer=True)
    assert pacing.free_until > 10.08  # a reply waiting meanwhile gets the lock
    pacing.wrote(50, started=11.0, committed=11.08, one_writer=False)  # the site has stopped
    assert pacing.free_until == 11.08  # nobody to wait for: the next write may begin at once


def test_without_file_locks_the_site_still_connects_and_the_ingest_paces(tmp_path, monkeypatch):
    """On a file system without locks (some network mounts) nothing fails: the process just
    holds no lock, and an ingest counts the archive as shared."""
    monkeypatch.setattr(database_users, "_held", {})

    def no_locks(descriptor, operation):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(database_users.fcntl, "flock", no_locks)
    path = str(tmp_path / "archive.sqlite3")
    connection = SimpleNamespace(
        vendor="sqlite", settings_dict={"NAME": path}, is_in_memory_db=lambda: False
    )
    database_users.attach(connection=connection)  # does not raise
    assert database_users.others_use(path)
