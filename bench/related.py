"""Related articles: what computing them costs an ingest, beside the ingest itself.

    .venv/bin/python bench/related.py [PATH]   (default: the shared corpus's Socialist Worker)

Ingests PATH into a new SQLite database three times, in child processes: once as Backfile
runs (related articles on), once with the related receivers disconnected and no terms
counted in the worker processes (off), and once with related articles on and every
article's mentions of the authority file stored as its batch is written (entities; the
corpus has no authority file, so a stand-in linker makes an entry of every run of
capitalised words, `Tony Blair`, and its time is left out of related's). Prints the CPU
seconds of each whole run (the main process and its worker processes) and, of the runs
with related articles, those the main process spent storing terms as batches are written
and relating them when the run ends (the counting, in the worker processes, is in the
difference of the runs only). Target: the related parts under 15% of the run without them.
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
spent["linking"] = 0.0
if sys.argv[2] == "entities":  # a stand-in for the authority file's linking
    import re
    from backfile.authority.models import Entry, Mention
    NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")
    entries = {}
    def link(sender, articles, **kwargs):
        started = time.process_time()
        found = {}
        for article in articles:
            text = " ".join(b.get("text", "") for b in article.blocks if isinstance(b, dict))
            for name in NAME.findall(text):
                found.setdefault(article.pk, {}).setdefault(name, 0)
                found[article.pk][name] += 1
        new = {n for names in found.values() for n in names} - entries.keys()
        made = Entry.objects.bulk_create([
            Entry(type="person", name=n, slug=f"e{len(entries) + i}", key=n.lower(),
                  letter=n[0].lower())
            for i, n in enumerate(sorted(new))
        ])
        entries.update({e.name: e.pk for e in made})
        Mention.objects.bulk_create([
            Mention(article_id=pk, entry_id=entries[n], count=c)
            for pk, names in found.items() for n, c in names.items()
        ], ignore_conflicts=True)
        spent["linking"] += time.process_time() - started
    signals.articles_changed.connect(link, dispatch_uid="bench.link")
if sys.argv[2] in ("on", "entities"):
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
from backfile.authority.models import Mention
from backfile.related.models import KeyTerm
print(cpu() - started - spent["linking"], spent["record"], spent["refresh"],
      report.count("added"), Mention.objects.count(),
      KeyTerm.objects.filter(term__startswith="entry:").count())
"""


def run(path: Path, mode: str) -> tuple[float, float, float, int, int, int]:
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
    total, record, refresh, added, mentions, keys = done.stdout.split()
    return float(total), float(record), float(refresh), int(added), int(mentions), int(keys)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"{path}: not found (give a path, or set BACKFILE_CORPUS)")
    off, _, _, added, _, _ = run(path, "off")
    print(f"{path.name}: {added} articles")
    print(f"  ingest without related articles: {off:.2f} CPU s")
    for mode, what in (("on", "with them"), ("entities", "with them and mentions")):
        on, record, refresh, _, mentions, keys = run(path, mode)
        related = record + refresh
        print(f"  ingest {what + ':':<26}{on:.2f} CPU s ({on - off:+.2f})")
        if mode == "entities":
            print(f"    ({mentions} mentions stored, {keys} entries kept as key terms)")
        print(
            f"    related: {related:.2f} CPU s ({record:.2f} storing terms, {refresh:.2f} "
            f"relating at the run's end) = {100 * related / off:.1f}% of the ingest "
            "(target under 15%)"
        )


if __name__ == "__main__":
    main()
