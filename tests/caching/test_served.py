"""`backfile serve` as deployed: hashed static files cached for a year, pages that follow an
ingest run from another process in every server worker, replies posted from cached pages.

The server is the real one (gunicorn, two workers, each with its own in-memory
page cache), on a SQLite file in a temporary folder, driven over HTTP.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from lxml import html

from backfile.loopback import free_port
from tests.caching.conftest import COAL_BOARD, COAL_BOARD_SENTENCE, LANTERN, rewrite

YEAR = 365 * 24 * 3600
HASHED_CSS = re.compile(r'href="(/static/archive/site\.[0-9a-f]{12}\.css)"')


def backfile(*arguments: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backfile.cli", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Reader:
    """A browser of sorts: its own cookies, no redirects followed unasked."""

    def __init__(self, origin: str):
        self.origin = origin
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.origin + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    sources = folder / "the-lantern"
    shutil.copytree(LANTERN, sources)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKFILE_")}
    env.update(
        BACKFILE_DB=str(folder / "archive.sqlite3"), BACKFILE_STATIC_ROOT=str(folder / "static")
    )
    report = folder / "report.json"
    ingested = backfile(
        "ingest", str(sources), "--publication", "The Lantern", "--report", str(report), env=env
    )
    assert ingested.returncode == 0, ingested.stderr
    urls = {
        entry["path"].rsplit("/", 1)[-1]: entry["url"]
        for entry in json.loads(report.read_text())["entries"]
        if entry["url"]
    }
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "backfile.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            try:
                if Reader(origin).request("/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "backfile serve did not answer in two minutes"
            time.sleep(0.2)
        yield {"origin": origin, "env": env, "sources": sources, "urls": urls}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_pages_link_hashed_static_names_cached_for_a_year(server):
    reader = Reader(server["origin"])
    status, _, page = reader.request("/")
    assert status == 200
    found = HASHED_CSS.search(page.decode())
    assert found, "the home page links the stylesheet under its hashed name"
    status, headers, body = reader.request(found.group(1), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    cache_control = headers["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= YEAR and "immutable" in cache_control
    assert headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(body)


def test_an_ingest_in_another_process_shows_in_every_worker_at_once(server):
    url = server["urls"][COAL_BOARD]
    pages = [Reader(server["origin"]).request(url) for _ in range(8)]
    assert all(status == 200 for status, _, _ in pages)
    assert all(COAL_BOARD_SENTENCE.encode() in body for _, _, body in pages)
    assert any(headers["X-Cache"] == "HIT" for _, headers, _ in pages)

    rewrite(server["sources"] / COAL_BOARD, COAL_BOARD_SENTENCE, "The accounts prove nothing.")
    again = backfile(
        "ingest", str(server["sources"]), "--publication", "The Lantern", env=server["env"]
    )
    assert again.returncode == 0, again.stderr
    assert "updated 1" in again.stdout

    for _ in range(8):
        status, _, body = Reader(server["origin"]).request(url)
        assert status == 200
        assert b"The accounts prove nothing." in body, "no worker serves the page as it was"


def test_a_reader_served_from_the_cache_posts_a_reply(server):
    url = server["urls"][COAL_BOARD]
    for _ in range(20):  # a new reader each time, until one gets the page from a cache
        reader = Reader(server["origin"])
        status, headers, page = reader.request(url)
        if headers["X-Cache"] == "HIT":
            break
    else:
        pytest.fail("no reader got the article from the page cache")
    assert status == 200
    assert any(cookie.name == "csrftoken" for cookie in reader.jar)
    form = html.fromstring(page).xpath('//form[@method="post"]')[0]
    fields = {field.name: field.value or "" for field in form.inputs if field.name}
    fields.update(name="Ada Penrose", text="I kept the pit's books that year.", website="")

    status, headers, body = reader.request(
        form.get("action"), data=fields, headers={"Referer": server["origin"] + url}
    )
    assert status == 302, body[:1000]
    status, headers, thanked = reader.request(headers["Location"].split("#")[0])
    assert status == 200
    assert b"held for moderation" in thanked
