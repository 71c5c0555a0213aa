"""Worker processes for the slow pure-Python parts of an ingest (reading pages, analysing text).

Forked, so that they start at once with what the process has already loaded.
A forked worker keeps a copy of the pipes it is fed through, so it would never
see the end of its input if its parent were killed (`kill -9`, the out-of-memory
killer): it would wait for ever. Each worker therefore watches its parent and
exits when the parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_EVERY = 1.0  # seconds


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Forked worker processes that end with the process that started them."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )


def _exit_with_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_EVERY)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
