"""The ingest's worker processes: forked, those that only read ahead at the lowest priority,
ending with their parent."""

from __future__ import annotations

import os

import pytest

from backfile.workers import READ_AHEAD_NICENESS, worker_processes


def _niceness_and_pid() -> tuple[int, int]:
    return os.nice(0), os.getpid()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes are made")
def test_workers_that_read_ahead_give_way_to_those_the_storing_process_waits_for():
    """The process that lends the workers stores what they prepare, and waits for the
    analysis of each batch, never for reading: the legacy reader's workers, which read
    ahead, take only the time the others leave (and a server's site leaves)."""
    from backfile.ingest.readers.legacy_html import LegacyHtmlReader

    ours = os.nice(0)
    with worker_processes() as analysis:
        analysing, pid = analysis.submit(_niceness_and_pid).result(timeout=60)
    reader = LegacyHtmlReader("The Quayside")
    reader._pages_seen = reader.PARALLEL_AFTER + 1  # as many pages as make it read in workers
    pool = reader._worker_pool()
    try:
        reading, _ = pool.submit(_niceness_and_pid).result(timeout=60)
    finally:
        pool.shutdown()
    assert pid != os.getpid()
    assert analysing == ours
    assert reading == min(19, ours + READ_AHEAD_NICENESS)  # (19 is the least priority there is)
    assert reading > ours or ours == 19
