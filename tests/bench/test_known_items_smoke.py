"""bench/known_items.py still runs: known-item searches on Backfile's own sample archive."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_known_items_bench_prints_its_mean_reciprocal_rank_beside_the_floor(tmp_path):
    database = tmp_path / "sample.sqlite3"
    built = subprocess.run(
        [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest"]
        + [str(REPO / "backfile" / "sample"), "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "known_items.py"), "--db", str(database)]
        + ["--sample", "6"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^known-item searches: 6, from a few words", done.stdout, re.M), done.stdout
    mrr = re.search(
        r"^  mean reciprocal rank: (\d\.\d{3})  \(floor: a perfect 1\.000; target ≥ 0\.9\)",
        done.stdout,
        re.M,
    )
    assert mrr, done.stdout
    assert 0 < float(mrr.group(1)) <= 1


def test_known_items_bench_says_which_database_is_missing(tmp_path):
    missing = tmp_path / "absent.sqlite3"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "known_items.py"), "--db", str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert f"{missing} not found" in done.stderr
