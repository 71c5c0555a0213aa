"""bench/linking.py still runs: a tarball of the legacy-site fixture ingested with and without
mention linking, then linked whole against a seeded authority file, the ratio printed."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile

from tests.conftest import FIXTURES, REPO


def test_linking_bench_prints_the_whole_archive_beside_the_ingest(tmp_path):
    archive = tmp_path / "the-tideline.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(FIXTURES / "legacy_html" / "the-tideline", arcname="the-tideline")
    done = subprocess.run(
        # cities of over 5,000,000 people only: a small authority file, the same code
        [sys.executable, str(REPO / "bench" / "linking.py"), str(archive), "5000000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    head = re.search(
        r"^link the-tideline\.tar\.xz: (\d+) articles, (\d+) entries", done.stdout, re.M
    )
    assert head, done.stdout
    assert int(head.group(1)) > 0 and int(head.group(2)) > 0
    for line in ("ingest without linking", "ingest with linking", "link whole archive"):
        assert re.search(rf"^  {line} +\d+\.\d\d s", done.stdout, re.M), done.stdout
    assert re.search(r"^  ratio +\d+\.\d{3}", done.stdout, re.M), done.stdout
