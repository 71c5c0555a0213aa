"""A 200,000-post WordPress export imports in bounded memory (`backfile ingest` in a subprocess).

WordPress's own importer loads the whole export into memory and dies on large
sites; Backfile streams it. The export is generated (tests/helpers/wxr_generator.py)
straight to a temporary file, and the peak resident memory of the ingest process
is read from the kernel by a small wrapper process whose only child it is.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.helpers.wxr_generator import write_wxr

POSTS = 200_000
PEAK_LIMIT_MB = 500
# Runs the command given as arguments and prints the peak memory (kB) of its process tree's
# largest process: the wrapper's only child is the ingest.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


@pytest.mark.slow
def test_a_200000_post_export_imports_in_bounded_memory(tmp_path):
    export = tmp_path / "big.xml"
    written = write_wxr(export, posts=POSTS)
    database = tmp_path / "big.sqlite3"
    ingest = [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest", str(export)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *ingest, "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary, peak_kb = done.stdout.strip().splitlines()[-2:]
    assert f"added {written['published']}," in summary
    assert "failed 0" in summary
    peak_mb = int(peak_kb) / 1024
    print(f"{POSTS} posts: peak memory {peak_mb:.0f} MB (limit {PEAK_LIMIT_MB} MB)")
    assert peak_mb < PEAK_LIMIT_MB, f"peak memory {peak_mb:.0f} MB"
    with sqlite3.connect(database) as stored:
        [(articles,)] = stored.execute("SELECT count(*) FROM archive_article")
    assert articles == written["published"]
