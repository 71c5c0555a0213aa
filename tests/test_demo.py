"""`make demo`'s ingest step (scripts/demo.py) goes on past a file meant to fail, as the
shared corpus's malformed WordPress export is, and stops only on a usage error."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REPO

CAPTURE = FIXTURES / "capture" / "the-lantern" / "no-40-december-1948_greaves.txt"
EXPORT = FIXTURES / "wxr" / "lamplighter.xml"


def demo(corpus: Path, database: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py"), "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "BACKFILE_DB": str(database)},
        cwd=REPO,
    )


def test_the_demo_ingests_everything_it_can_past_a_malformed_export(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "socialist-standard").mkdir(parents=True)
    (corpus / "socialist-standard" / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    (corpus / "wordpress-wxr").mkdir()
    text = EXPORT.read_text(encoding="utf-8")
    (corpus / "wordpress-wxr" / "lamplighter.xml").write_text(text, encoding="utf-8")
    (corpus / "wordpress-wxr" / "malformed.xml").write_text(text[: len(text) // 2], "utf-8")
    database = tmp_path / "demo.sqlite3"

    done = demo(corpus, database)

    assert done.returncode == 0, done.stderr
    assert f"failed: {corpus / 'wordpress-wxr' / 'malformed.xml'}: not well-formed" in done.stderr
    assert "the files named above were not read; everything else was" in done.stdout
    with sqlite3.connect(database) as stored:
        titles = {title for (title,) in stored.execute("SELECT title FROM archive_article")}
    assert "Walter Greaves" in titles  # the run before the failing one
    assert "Rent strike diary" in titles  # the export beside the malformed one


def test_the_demo_stops_on_a_usage_error(tmp_path):
    """A corpus folder that is gone by the time it is ingested: `backfile ingest` exits 2,
    and the demo with it, rather than going on to serve a half-filled archive."""
    gone = tmp_path / "gone"
    driver = (
        f"import sys; sys.path.insert(0, {str(REPO / 'scripts')!r}); import demo; "
        f"demo.demo_ingests = lambda corpus: [[{str(gone)!r}]]; demo.main()"
    )

    done = subprocess.run(
        [sys.executable, "-c", driver, "--corpus", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "BACKFILE_DB": str(tmp_path / "demo.sqlite3")},
        cwd=REPO,
    )

    assert done.returncode == 2, done.stderr
    assert f"{gone}: no such file or folder" in done.stderr
