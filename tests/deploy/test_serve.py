"""`backfile serve`, run as a reader's server would be: refuses to go public half-configured,
and on the loopback works with no configuration at all."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from email.message import Message
from pathlib import Path

import pytest

from backfile.loopback import free_port
from tests.deploy.production import documented_production_settings

SERVE_TIMEOUT = 90
CONFIGURATION = (
    "BACKFILE_DB",
    "BACKFILE_BASE_URL",
    "BACKFILE_SECRET_KEY",
    "BACKFILE_ALLOWED_HOSTS",
)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURATION}
    env["BACKFILE_STATIC_ROOT"] = str(tmp_path / "static")
    env.update(extra)
    return env


def serve(tmp_path: Path, host: str, port: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "backfile.cli", "--db", str(tmp_path / "db.sqlite3")]
        + ["serve", "--host", host, "--port", str(port), "--workers", "1"],
        env=environment(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def refused(tmp_path: Path, host: str, port: int | None = None, **env: str) -> str:
    """The message of a serve that must refuse; fails if it starts instead."""
    process = serve(tmp_path, host, port or free_port(), **env)
    try:
        _, stderr = process.communicate(timeout=SERVE_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop(process)
        pytest.fail("backfile serve started where it had to refuse")
    assert process.returncode != 0
    return stderr


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def get(port: int, path: str, host: str) -> tuple[int, str]:
    """GET `path` from the server on the loopback, with `host` as the Host header."""
    status, _, body = exchange(port, path, {"Host": host})
    return status, body


def exchange(port: int, path: str, headers: dict[str, str]) -> tuple[int, Message, str]:
    """GET `path` with `headers` once the server answers: status, headers, body."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        finally:
            connection.close()


def canonical(page: str) -> str:
    found = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    assert found, "the page has no canonical link"
    return found.group(1)


def test_off_the_loopback_serve_refuses_without_configuration_and_says_what_to_set(tmp_path):
    message = refused(tmp_path, "0.0.0.0")
    for variable in ("BACKFILE_SECRET_KEY", "BACKFILE_ALLOWED_HOSTS", "BACKFILE_BASE_URL"):
        assert variable in message
    assert "Traceback" not in message


def test_the_development_key_is_refused_off_the_loopback(tmp_path):
    message = refused(
        tmp_path,
        "0.0.0.0",
        BACKFILE_ALLOWED_HOSTS="archive.example.org",
        BACKFILE_BASE_URL="https://archive.example.org",
    )
    assert "BACKFILE_SECRET_KEY" in message
    assert "BACKFILE_BASE_URL" not in message
    assert "BACKFILE_ALLOWED_HOSTS" not in message


def test_public_host_names_behind_a_proxy_need_a_base_url_even_on_the_loopback(tmp_path):
    message = refused(
        tmp_path,
        "127.0.0.1",
        BACKFILE_ALLOWED_HOSTS="archive.example.org",
        BACKFILE_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert "BACKFILE_BASE_URL" in message
    assert "BACKFILE_SECRET_KEY" not in message


def test_any_host_name_is_refused_off_the_loopback(tmp_path):
    message = refused(
        tmp_path,
        "0.0.0.0",
        BACKFILE_ALLOWED_HOSTS="*",
        BACKFILE_BASE_URL="https://archive.example.org",
        BACKFILE_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert "BACKFILE_ALLOWED_HOSTS" in message


def test_on_the_loopback_the_demo_needs_no_configuration_and_names_itself(tmp_path):
    port = free_port()
    process = serve(tmp_path, "127.0.0.1", port)
    try:
        status, page = get(port, "/", f"localhost:{port}")
        assert status == 200
        assert canonical(page) == f"http://127.0.0.1:{port}/"
        status, _ = get(port, "/", "evil.example")
        assert status == 400, "a host outside ALLOWED_HOSTS is refused"
        status, identify = get(port, "/oai?verb=Identify", f"localhost:{port}")
        assert f"<baseURL>http://127.0.0.1:{port}/oai</baseURL>" in identify
    finally:
        stop(process)


def test_with_the_documented_production_settings_it_serves_https_only(tmp_path):
    """Behind a TLS proxy: HSTS, Secure cookies, plain HTTP redirected, links on the base URL."""
    port = free_port()
    settings = documented_production_settings()
    process = serve(tmp_path, "0.0.0.0", port, **settings)
    proxied = {"Host": "archive.example.org", "X-Forwarded-Proto": "https"}
    try:
        status, headers, page = exchange(port, "/search/", proxied)
        assert status == 200, page
        assert canonical(page) == "https://archive.example.org/search/"
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"

        status, headers, _ = exchange(port, "/admin/login/", proxied)
        assert status == 200
        cookies = headers.get_all("Set-Cookie")
        assert cookies and all("; Secure" in cookie for cookie in cookies), cookies

        status, headers, _ = exchange(port, "/search/", {"Host": "archive.example.org"})
        assert status == 301
        assert headers["Location"] == "https://archive.example.org/search/"
        status, _, _ = exchange(port, "/", {"Host": "evil.example", "X-Forwarded-Proto": "https"})
        assert status == 400
    finally:
        stop(process)


def test_a_base_url_with_a_path_gives_every_address_its_prefix(tmp_path):
    """`https://example.org/archive`: the proxy strips `/archive`, Backfile puts it back."""
    port = free_port()
    process = serve(
        tmp_path,
        "0.0.0.0",
        port,
        BACKFILE_ALLOWED_HOSTS="example.org",
        BACKFILE_BASE_URL="https://example.org/archive",
        BACKFILE_SECRET_KEY=secrets.token_urlsafe(50),
    )
    try:
        status, page = get(port, "/search/", "example.org")
        assert status == 200, page
        assert canonical(page) == "https://example.org/archive/search/"
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)
        assert stylesheet.startswith("/archive/static/")
        status, _ = get(port, stylesheet.removeprefix("/archive"), "example.org")
        assert status == 200, "the stylesheet is served where the proxy sends it"
        status, identify = get(port, "/oai?verb=Identify", "example.org")
        assert "<baseURL>https://example.org/archive/oai</baseURL>" in identify
    finally:
        stop(process)


def test_a_second_server_on_a_port_in_use_is_refused_and_the_first_keeps_it(tmp_path):
    """Each server process binds its own socket (SO_REUSEPORT), which would let a second
    server share the port unnoticed; `serve` refuses that, naming the port."""
    port = free_port()
    first = serve(tmp_path, "127.0.0.1", port)
    try:
        assert get(port, "/", f"localhost:{port}")[0] == 200
        stderr = refused(tmp_path, "127.0.0.1", port)  # the same archive, already migrated
        assert f"cannot serve on port {port} of 127.0.0.1: it is in use" in stderr
        for _ in range(10):  # every new connection still reaches the first server
            assert get(port, "/", f"localhost:{port}")[0] == 200
    finally:
        stop(first)


def test_an_address_not_this_machine_s_is_refused_with_the_reason(tmp_path):
    settings = documented_production_settings()
    message = refused(tmp_path, "192.0.2.1", **settings)  # TEST-NET-1: on no machine
    assert "cannot serve on port" in message and "of 192.0.2.1: " in message
    assert "Traceback" not in message


def processes() -> dict[int, tuple[int, list[bytes]]]:
    """Every process's parent and command line (Linux's /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        found[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), command)
    return found


def worker_children(server: int) -> list[int]:
    """The `backfile worker` processes the server started."""
    return [
        pid for pid, (parent, cmd) in processes().items() if parent == server and b"worker" in cmd
    ]


def descendants(pid: int) -> set[int]:
    table = processes()
    found, fresh = set(), {pid}
    while fresh:
        fresh = {child for child, (parent, _) in table.items() if parent in fresh} - found
        found |= fresh
    return found


def test_a_signal_to_the_whole_process_group_stops_server_and_worker_cleanly(tmp_path):
    """As systemd, `kill -- -PGID` or a terminal would: every process of the group
    signalled at once; the desk's worker is stopped, not left to be killed."""
    port = free_port()
    process = serve(tmp_path, "127.0.0.1", port)
    try:
        assert get(port, "/", f"localhost:{port}")[0] == 200
        deadline = time.monotonic() + SERVE_TIMEOUT
        while not worker_children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = worker_children(process.pid)
        assert workers, "serve started no background worker"
        # the worker's job queue fully up: its sentinel, and the sentinel's pusher, monitor
        # and job process (signalled before, the queue stopped cleanly even when it hung)
        while len(descendants(workers[0])) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(descendants(workers[0])) >= 4, "the worker's job queue did not start"
        time.sleep(1)
        os.killpg(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=SERVE_TIMEOUT)
    finally:
        stop(process)
    assert "had not stopped" not in stderr, stderr[-2000:]
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "the worker is left"
