"""The ingest's worker processes: forked, those that only read ahead at the lowest priority,
ending with their parent."""

from __future__ import annotations

import os

import pytest

from backfile.workers import READ_AHEAD_NICENESS, worker_pool, worker_processes


def _niceness_and_pid() -> tuple[int, int]:
    return os.nice(0), os.getpid()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes are made")
def test_workers_that_read_ahead_give_way_to_those_the_storing_process_waits_for():
    """The process that lends the workers stores what they prepare, and waits for the
    analysis of each batch, never for reading: the workers that read ahead take only
    the time the others leave (and a server's site leaves)."""
    ours = os.nice(0)
    with worker_processes() as analysis:
        analysing, pid = analysis.submit(_niceness_and_pid).result(timeout=60)
    reading_ahead = worker_pool(1, niceness=READ_AHEAD_NICENESS)
    try:
        reading, _ = reading_ahead.submit(_niceness_and_pid).result(timeout=60)
    finally:
        reading_ahead.shutdown()
    assert pid != os.getpid()
    assert analysing == ours
    assert reading == min(19, ours + READ_AHEAD_NICENESS)  # (19 is the least priority there is)
    assert reading > ours or ours == 19
