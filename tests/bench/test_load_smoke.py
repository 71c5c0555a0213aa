"""bench/load.py still runs: every scenario for a second at a few connections, on the sample.

The bench builds its archive from Backfile's bundled sample (`--tiny`), serves a copy
with `backfile serve` on the loopback and drives it with wrk; here each scenario runs
for one second at four connections, the mixed run ingests a 20-post WordPress export,
and the table must come out whole: the static ceiling, every scenario beside it with
its targets, and no reader answered outside 2xx.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, skip_unless

READER_ROWS = [
    "article page",
    "issue page",
    "browsing pages",
    "index pages",
    "search page",
    "search API",
    "OAI ListRecords",
    "flood: readers alone",
    "flood: article pages",
    "replies, no ingest",
    "mixed: article pages",
    "mixed: replies",
]
ROW = (
    r"^{name} +(?P<rate>\d+\.\d) +(?P<p50>\d+\.\d) +(?P<p99>\d+\.\d) +(?P<non2xx>\d+) "
    r"+\d+ +\d+\.\d\d +(-|\d+\.\d)  (?P<targets>.+)$"
)


def row(output: str, name: str) -> re.Match:
    found = re.search(ROW.format(name=re.escape(name)), output, re.M)
    assert found, f"no row {name!r} in:\n{output}"
    return found


@pytest.mark.slow  # some 20 s: a server, eight wrk runs; SQLite only, so not again on PostgreSQL
def test_load_bench_prints_every_scenario_beside_the_static_ceiling(tmp_path):
    skip_unless(shutil.which("wrk") is not None, "wrk not installed (Debian package wrk)")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--tiny"]
        + ["--db", str(tmp_path / "load-tiny.sqlite3"), "--seconds", "1", "--connections", "4"]
        + ["--flood-connections", "2", "--ingest-posts", "20", "--reply-rate", "4"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "BACKFILE_STATIC_ROOT": str(tmp_path / "static")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    ceiling = row(out, "static (ceiling)")
    assert float(ceiling.group("rate")) > 0
    for name in READER_ROWS:
        found = row(out, name)
        assert found.group("non2xx") == "0", f"{name} answered outside 2xx:\n{out}"
        assert re.search(r"(PASS|FAIL)", found.group("targets"))
    assert "≥ 1/3 ceiling" in row(out, "article page").group("targets")
    assert "p99 < 250 ms" in row(out, "index pages").group("targets")
    assert "p99 < 500 ms" in row(out, "search page").group("targets")
    assert "p99 < 1 s" in row(out, "mixed: replies").group("targets")
    assert "of without" in row(out, "flood: article pages").group("targets")
    assert re.search(r"^  flood: wrong passwords: answers: ", out, re.M), out
    assert re.search(r"^  flood: readers alone: [\d.]+ req/s before the flood, ", out, re.M)
    assert re.search(r"^  mixed: replies: \d+ replies during an ingest of 20 posts", out, re.M)
    assert re.search(r"^targets met: \d+ of \d+$", out, re.M), out
