"""bench/ingest.py still runs: a tarball of the legacy-site fixture through the pipeline and floor.

The corpus run reads a .tar.xz of an old hand-made site; so does this one, built from
the project's own legacy-HTML fixture, so the unpacker, the legacy reader, the
loader with its receivers and the floor's parser all run as they do there.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile

from tests.conftest import FIXTURES, REPO


def test_ingest_bench_prints_the_pipeline_rate_beside_its_floor(tmp_path):
    archive = tmp_path / "the-tideline.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(FIXTURES / "legacy_html" / "the-tideline", arcname="the-tideline")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "ingest.py"), str(archive)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stored = re.search(r"^ingest the-tideline\.tar\.xz: (\d+) articles in", done.stdout, re.M)
    assert stored, done.stdout
    assert int(stored.group(1)) > 0
    assert re.search(r"^  pipeline +\d+ articles/s", done.stdout, re.M), done.stdout
    assert re.search(r"^  floor +\d+ articles/s", done.stdout, re.M), done.stdout
    assert re.search(r"^  ratio +\d+\.\d\d", done.stdout, re.M), done.stdout
    assert "failed" not in done.stderr
