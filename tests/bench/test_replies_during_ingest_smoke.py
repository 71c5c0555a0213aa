"""bench/replies_during_ingest.py runs: replies through `backfile serve` around a tiny ingest."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, REPO


def test_the_replies_during_ingest_bench_runs_on_a_tiny_archive():
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "replies_during_ingest.py"),
            str(FIXTURES / "legacy_html" / "the-tideline"),
            "--publication",
            "The Tideline",
            "--floor-replies",
            "3",
            "--minimum",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("replies every 100 ms during `backfile ingest the-tideline`")
    assert "articles in" in lines[0] and "exit 0" in lines[0]
    during = next(line for line in lines if "during ingest" in line and "p99" in line)
    floor = next(line for line in lines if "floor, no ingest" in line)
    assert "p50" in during and "max" in during and "p99" in floor
    assert int(floor.split()[3]) == 3  # the floor's replies, as asked
    assert "not accepted 0, accepted but not stored 0" in result.stdout
