"""A second database connection, in a helper thread, for the half of a search that can wait.

A large search reads the match twice over: once to count it (and sample it for
the facets), once to rank its first page. Both are spent inside the database,
which lets other Python threads run meanwhile, so on a machine with a core to
spare the ranking goes to a helper thread with its own connection while the
request's thread counts. Each thread that serves requests has its own helper,
so concurrent requests never queue behind one another's work. Only outside a
transaction: a second connection cannot see what this one has written and not
yet committed (and Django's tests run each test inside one, so there everything
stays on one connection).
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.db import connection

T = TypeVar("T")
_helpers = threading.local()


def run_beside(work: Callable[[], T]) -> Future[T] | None:
    """`work` started on this thread's helper connection, or None where it must run here."""
    if connection.in_atomic_block or (os.cpu_count() or 1) < 2:
        return None
    # in this thread's context: the database router's view of the request (backfile.routers)
    return _helper().submit(contextvars.copy_context().run, _on_helper_connection, work)


def close_helper() -> None:
    """Stop this thread's helper and close its connection (a new one opens on next need)."""
    pool = getattr(_helpers, "pool", None)
    if pool is not None:
        pool.submit(lambda: connection.close()).result()  # the helper thread's own connection
        pool.shutdown()
        _helpers.pool = None


def _helper() -> ThreadPoolExecutor:
    if getattr(_helpers, "pool", None) is None:
        _helpers.pool = ThreadPoolExecutor(1, thread_name_prefix="search-helper")
    return _helpers.pool


def _on_helper_connection(work: Callable[[], T]) -> T:
    """`work` on the helper's connection, kept open between searches (its page cache warm)
    unless an error left it unusable."""
    if connection.connection is not None and connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()
    return work()
