"""Related articles: what computing them costs an ingest, beside the ingest itself.

    .venv/bin/python bench/related.py [PATH]   (default: the shared corpus's Socialist Worker)

Ingests PATH into a new SQLite database twice, in child processes: once as Backfile runs
(related articles on) and once with the related receivers disconnected and no terms
counted in the worker processes (off). Prints the CPU seconds of each whole run (the main
process and its worker processes) and, of the run with related articles, those the main
process spent storing terms as batches are written and relating them when the run ends
(the counting, in the worker processes, is in the difference of the two runs only). Target: the related parts under 15% of the run without them.
CPU seconds, not the wall clock: on a shared machine the wall clock mostly measures the
other processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
DEFAULT = CORPUS / "socialist-worker-2001-2005.tar.xz"

CHILD = r"""
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
import django
django.setup()
from pathlib import Path
from django.core.management import call_command
import backfile.archive.signals as signals
from backfile.related import store
from backfile.ingest.pipeline import ingest

call_command("migrate", verbosity=0)
spent = {"record": 0.0, "refresh": 0.0}
signals.articles_changed.disconnect(dispatch_uid="related.terms_of_changed")
signals.ingest_finished.disconnect(dispatch_uid="related.relate_after_ingest")
if sys.argv[2] == "off":  # nor counted beside the search index's analysis, in the workers
    from backfile.search.index import ALONGSIDE
    ALONGSIDE.clear()
if sys.argv[2] == "on":
    def record(sender, articles, prepared=(), **kwargs):
        started = time.process_time()
        store.record_terms(articles, prepared)
        spent["record"] += time.process_time() - started
    def relate(sender, progress=None, **kwargs):
        started = time.process_time()
        store.refresh(progress)
        spent["refresh"] += time.process_time() - started
    signals.articles_changed.connect(record, dispatch_uid="bench.record")
    signals.ingest_finished.connect(relate, dispatch_uid="bench.relate")

def cpu():
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

started = cpu()
report = ingest([Path(sys.argv[1])])
print(cpu() - started, spent["record"], spent["refresh"], report.count("added"))
"""


def run(path: Path, mode: str) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "BACKFILE_DB": str(Path(folder) / "bench.sqlite3"),
            "BACKFILE_STATIC_ROOT": folder,
            "PYTHONPATH": str(REPO),
        }
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), mode],
            env=env, capture_output=True, text=True, check=True, cwd=REPO,
        )  # fmt: skip
    total, record, refresh, added = done.stdout.split()
    return float(total), float(record), float(refresh), int(added)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"{path}: not found (give a path, or set BACKFILE_CORPUS)")
    off, _, _, added = run(path, "off")
    on, record, refresh, _ = run(path, "on")
    related = record + refresh
    print(f"{path.name}: {added} articles")
    print(f"  ingest without related articles: {off:.2f} CPU s")
    print(f"  ingest with them:                 {on:.2f} CPU s ({on - off:+.2f})")
    print(
        f"  related: {related:.2f} CPU s ({record:.2f} storing terms, {refresh:.2f} relating "
        f"at the run's end) = {100 * related / off:.1f}% of the ingest (target under 15%)"
    )


if __name__ == "__main__":
    main()
