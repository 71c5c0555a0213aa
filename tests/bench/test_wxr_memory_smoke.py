"""bench/wxr_memory.py still runs: a small generated WordPress export, its peak memory and floor."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_wxr_memory_bench_prints_peak_memory_beside_its_floor():
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "wxr_memory.py"), "--posts", "40"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^export: 40 posts, \d+ comments", done.stdout, re.M), done.stdout
    figure = re.search(r"^ingest peak memory: (\d+) MB", done.stdout, re.M)
    floor = re.search(
        r"^floor \(Django \+ streamed lxml parse of the same file\): (\d+) MB", done.stdout, re.M
    )
    assert figure and floor, done.stdout
    assert int(figure.group(1)) > 0 and int(floor.group(1)) > 0
    assert re.search(r"^ratio: \d+\.\d\dx the floor; limit 500 MB", done.stdout, re.M)
