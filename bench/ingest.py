"""Ingest speed: the whole socialist-worker site through the real pipeline, beside a floor.

    .venv/bin/python bench/ingest.py [ARCHIVE]

The pipeline run ingests the archive into a fresh SQLite database (migrated in
a temporary folder) with `backfile.ingest.pipeline.ingest`, exactly as
`backfile ingest` does, with every receiver of `articles_changed` attached (the
search index too). The floor, measured in the same run, reads the same files
from the same archive, parses each with the same lxml HTML parser and
bulk-inserts their text into a bare SQLite FTS5 table in one transaction:
what any ingest of these pages must at least cost. Both rates count the
articles the pipeline stored. Issue 3 asks for 1,000 articles a second or
more, and at least a third of the floor's rate.

`--without-receivers` detaches every receiver of `articles_changed` and
`articles_coming` (the search index) for a diagnosis of where the time goes; it is not the pipeline's figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
ARCHIVE = CORPUS / "socialist-worker-2001-2005.tar.xz"
TARGET_RATE = 1000.0
TARGET_RATIO = 1 / 3


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def pipeline_seconds(archive: Path, folder: Path, receivers: bool) -> tuple[float, int, tuple]:
    """Seconds for the real ingest into a fresh database, the articles it stored, and CPU seconds.

    The CPU seconds (this process, and the worker processes: the archive's
    unpacker, the legacy reader's and the search analysis') show what the run
    would take without other processes competing for the two cores.
    """
    os.environ["BACKFILE_DB"] = str(folder / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.core.checks import run_checks

    run_checks()  # as `backfile ingest` does before it reads a file (this loads the URLconf)
    from backfile.archive.signals import articles_changed, articles_coming
    from backfile.ingest.pipeline import ingest

    if not receivers:
        articles_changed.receivers.clear()
        articles_coming.receivers.clear()
    started, main, workers = (
        time.perf_counter(),
        cpu_seconds(resource.RUSAGE_SELF),
        cpu_seconds(resource.RUSAGE_CHILDREN),
    )
    # The ingest shuts its worker processes down as it ends, so their CPU time is counted
    # with the children's.
    report = ingest([archive], publication="Socialist Worker")
    seconds = time.perf_counter() - started
    cpu = (
        cpu_seconds(resource.RUSAGE_SELF) - main,
        cpu_seconds(resource.RUSAGE_CHILDREN) - workers,
    )
    failed = report.count("failed")
    if failed:
        print(f"warning: {failed} files or items failed", file=sys.stderr)
    return seconds, report.count("added"), cpu


def floor_seconds(archive: Path, folder: Path) -> tuple[float, float]:
    """Seconds to parse every page with lxml's HTML parser and bulk-insert its text into FTS5."""
    from lxml import etree

    from backfile.ingest.readers.legacy_page import declared_charset
    from backfile.ingest.sources import walk
    from backfile.ingest.text import decode_text

    database = sqlite3.connect(folder / "floor.sqlite3")
    database.execute("CREATE VIRTUAL TABLE pages USING fts5(path, body)")
    parser = etree.HTMLParser()
    started = time.perf_counter()
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    rows = []
    for file in walk([archive]):
        data = file.read_bytes()
        root = etree.fromstring(decode_text(data, declared_charset(data)), parser)
        rows.append((file.path, " ".join("".join(root.itertext()).split())))
    with database:
        database.executemany("INSERT INTO pages (path, body) VALUES (?, ?)", rows)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    database.close()
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ARCHIVE)
    parser.add_argument("--without-receivers", action="store_true", help="diagnosis only")
    options = parser.parse_args()
    archive = options.archive
    if not archive.exists():
        sys.exit(f"{archive}: not found (set BACKFILE_CORPUS or pass the archive)")
    with tempfile.TemporaryDirectory(prefix="backfile-bench-") as folder:
        floor, floor_cpu = floor_seconds(archive, Path(folder))
        seconds, articles, (main_cpu, worker_cpu) = pipeline_seconds(
            archive, Path(folder), not options.without_receivers
        )
    rate, floor_rate = articles / seconds, articles / floor
    ratio = rate / floor_rate
    detached = " (articles_changed receivers detached)" if options.without_receivers else ""
    print(f"ingest {archive.name}: {articles} articles in {seconds:.2f} s{detached}")
    print(f"  pipeline  {rate:8.0f} articles/s   (target >= {TARGET_RATE:.0f})")
    print(
        f"  floor     {floor_rate:8.0f} articles/s   (lxml parse + FTS5 bulk insert, {floor:.2f} s)"
    )
    print(f"  ratio     {ratio:8.2f}                (target >= {TARGET_RATIO:.2f})")
    print(f"  cores     {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    print(
        f"  cpu       pipeline {main_cpu:.2f} s main + {worker_cpu:.2f} s workers; "
        f"floor {floor_cpu:.2f} s"
    )


if __name__ == "__main__":
    main()
