"""bench/media.py still runs: twenty generated pictures through the real ingest and the floor."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_media_bench_prints_the_pipeline_rate_beside_its_floor():
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "media.py"), "--pictures", "20"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stored = re.search(r"^media: 20 pictures .* in 5 articles; (\d+) stored", done.stdout, re.M)
    assert stored and int(stored.group(1)) == 20, done.stdout
    assert re.search(r"^  pipeline +\d+\.\d pictures/s", done.stdout, re.M), done.stdout
    assert re.search(r"^  floor +\d+\.\d pictures/s", done.stdout, re.M), done.stdout
    assert re.search(r"^  ratio +\d+\.\d\d", done.stdout, re.M), done.stdout
    assert "failed" not in done.stderr
