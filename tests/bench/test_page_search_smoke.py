"""bench/page_search.py still builds its two databases and times the four runs: on
Backfile's own sample, with a few pages (its page rows are made by the bench's own code,
so a column the Page model gains could break it without any other test noticing)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

SAMPLE = REPO / "backfile" / "sample"


def test_page_search_bench_indexes_pages_and_times_every_kind(tmp_path):
    command = [sys.executable, str(REPO / "bench" / "page_search.py"), "--corpus", str(SAMPLE)]
    command += ["--base", str(tmp_path / "sample.sqlite3"), "--workdir", str(tmp_path)]
    command += ["--pages", "24", "--repeat", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^indexed 24 pages in ", done.stdout, re.M), done.stdout
    for run in ("articles, without pages", "all, with pages", "pages, with pages"):
        assert re.search(rf"^{re.escape(run)}.* +\d+\.\d +\d+\.\d +\d+\.\d$", done.stdout, re.M)
