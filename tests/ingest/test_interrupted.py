"""An ingest killed half-way leaves whole articles only, and the same command finishes the job."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARTICLES = 3000


def write_export(path: Path) -> None:
    """A JSONL export of many small articles, in Backfile's public format."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(ARTICLES):
            text = f"Paragraph {n} about the harbour board."
            record = {
                "publication": "The Harbour Gazette",
                "key": f"gen:{n}",
                "issue": {"year": 1950 + n % 240 // 12, "number": n % 240, "month": 1 + n % 12},
                "title": f"Report number {n}",
                "authors": [f"Writer {n % 37}"],
                "blocks": [{"type": "paragraph", "text": text}],
                "source": {
                    "path": f"gen/{n}.txt",
                    "format": "capture",
                    "sha256": "0" * 64,
                    "text": text,
                },
            }
            out.write(json.dumps(record) + "\n")


def stored_counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as connection:
        articles = connection.execute("SELECT count(*) FROM archive_article").fetchone()[0]
        sources = connection.execute("SELECT count(*) FROM archive_articlesource").fetchone()[0]
        bylines = connection.execute(
            "SELECT count(DISTINCT article_id) FROM archive_byline"
        ).fetchone()[0]
    return articles, sources, bylines


def ingest_command(db: Path, export: Path) -> list[str]:
    return [sys.executable, "-m", "backfile.cli", "--db", str(db), "ingest", "--quiet", str(export)]


def processes_still_using(db: Path, wait: float = 10.0) -> list[int]:
    """Processes whose command line names `db`, once they have had `wait` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if str(db).encode() in command:
                found.append(int(pid))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def interruptible() -> None:
    """Ctrl-C as at a terminal: a test run started in the background (as CI may start it)
    passes its children SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_interrupted_ingest_is_consistent_and_resumes(tmp_path, stop):
    export, db = tmp_path / "many.jsonl", tmp_path / "archive.sqlite3"
    write_export(export)
    environment = {k: v for k, v in os.environ.items() if k != "BACKFILE_DB"}
    subprocess.run(
        [*ingest_command(db, export)[:5], "migrate", "-v", "0"], check=True, env=environment
    )

    process = subprocess.Popen(
        ingest_command(db, export),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and stored_counts(db)[0] < 300:
        time.sleep(0.05)
    process.send_signal(stop)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:  # say where it stood, and leave no process behind
        process.kill()
        _out, err = process.communicate()
        pytest.fail(f"the ingest had not ended 60 s after {stop.name}; it wrote: {err[-2000:]!r}")

    articles, sources, bylines = stored_counts(db)
    assert 0 < articles < ARTICLES, "the ingest should have been stopped part-way"
    assert not processes_still_using(db), "the ingest's worker processes ended with it"
    assert articles == sources == bylines, "every stored article is whole"

    finished = subprocess.run(
        ingest_command(db, export), env=environment, capture_output=True, text=True, check=True
    )
    assert f"unchanged {articles:,}," in finished.stdout
    assert f"added {ARTICLES - articles:,}," in finished.stdout
    assert stored_counts(db) == (ARTICLES, ARTICLES, ARTICLES)
