"""Reads to a replica, writes to the primary, and a reader's own writes read back from the primary.

With BACKFILE_DB_REPLICAS set (a PostgreSQL primary and its streaming replicas,
see backfile.database), `PrimaryReplicaRouter` sends the ORM's reads to the
replicas in turn and every write to `default`, the primary. A replica applies the
primary's changes a moment later, so whoever just wrote reads from the primary:

- inside a transaction (`transaction.atomic`) on the primary, everything;
- in a request (or any thread: a command, an ingest) after it wrote, every later
  read of that request or thread;
- in a browser's requests for BACKFILE_DB_PRIMARY_AFTER_WRITE seconds after one
  of its requests wrote: `ReadAfterWriteMiddleware` sets a short-lived cookie on
  the response of a request that wrote (a reply posted, then the redirect back to
  the article showing it; an editor's save, then the list).

Migrations run on the primary only. Without replicas everything is `default`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from backfile.database import REPLICA_PREFIX

PRIMARY = "default"
COOKIE = "backfile_primary"  # "this browser wrote a moment ago": read from the primary

# Whether this request (or thread, outside requests) has written; whether its browser has,
# a moment ago (the cookie).
_wrote: ContextVar[bool] = ContextVar("backfile_wrote", default=False)
_wrote_recently: ContextVar[bool] = ContextVar("backfile_wrote_recently", default=False)
_turns = itertools.count()
_turns_lock = threading.Lock()
# Statements that write (the first word): seen on the primary's connection during a request.
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE", "COPY")


def replicas() -> list[str]:
    """The replica aliases configured (`replica_1` …), in order."""
    return sorted(alias for alias in connections.settings if alias.startswith(REPLICA_PREFIX))


def pin_to_primary() -> None:
    """This request (or thread) wrote: it reads from the primary from now on."""
    _wrote.set(True)


def reads_from_primary() -> bool:
    return _wrote.get() or _wrote_recently.get() or connections[PRIMARY].in_atomic_block


class PrimaryReplicaRouter:
    """Reads to a replica (round-robin), unless this request wrote or is in a transaction."""

    def db_for_read(self, model, **hints) -> str:
        available = replicas()
        if not available or reads_from_primary():
            return PRIMARY
        with _turns_lock:
            turn = next(_turns)
        return available[turn % len(available)]

    def db_for_write(self, model, **hints) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


def _watch_writes(execute, sql, params, many, context):
    """An execute wrapper on the primary: a statement that writes pins the request."""
    words = sql.lstrip().split(None, 1)
    if words and words[0].upper() in WRITES:
        pin_to_primary()
    return execute(sql, params, many, context)


class ReadAfterWriteMiddleware:
    """A request reads from the primary after it wrote, and so do its browser's next requests
    for BACKFILE_DB_PRIMARY_AFTER_WRITE seconds (a cookie says so)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas():
            return self.get_response(request)
        wrote = _wrote.set(False)
        recently = _wrote_recently.set(COOKIE in request.COOKIES)
        try:
            with connections[PRIMARY].execute_wrapper(_watch_writes):
                response = self.get_response(request)
            written = _wrote.get()
        finally:
            _wrote.reset(wrote)
            _wrote_recently.reset(recently)
        seconds = settings.BACKFILE_DB_PRIMARY_AFTER_WRITE
        if written and seconds:
            response.set_cookie(
                COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
