"""A second database connection, in a helper thread, for the half of a search that can wait.

A large search reads the match twice over: once to count it (and sample it for
the facets), once to rank its first page. Both are spent inside the database,
which lets other Python threads run meanwhile, so on a machine with a core to
spare the ranking goes to a helper thread with its own connection while the
request's thread counts. Only outside a transaction: a second connection cannot
see what this one has written and not yet committed (and Django's tests run
each test inside one, so there everything stays on one connection).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.db import close_old_connections, connection

T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None


def run_beside(work: Callable[[], T]) -> Future[T] | None:
    """`work` started on the helper's connection, or None where it must run on this one."""
    if connection.in_atomic_block or (os.cpu_count() or 1) < 2:
        return None
    return _helper().submit(_on_helper_connection, work)


def close_helper() -> None:
    """Stop the helper thread and close its connection (a new one opens on next need)."""
    global _pool
    if _pool is not None:
        _pool.submit(lambda: connection.close()).result()  # the helper thread's own connection
        _pool.shutdown()
        _pool = None


def _helper() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix="search-helper")
    return _pool


def _on_helper_connection(work: Callable[[], T]) -> T:
    close_old_connections()  # as a request would: drop a connection past its age or broken
    return work()
