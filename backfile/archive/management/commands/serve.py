"""`backfile serve [--host H] [--port P]`: the reading site under gunicorn.

On the loopback (the default, 127.0.0.1) it needs no configuration. Anywhere a
stranger could reach it (a non-loopback --host, or ALLOWED_HOSTS naming a public
host, as behind a reverse proxy) it refuses to start until BACKFILE_SECRET_KEY,
BACKFILE_ALLOWED_HOSTS and BACKFILE_BASE_URL are set (docs/deploy.md).

Beside the server it starts `backfile worker`, which runs the ingests started from the
desk, and stops it with the server (`--no-worker` leaves it out, for a worker run
elsewhere).
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication

from backfile import conf, serving


class BackfileServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from backfile.wsgi import application

        return application


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (`127.0.0.1`, `::1`, `localhost`)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def missing_for_public_serving() -> list[str]:
    """What a public server must set and has not, one line each."""
    missing = []
    if settings.SECRET_KEY in {"", conf.DEVELOPMENT_SECRET_KEY}:
        missing.append(
            "BACKFILE_SECRET_KEY: a long random string, kept secret "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts or all(is_loopback(h) for h in hosts):
        missing.append(
            "BACKFILE_ALLOWED_HOSTS: the host names the site answers to, such as "
            "archive.example.org (not '*')"
        )
    if not settings.BACKFILE_BASE_URL:
        missing.append(
            "BACKFILE_BASE_URL: the archive's public origin, such as https://archive.example.org"
        )
    return missing


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class Command(BaseCommand):
    help = "Serve the reading site, the editors' desk and the APIs."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker of the desk's ingests beside the server "
            "(run `backfile worker` elsewhere).",
        )

    def handle(self, *args, host, port, workers, no_worker=False, **options):
        public = not is_loopback(host) or not all(is_loopback(h) for h in settings.ALLOWED_HOSTS)
        if public:
            missing = missing_for_public_serving()
            if missing:
                where = host if not is_loopback(host) else "the loopback for public host names"
                raise CommandError(
                    f"refusing to serve on {where}: set\n"
                    + "".join(f"  {line}\n" for line in missing)
                    + "(docs/deploy.md has the production settings; "
                    "on 127.0.0.1 none are needed)"
                )
        elif not settings.BACKFILE_BASE_URL:
            # The loopback demo: absolute URLs name this server, never a request's Host header.
            base_url = f"http://{url_host(host)}:{port}"
            settings.BACKFILE_BASE_URL = os.environ["BACKFILE_BASE_URL"] = base_url
        refuse_a_port_in_use(host, port)
        call_command("collectstatic", interactive=False, verbosity=0)
        database = settings.DATABASES["default"]["NAME"]
        self.stdout.write(
            f"Backfile serving {database} on http://{url_host(host)}:{port}/ "
            f"as {settings.BACKFILE_BASE_URL}/"
        )
        background = None if no_worker else start_worker()
        try:
            BackfileServer(
                {
                    "bind": f"{url_host(host)}:{port}",
                    "workers": workers,
                    "threads": 4,
                    # each process its own socket (the kernel spreads connections evenly),
                    # and connections refused with 429 held a moment: backfile/serving.py
                    "worker_class": "backfile.serving.ThreadWorker",
                    "post_request": serving.post_request,
                    "reuse_port": True,
                    "accesslog": "-",
                    "timeout": 60,
                }
            ).run()
        finally:
            if background is not None:
                stop_worker(background, self.stderr.write)


def refuse_a_port_in_use(host: str, port: int) -> None:
    """A clear refusal when the server could not listen on `host`:`port`: another server
    listens there (the server's processes bind sockets of their own with SO_REUSEPORT,
    which another such server's would not stop), or the host is not this machine's."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:  # socket.gaierror too: a host name that does not resolve
        if error.errno == errno.EADDRINUSE:
            reason = "it is in use: another server is listening there (stop it, or choose "
        else:
            reason = f"{error.strerror or error} (choose "
        raise CommandError(
            f"cannot serve on port {port} of {host}: {reason}another --host or --port)"
        ) from None


WORKER_STOP_SECONDS = 30


def stop_worker(background: subprocess.Popen, say) -> None:
    """Ask the worker to stop; one that has not within WORKER_STOP_SECONDS (a file of an
    ingest still being read) is killed, and `say` says so: its job is said to have stopped
    (`abandon_orphans`) and can be started again."""
    background.terminate()
    try:
        background.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        say(
            f"The background worker (process {background.pid}) had not stopped "
            f"{WORKER_STOP_SECONDS} s after being asked to, so it was killed. An ingest it "
            "was running will show as stopped at the desk; start it again to finish it."
        )
        background.kill()
        background.wait()


def start_worker() -> subprocess.Popen:
    """`backfile worker` beside the server, on the same database (BACKFILE_DB, which
    `backfile --db` sets), ended with it.

    In a process group of its own: a signal to the server's group (`kill -- -PGID`, a
    terminal's Ctrl-C) reaches it only as `stop_worker`'s, since django-q2's cluster
    deadlocks when its processes are signalled all at once (the server then waited
    WORKER_STOP_SECONDS and killed it). On Linux it is also told to stop if the server
    dies without stopping it."""
    return subprocess.Popen(
        [sys.executable, "-m", "backfile.cli", "worker"],
        env=os.environ,
        process_group=0,
        preexec_fn=_stop_with_parent,  # noqa: PLW1509 (no threads yet: gunicorn starts after)
    )


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent ends


def _stop_with_parent() -> None:
    """In the worker before it runs: SIGTERM when the server's process ends (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
