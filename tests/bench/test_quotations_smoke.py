"""bench/quotations.py still runs: the legacy-site fixture, as a tarball, through the pipeline
with the quotations' receiver timed beside the rest of the ingest."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile

from tests.conftest import FIXTURES, REPO


def test_quotations_bench_prints_their_share_of_an_ingest(tmp_path):
    archive = tmp_path / "the-tideline.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(FIXTURES / "legacy_html" / "the-tideline", arcname="the-tideline")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "quotations.py"), str(archive)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stored = re.search(r"^ingest the-tideline\.tar\.xz: (\d+) articles in", done.stdout, re.M)
    assert stored and int(stored.group(1)) > 0, done.stdout
    batches = re.search(r"^  quotations +\d+\.\d\d s +\((\d+) batches", done.stdout, re.M)
    assert batches and int(batches.group(1)) > 0, done.stdout
    assert re.search(r"^  floor +\d+\.\d\d s", done.stdout, re.M), done.stdout
    assert re.search(r"^  ratio +\d+\.\d{3}", done.stdout, re.M), done.stdout
    assert re.search(r"^  found +\d+ quotations", done.stdout, re.M), done.stdout
    assert re.search(r"^  cpu +finding \d+\.\d\d s .*: \d\.\d{3}$", done.stdout, re.M), done.stdout
