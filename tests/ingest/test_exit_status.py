"""`backfile ingest`'s exit status, and what it says when a process it relies on is killed.

0 when every source was read, 1 when any failed (each named on standard error),
2 for usage errors. A killed unpacker or worker process is a failure in a
sentence, never a traceback, and what was stored before it is intact: the
summary counts what the database holds. Every run is a real subprocess.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

LEGACY_SITE = FIXTURES / "legacy_html"
# Runs `backfile` with every worker process killed as it starts (the fault under test),
# on a machine taken to have the two cores that make Backfile use its worker processes.
KILLING_WORKERS = (
    "import os, signal, sys\n"
    "import backfile.workers\n"
    "os.cpu_count = lambda: 2\n"
    "backfile.workers._exit_with_parent = lambda parent: os.kill(os.getpid(), signal.SIGKILL)\n"
    "from backfile.ingest.readers.legacy_html import LegacyHtmlReader\n"
    "LegacyHtmlReader.PARALLEL_AFTER = 0\n"
    "from backfile.cli import main\n"
    "main(sys.argv[1:])\n"
)


def capture(title: str, body: str = "The tide went out.") -> str:
    return f"1950s >> 1951 >> no-8-april-1951\n\n{title}\n\n{body}\n\nA. Writer\n"


def backfile(database: Path, *arguments, driver: str | None = None) -> list[str]:
    start = [sys.executable, "-c", driver] if driver else [sys.executable, "-m", "backfile.cli"]
    return [*start, "--db", str(database), *map(str, arguments)]


def run(database: Path, *arguments, driver: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        backfile(database, *arguments, driver=driver),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def stored_titles(database: Path) -> set[str]:
    with sqlite3.connect(database) as stored:
        return {title for (title,) in stored.execute("SELECT title FROM archive_article")}


def stored_body(database: Path, title: str) -> str:
    with sqlite3.connect(database) as stored:
        [(blocks,)] = stored.execute("SELECT blocks FROM archive_article WHERE title = ?", (title,))
    return blocks


@pytest.fixture
def lantern(tmp_path) -> Path:
    folder = tmp_path / "the-lantern"
    folder.mkdir()
    for title in ("Low Water", "High Water"):
        (folder / f"{title.lower().replace(' ', '-')}.txt").write_text(capture(title), "utf-8")
    return folder


def test_every_source_read_exits_0(tmp_path, lantern):
    done = run(tmp_path / "a.sqlite3", "ingest", lantern, "--quiet")

    assert done.returncode == 0, done.stderr
    assert "added 2," in done.stdout and "failed 0" in done.stdout
    assert done.stderr == ""


def test_a_failed_source_exits_1_naming_it_and_the_rest_go_in(tmp_path, lantern):
    (lantern / "shopping-list.txt").write_text("eggs\nmilk\n", encoding="utf-8")
    database = tmp_path / "a.sqlite3"

    done = run(database, "ingest", lantern, "--quiet")

    assert done.returncode == 1
    assert "added 2," in done.stdout and "failed 1" in done.stdout
    assert f"failed: {lantern / 'shopping-list.txt'}: not recognised as any format" in done.stderr
    assert "1 source(s) could not be read" in done.stderr
    assert "Traceback" not in done.stderr
    assert stored_titles(database) == {"Low Water", "High Water"}


@pytest.mark.parametrize(
    "arguments, said",
    [
        (["ingest", "no-such-folder"], "no-such-folder: no such file or folder"),
        (["ingest", "--no-such-option", "."], "unrecognized arguments: --no-such-option"),
        (["ingest"], "the following arguments are required: paths"),
        (["ingest", "--issue-from", "sideways", "."], "--issue-from"),
    ],
)
def test_usage_errors_exit_2(tmp_path, arguments, said):
    done = run(tmp_path / "a.sqlite3", *arguments)

    assert done.returncode == 2, (done.stdout, done.stderr)
    assert said in done.stderr
    assert "Traceback" not in done.stderr


def tar_without_its_end(names: list[str]) -> bytes:
    """A tar of page captures, cut before its end: an unpacker reading it waits for more."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as out:
        for title in names:
            data = capture(title).encode()
            info = tarfile.TarInfo(f"the-lantern/{title}.txt")
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return buffer.getvalue()[: -2 * tarfile.BLOCKSIZE]


def children(pid: int, deadline: float = 30.0) -> list[int]:
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if found:
            return [int(child) for child in found]
        time.sleep(0.02)
    raise AssertionError("the ingest started no unpacking process")


def holding(pids: list[int], path: Path) -> int:
    """The one of `pids` that has `path` open (the unpacker, among the worker processes)."""
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if Path(os.readlink(fd)) == path:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no child process has {path} open")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_a_killed_unpacker_is_a_failure_in_a_sentence_and_exits_1(tmp_path, lantern):
    """The archive is a named pipe: the unpacker reads what the test writes, and waits for
    the rest while the test kills it."""
    archive = tmp_path / "issues.tar"
    os.mkfifo(archive)
    database = tmp_path / "a.sqlite3"
    ingest = subprocess.Popen(
        backfile(database, "ingest", lantern, archive, "--quiet"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with archive.open("wb") as pipe:
            pipe.write(tar_without_its_end(["Neap Tide", "Spring Tide"]))
            pipe.flush()
            unpacker = holding(children(ingest.pid), archive)  # not a worker process
            os.kill(unpacker, signal.SIGKILL)
        out, err = ingest.communicate(timeout=120)
    finally:
        ingest.kill()

    assert ingest.returncode == 1, err
    assert (
        f"failed: {archive}: the unpacking process was killed (SIGKILL) before the end of the "
        "archive" in err
    )
    assert "Traceback" not in err
    assert "failed 1" in out
    assert {"Low Water", "High Water"} <= stored_titles(database)


def report_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_killed_reader_worker_ends_the_run_in_a_sentence_and_exits_1(tmp_path, lantern):
    database = tmp_path / "a.sqlite3"
    report = tmp_path / "report.json"

    done = run(
        database, "ingest", lantern, LEGACY_SITE, "--quiet", "--report", report,
        driver=KILLING_WORKERS,
    )  # fmt: skip

    assert done.returncode == 1, done.stderr
    # the first worker process to be used dies: one reading pages, or one detecting languages
    assert re.search(
        r"failed: \(ingest\): the ingest stopped: a worker process (of the legacy-html reader|"
        r"detecting the articles' languages) ended unexpectedly \(killed, or out of memory\)",
        done.stderr,
    ), done.stderr
    assert "run the same command again to finish" in done.stderr
    assert "Traceback" not in done.stderr
    added = report_of(report)["summary"]["added"]
    assert f"added {added:,}," in done.stdout
    assert len(stored_titles(database)) == added  # the summary says what is stored

    again = run(database, "ingest", lantern, LEGACY_SITE, "--quiet")

    assert again.returncode == 0, again.stderr
    assert len(stored_titles(database)) > added


def test_a_killed_index_worker_ends_the_run_and_the_report_says_what_is_stored(tmp_path, lantern):
    """Hundreds of captures make batches large enough for the search index's worker
    processes; the report and the database agree on what the run stored before it stopped."""
    database = tmp_path / "a.sqlite3"
    assert run(database, "ingest", lantern, "--quiet").returncode == 0
    before = stored_body(database, "Low Water")
    low_water = lantern / "low-water.txt"
    low_water.write_text(capture("Low Water", "The tide came in."), "utf-8")
    many = tmp_path / "many" / "the-lantern"
    many.mkdir(parents=True)
    for number in range(250):
        (many / f"{number}.txt").write_text(capture(f"Tide table {number}"), encoding="utf-8")
    report = tmp_path / "report.json"

    done = run(
        database, "ingest", lantern / "high-water.txt", many, low_water, "--quiet",
        "--report", report, driver=KILLING_WORKERS,
    )  # fmt: skip

    assert done.returncode == 1, done.stderr
    assert re.search(
        r"the ingest stopped: a worker process (detecting the articles' languages )?ended "
        r"unexpectedly",
        done.stderr,
    ), done.stderr
    assert "Traceback" not in done.stderr
    summary = report_of(report)["summary"]
    assert f"added {summary['added']:,}," in done.stdout
    titles = stored_titles(database)
    assert len(titles) == 2 + summary["added"]
    assert {"Low Water", "High Water"} <= titles
    updated = summary["updated"] == 1
    assert (stored_body(database, "Low Water") != before) == updated
