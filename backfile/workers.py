"""Worker processes for the slow pure-Python parts of an ingest (reading pages, analysing text).

Only a command that owns its run (`backfile ingest`, `backfile search-reindex`)
starts worker processes: it opens them with `worker_processes`, lends them to the
code it calls, and shuts them down when the block ends, however it ends. Nothing
else makes a pool: a web request (an editor's save touching a thousand articles)
does its work in its own thread, and never forks a copy of the server.

Forked, so that they start at once with what the process has already loaded.
Workers that only read ahead (the legacy reader's) run at the lowest priority
(`READ_AHEAD_NICENESS`): the run goes at the pace of the process that stores, which
waits for the analysis of each batch and never for reading, so reading needs only
the time the others leave (and on a server, the time the site leaves). A forked
worker keeps a copy of the pipes it is fed through, so it would never
see the end of its input if its parent were killed (`kill -9`, the out-of-memory
killer): it would wait for ever. Each worker therefore watches its parent and
exits when the parent is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

PARENT_CHECK_EVERY = 1.0  # seconds
# Processes an ingest or a reindex lends to the search index's text analysis: two, so
# that the gaps a reader's worker and the main process's database writes leave on either
# core get filled.
ANALYSIS_WORKERS = 2
# How much less of the processor a worker that reads ahead takes than the others (`nice`):
# the most. On two cores, with the storing process, the two analysis workers and the
# two reading ones, an ingest of the corpus took 6.9 s with them at 19 and the others
# at 0, 7.2 s with every worker at 19 and 7.7 s with none: the storing process is the
# run's bottleneck, and waits on the analysis, not on the reading.
READ_AHEAD_NICENESS = 19


@contextmanager
def worker_processes(workers: int = ANALYSIS_WORKERS) -> Iterator[Executor | None]:
    """Worker processes for the block, shut down when it ends; None on a machine with one core
    (the code they are lent to then works in this process). They are forked on first use."""
    if (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = worker_pool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def worker_pool(workers: int, niceness: int = 0) -> ProcessPoolExecutor:
    """Forked worker processes that end with the process that started them, `niceness`
    below it in priority. The caller owns them and shuts them down (`worker_processes`
    does both)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), niceness),
    )


def _start_worker(parent: int, niceness: int) -> None:
    """In each worker as it starts: its priority, and an end with its parent."""
    if niceness:
        with contextlib.suppress(OSError):  # (a system that refuses: it runs as its parent)
            os.nice(niceness)
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_EVERY)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
