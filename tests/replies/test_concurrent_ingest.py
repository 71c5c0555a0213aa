"""Readers reply while an ingest runs: every reply is stored, and so is every article.

This runs the real deployment shape on one SQLite file: `backfile serve`
(gunicorn, several workers and threads) takes replies from several client
threads, each from its own loopback address, while `backfile ingest` writes a
few hundred articles in another process.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from backfile.ingest.records import record_to_dict
from tests.replies.helpers import article_record

pytestmark = pytest.mark.slow

THREADS = 4
MINIMUM_PER_THREAD = 4
MAXIMUM_PER_THREAD = 400  # addresses run out past 1,000
INGESTED_ARTICLES = 300
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def backfile(database: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "BACKFILE_STATIC_ROOT": str(database.parent / "static")}
    env.pop("BACKFILE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "backfile.cli", "--db", str(database), *args], env=env, **popen
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_jsonl(path: Path, records) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record_to_dict(record), ensure_ascii=False) + "\n")
    return path


def request(port: int, address: str, method: str, path: str, body: str = "", headers=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(address, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie", ""), response.read()
    finally:
        connection.close()


def wait_for_server(port: int, path: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            if request(port, "127.0.0.1", "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail("the server did not answer within 90 s")


@dataclass
class Reader:
    """One client thread: replies from its own loopback addresses while the ingest runs."""

    number: int
    port: int
    post_path: str
    page_path: str
    ingest: subprocess.Popen
    sent: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    during_ingest: int = 0
    error: BaseException | None = None  # what stopped the thread, checked after it is joined

    def address(self, n: int) -> str:
        # A fresh address every few replies keeps each under the per-address rate limit.
        return f"127.0.{self.number + 1}.{n // 4 + 1}"

    def run(self) -> None:
        """The thread's target: an exception (a failed check included) is kept for the test,
        which a thread would otherwise only print."""
        try:
            self.post_replies()
        except BaseException as error:
            self.error = error

    def post_replies(self) -> None:
        status, cookie, page = request(self.port, self.address(0), "GET", self.page_path)
        if status != 200:
            raise AssertionError(f"the article page answered {status}")
        token = TOKEN.search(page).group(1).decode()
        csrf_cookie = cookie.split(";")[0]
        n = 0
        while (self.ingest.poll() is None or n < MINIMUM_PER_THREAD) and n < MAXIMUM_PER_THREAD:
            text = f"Reply {n} from reader {self.number}."
            body = urlencode(
                {"csrfmiddlewaretoken": token, "name": f"Reader {self.number}", "text": text}
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": csrf_cookie,
            }
            status, _, _ = request(
                self.port, self.address(n), "POST", self.post_path, body, headers
            )
            self.statuses.append(status)
            self.sent.append(text)
            if self.ingest.poll() is None:
                self.during_ingest += 1
            n += 1


def test_replies_posted_during_an_ingest_are_all_kept(tmp_path):
    database = tmp_path / "archive.sqlite3"
    seed = write_jsonl(tmp_path / "seed.jsonl", [article_record()])
    seeding = backfile(database, "ingest", "--quiet", str(seed), stdout=subprocess.DEVNULL)
    assert seeding.wait(timeout=120) == 0
    with sqlite3.connect(database) as db:
        (article_id,) = db.execute("SELECT id FROM archive_article").fetchone()
    big = write_jsonl(
        tmp_path / "big.jsonl",
        (
            article_record(
                key=f"report-{n}",
                title=f"Branch report number {n}",
                paragraphs=tuple(f"Paragraph {p} of report {n}." for p in range(12)),
            )
            for n in range(INGESTED_ARTICLES)
        ),
    )

    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = backfile(
        database, "serve", "--port", str(port), "--workers", "2", stdout=log, stderr=log
    )
    try:
        with sqlite3.connect(database) as db:
            page_path = "/{}/1950s/1952/no-88-march-1952/{}/".format(
                *db.execute(
                    "SELECT p.slug, a.slug FROM archive_article a "
                    "JOIN archive_publication p ON p.id = a.publication_id"
                ).fetchone()
            )
        wait_for_server(port, page_path, server)

        report = tmp_path / "report.json"
        ingest = backfile(
            database,
            "ingest",
            "--quiet",
            "--report",
            str(report),
            str(big),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        readers = [
            Reader(n, port, f"/replies/{article_id}/post/", page_path, ingest)
            for n in range(THREADS)
        ]
        threads = [threading.Thread(target=reader.run) for reader in readers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads), "a reader thread did not finish"
        for reader in readers:
            if reader.error is not None:
                raise reader.error
        output = ingest.communicate(timeout=300)[0].decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    assert ingest.returncode == 0, output
    summary = json.loads(report.read_text())["summary"]
    assert summary["added"] == INGESTED_ARTICLES and summary["failed"] == 0, summary
    assert sum(r.during_ingest for r in readers) > 0, "the replies overlapped the ingest"
    assert {s for r in readers for s in r.statuses} == {302}, (tmp_path / "server.log").read_text()[
        -3000:
    ]

    sent = sorted(text for r in readers for text in r.sent)
    with sqlite3.connect(database) as db:
        stored = sorted(t for (t,) in db.execute("SELECT text FROM replies_reply"))
        articles = db.execute("SELECT COUNT(*) FROM archive_article").fetchone()[0]
    assert stored == sent
    assert articles == INGESTED_ARTICLES + 1
