"""Readers reply while an ingest runs: every reply is stored, and so is every article.

This runs the real deployment shape on one SQLite file: `backfile serve`
(gunicorn, several workers and threads) takes replies from several client
threads, each from its own loopback address, while `backfile ingest` writes a
few hundred articles in another process.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.helpers import served
from tests.helpers.served import free_port, http_request, write_jsonl
from tests.replies.helpers import article_record

pytestmark = pytest.mark.slow

THREADS = 4
MINIMUM_PER_THREAD = 4
MAXIMUM_PER_THREAD = 400  # addresses run out past 1,000
INGESTED_ARTICLES = 300
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def backfile(database: Path, *args: str, **popen) -> subprocess.Popen:
    return served.backfile(
        str(database), *args, env={"BACKFILE_STATIC_ROOT": str(database.parent / "static")}, **popen
    )


def request(port: int, address: str, method: str, path: str, body: str = "", headers=None):
    """(status, Set-Cookie, body) of one request from `address`."""
    answer = http_request(port, method, path, body, headers, address=address)
    return answer.status, answer.headers.get("Set-Cookie", ""), answer.body


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


GENERATED_POSTS = 1500  # a WordPress export large enough for several batches of every size
REPLY_EVERY = 0.1  # seconds


@dataclass
class Replies:
    """Posts a reply every REPLY_EVERY seconds, each in its own client thread (a slow reply
    does not hold the next back), from fresh loopback addresses; keeps (text, status, seconds)."""

    port: int
    post_path: str
    token: str
    cookie: str
    results: list[tuple[str, int, float]] = field(default_factory=list)

    def post(self, n: int) -> None:
        text = f"Reply {n} posted while the export goes in."
        body = urlencode({"csrfmiddlewaretoken": self.token, "name": "A reader", "text": text})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        address = f"127.1.{n // 1000}.{n // 4 % 250 + 1}"  # four replies an address
        started = time.perf_counter()
        status = request(self.port, address, "POST", self.post_path, body, headers)[0]
        self.results.append((text, status, time.perf_counter() - started))

    def while_running(self, process: subprocess.Popen, minimum: int = 10) -> None:
        threads: list[threading.Thread] = []
        started = time.perf_counter()
        while process.poll() is None or len(threads) < minimum:
            delay = started + len(threads) * REPLY_EVERY - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            threads.append(threading.Thread(target=self.post, args=(len(threads),)))
            threads[-1].start()
        for thread in threads:
            thread.join(timeout=120)


def milliseconds(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def test_replies_every_tenth_of_a_second_during_a_large_ingest_all_commit(tmp_path, capsys):
    """The loader holds SQLite's one write lock only while it writes, so replies posted
    through the real server during an ingest of 1,500 posts all go in (their latencies are
    printed: the figure issue 10 asks about, under 1 s at p99, is bench/replies_during_ingest)."""
    from tests.helpers.wxr_generator import write_wxr

    database = tmp_path / "archive.sqlite3"
    seed = write_jsonl(tmp_path / "seed.jsonl", [article_record()])
    seeding = backfile(database, "ingest", "--quiet", str(seed), stdout=subprocess.DEVNULL)
    assert seeding.wait(timeout=120) == 0
    with sqlite3.connect(database) as db:
        (article_id,) = db.execute("SELECT id FROM archive_article").fetchone()
        page_path = "/{}/1950s/1952/no-88-march-1952/{}/".format(
            *db.execute(
                "SELECT p.slug, a.slug FROM archive_article a "
                "JOIN archive_publication p ON p.id = a.publication_id"
            ).fetchone()
        )
    export = tmp_path / "large.xml"
    posts = write_wxr(export, posts=GENERATED_POSTS)["published"]

    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = backfile(
        database, "serve", "--port", str(port), "--workers", "2", stdout=log, stderr=log
    )
    try:
        wait_for_server(port, page_path, server)
        status, cookie, page = request(port, "127.0.0.1", "GET", page_path)
        assert status == 200
        replies = Replies(
            port,
            f"/replies/{article_id}/post/",
            TOKEN.search(page).group(1).decode(),
            cookie.split(";")[0],
        )
        report = tmp_path / "report.json"
        ingest = backfile(
            database,
            "ingest",
            "--quiet",
            "--report",
            str(report),
            str(export),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        replies.while_running(ingest)
        output = ingest.communicate(timeout=600)[0].decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    seconds = [s for _, _, s in replies.results]
    with capsys.disabled():
        print(
            f"\n{len(seconds)} replies every {REPLY_EVERY * 1000:.0f} ms during an ingest of "
            f"{posts} posts: p50 {milliseconds(seconds, 0.5):.0f} ms, "
            f"p99 {milliseconds(seconds, 0.99):.0f} ms, max {max(seconds) * 1000:.0f} ms"
        )
    assert ingest.returncode == 0, output
    summary = json.loads(report.read_text())["summary"]
    assert summary["added"] == posts and summary["failed"] == 0, summary
    assert {status for _, status, _ in replies.results} == {302}, (
        tmp_path / "server.log"
    ).read_text()[-3000:]
    sent = sorted(text for text, _, _ in replies.results)
    with sqlite3.connect(database) as db:
        stored = sorted(
            t
            for (t,) in db.execute(
                "SELECT text FROM replies_reply WHERE article_id = ?", [article_id]
            )
        )
        indexed = db.execute("SELECT count(*) FROM search_entry").fetchone()[0]
    assert stored == sent
    assert indexed == posts + 1  # every article went in with its index rows
