"""A real worker: `backfile serve` starts one beside the server, and an upload made through
real HTTP is ingested by it in another process, its progress followed until it ends."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES
from tests.desk.conftest import PASSWORD, captures_zip
from tests.helpers.served import run_backfile, served, suite_database_url

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WAIT_FOR_JOB = 300  # seconds before the test gives up on the worker (a hang, not a timing)


class Browser:
    """Cookies kept between requests to the server, as a browser keeps them."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
            connection.request(
                method, path, body=body, headers={**(headers or {}), "Cookie": cookie}
            )
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        assert status == 200, page[:2000]
        return TOKEN.search(page).group(1)

    def post_form(self, path: str, fields: dict[str, str], files=()):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body, headers)


@pytest.mark.django_db(transaction=True)
def test_serve_starts_a_worker_that_runs_an_uploaded_ingest(tmp_path, monkeypatch):
    database = suite_database_url(tmp_path)
    made = run_backfile(
        database, "createeditor", "hilda", env={"BACKFILE_EDITOR_PASSWORD": PASSWORD}
    )
    assert made.returncode == 0, made.stderr
    monkeypatch.setenv("BACKFILE_INGEST_UPLOADS", str(tmp_path / "uploads"))
    archive = captures_zip(tmp_path)
    with served(database, tmp_path, wait_for="/admin/login/") as server:
        browser = Browser(server.port)
        token = browser.token("/admin/login/")
        status, headers, page = browser.post_form(
            "/admin/login/?next=/desk/",
            {"csrfmiddlewaretoken": token, "username": "hilda", "password": PASSWORD},
        )
        assert status == 302, page[:2000]

        token = browser.token("/desk/ingests/new/")
        status, headers, page = browser.post_form(
            "/desk/ingests/new/",
            {"csrfmiddlewaretoken": token, "publication": "The Lantern"},
            files=[("files", "lantern.zip", archive.read_bytes())],
        )
        assert status == 302, page[:2000]
        job_page = headers["Location"]

        deadline = time.monotonic() + WAIT_FOR_JOB
        seen = []
        while True:
            status, _, body = browser.request("GET", f"{job_page}progress.json")
            assert status == 200, body[:2000]
            progress = json.loads(body)
            seen.append(progress["status"])
            if progress["done"]:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the job did not end: {progress}; {server.log.read_text()[-3000:]}")
            time.sleep(0.5)

        lantern = len(list((FIXTURES / "capture" / "the-lantern").glob("*.txt")))
        assert progress["status"] == "finished", progress
        assert progress["counts"]["added"] == lantern
        status, _, page = browser.request("GET", job_page)
        assert status == 200 and "Finished" in page
        assert f"added {lantern}" in page
        status, _, article = browser.request("GET", "/the-lantern/1950s/1952/no-90-may-1952/")
        assert status == 200 and "Night Buses" in article
    assert not any((tmp_path / "uploads").iterdir()), "the upload is removed once ingested"


def test_a_worker_that_will_not_stop_is_killed_when_the_server_stops_and_said_to_be(
    monkeypatch, settings, tmp_path
):
    """`serve` asks its worker to stop as the server stops; a worker busy past the wait
    (here, one that ignores the request) is killed, and the command says so."""
    from backfile.archive.management.commands import serve

    stubborn = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True)
    assert stubborn.stdout.readline().strip() == "ignoring SIGTERM"
    monkeypatch.setattr(serve, "start_worker", lambda: stubborn)
    monkeypatch.setattr(serve.BackfileServer, "run", lambda self: None)  # stopped at once
    monkeypatch.setattr(serve, "WORKER_STOP_SECONDS", 0.5)
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # on the loopback: nothing to configure
    settings.BACKFILE_BASE_URL = "http://127.0.0.1:8999"
    said = StringIO()
    try:
        call_command("serve", "--port", "8999", stdout=StringIO(), stderr=said)
        assert stubborn.poll() is not None, "the worker is gone"
    finally:
        stubborn.kill()
        stubborn.wait()
    assert f"process {stubborn.pid}" in said.getvalue()
    assert "was killed" in said.getvalue()


STUBBORN = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ignoring SIGTERM", flush=True)
time.sleep(120)
"""
