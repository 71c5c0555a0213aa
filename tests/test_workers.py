"""The ingest's worker processes: forked, at the lowest priority, ending with their parent."""

from __future__ import annotations

import os

import pytest

from backfile.workers import WORKER_NICENESS, worker_processes


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes are made")
def test_workers_give_way_to_the_process_that_stores():
    """The process that lends the workers stores what they prepare, and the run goes at its
    pace: the workers take only the time it leaves (and a server's site leaves)."""
    with worker_processes() as workers:
        theirs = workers.submit(os.nice, 0).result(timeout=60)
        pid = workers.submit(os.getpid).result(timeout=60)
    ours = os.nice(0)
    assert pid != os.getpid()
    assert theirs == min(19, ours + WORKER_NICENESS)  # (19 is the least priority there is)
    assert theirs > ours or ours == 19
