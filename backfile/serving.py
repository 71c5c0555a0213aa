"""The web server's worker: gunicorn's threaded worker, with refused clients made to wait.

`backfile serve` runs gunicorn with this worker class, several processes of a few
threads each, every process with a listening socket of its own (`SO_REUSEPORT`):
the kernel spreads new connections over the processes evenly, where one shared
socket let whichever process woke first take them all (64 connections opened
together all went to one process, which could use one core of two).

A request refused with 429 (the sign-in throttle, the reply rate limits) is
answered at once and cheaply, but a client that goes on asking on the same
kept-alive connection would be answered as fast as it asks: every connection
gets its turn at the threads, so sixteen connections sending wrong passwords took
a quarter of the server's answers from the readers. So a connection answered 429
is set aside for HOLD_SECONDS before the worker reads from it again; it holds no
thread meanwhile, and the client's next request waits in the kernel. A person
refused never notices: the refusal asked them to wait longer (`Retry-After`).
A connection from a trusted proxy (BACKFILE_TRUSTED_PROXIES) is never held: it may
carry other readers' requests next, and the proxy is where to limit its clients.
"""

from __future__ import annotations

import heapq
import itertools
import time
from concurrent import futures

from django.conf import settings
from gunicorn.workers import gthread

HOLD_SECONDS = 1.0

# What `handle` returns for a request whose connection stays open, for a held connection
# handed back to gunicorn's own bookkeeping.
_KEPT_ALIVE: futures.Future = futures.Future()
_KEPT_ALIVE.set_result(True)


def post_request(worker, req, environ, resp) -> None:
    """gunicorn's post_request hook (in the request's thread): note a connection refused."""
    if resp.status_code != 429 or not isinstance(worker, ThreadWorker):
        return
    if environ.get("REMOTE_ADDR") not in settings.BACKFILE_TRUSTED_PROXIES:
        worker.refused.add(environ["gunicorn.socket"])


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, holding connections answered 429 (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: set = set()  # sockets just answered 429, added by the request threads
        self.held: list = []  # (due, order, connection): a heap, kept by the main thread
        self._order = itertools.count()

    def finish_request(self, conn, fs):
        """Called on the main thread when a request is done: hold the connection if refused."""
        refused = conn.sock in self.refused
        self.refused.discard(conn.sock)
        if refused and self.alive and _kept_alive(fs):
            due = time.monotonic() + HOLD_SECONDS
            heapq.heappush(self.held, (due, next(self._order), conn))
            return
        super().finish_request(conn, fs)

    def murder_keepalived(self, force=False):
        """Called on every turn of the main loop: hand back the connections held long enough
        (all of them when stopping), then gunicorn's own closing of idle connections."""
        now = time.monotonic()
        while self.held and (force or not self.alive or self.held[0][0] <= now):
            _, _, conn = heapq.heappop(self.held)
            super().finish_request(conn, _KEPT_ALIVE)
        super().murder_keepalived(force)


def _kept_alive(fs: futures.Future) -> bool:
    return fs.done() and not fs.cancelled() and fs.exception() is None and fs.result() is True
