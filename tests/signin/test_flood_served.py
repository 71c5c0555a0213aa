"""A sign-in flood against the real server (`backfile serve`, gunicorn): a connection
answered 429 is not read again for a moment, so a flood on kept-alive connections cannot
take its share of the threads from the readers (backfile/serving.py)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from urllib.parse import urlencode

import pytest

from backfile.serving import HOLD_SECONDS
from tests.helpers.served import run_backfile, served, suite_database_url

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One kept-alive connection, with the CSRF cookie and token of the sign-in page."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, headers, page = self.exchange("GET", "/admin/login/")
        assert status == 200
        self.cookie = headers["Set-Cookie"].split(";")[0]
        self.token = TOKEN.search(page).group(1)

    def exchange(self, method: str, path: str, body: str = "", headers=None):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        page = response.read().decode()
        assert response.getheader("Connection", "").lower() != "close", "not kept alive"
        return response.status, response.headers, page

    def wrong_password(self) -> tuple[int, float]:
        """Status of a wrong password's answer, and how long it took."""
        body = urlencode(
            {"csrfmiddlewaretoken": self.token, "username": "flood", "password": "guess"}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        started = time.monotonic()
        status, _, _ = self.exchange("POST", "/admin/login/", body, headers)
        return status, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_connection_refused_is_held_a_moment_while_others_are_served(tmp_path, monkeypatch):
    database = suite_database_url(tmp_path)
    assert run_backfile(database, "migrate").returncode == 0
    monkeypatch.setenv("BACKFILE_SIGNIN_FAILURES", "1")
    monkeypatch.setenv("BACKFILE_SIGNIN_ADDRESS_FAILURES", "1")
    with served(database, tmp_path) as server:
        flood = Client(server.port)
        status, _ = flood.wrong_password()
        assert status == 429, "one wrong password, and the user name and address are refused"

        held = {}

        def flood_on() -> None:
            held["answer"] = flood.wrong_password()
            held["answered"] = time.monotonic()

        thread = threading.Thread(target=flood_on)
        thread.start()
        reader = server.get("/")  # another connection, while the flood's is held
        reader_answered = time.monotonic()
        thread.join(timeout=60)
        assert not thread.is_alive()
        status, seconds = held["answer"]
        assert reader.status == 200
        assert reader_answered < held["answered"], "the reader waited for the held connection"
        assert status == 429
        assert seconds >= HOLD_SECONDS * 0.9, (
            f"the next request on a refused connection was answered after {seconds:.2f} s"
        )
        # A fresh connection is refused too (the throttle is by address, not connection).
        assert Client(server.port).wrong_password()[0] == 429


class Resp:
    def __init__(self, status_code: int):
        self.status_code = status_code


def test_only_a_refusal_to_a_direct_client_is_held(settings):
    """A trusted proxy's connection may carry other readers' requests next: never held."""
    from backfile.serving import ThreadWorker, post_request

    settings.BACKFILE_TRUSTED_PROXIES = ["10.0.0.5"]
    worker = ThreadWorker.__new__(ThreadWorker)  # its bookkeeping alone, no gunicorn around
    worker.refused = set()
    reader, proxy, served = object(), object(), object()
    post_request(worker, None, {"REMOTE_ADDR": "192.0.2.7", "gunicorn.socket": reader}, Resp(429))
    post_request(worker, None, {"REMOTE_ADDR": "10.0.0.5", "gunicorn.socket": proxy}, Resp(429))
    post_request(worker, None, {"REMOTE_ADDR": "192.0.2.8", "gunicorn.socket": served}, Resp(200))
    assert worker.refused == {reader}
