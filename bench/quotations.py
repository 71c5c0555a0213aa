"""Keeping quotations on ingest: what finding and storing them adds to an ingest, as a share.

    .venv/bin/python bench/quotations.py [ARCHIVE]

Ingests the archive (the whole socialist-worker site by default) into a fresh SQLite
database with `backfile.ingest.pipeline.ingest`, every receiver attached, and times what
the quotations' receivers spend in the loader's process: sending each batch's bodies to a
worker as the loader announces it (`articles_coming`), and replacing the rows as it writes
it (`articles_changed`, in the loader's transaction; quotations the worker did not find are
found there). The floor is the rest of that same ingest: reading, storing, indexing for
search and everything else it does. The ratio is the share quotations add to it. The
queries a batch are counted as well, and what was found is summed up.

The finding itself, done in the workers, is timed again afterwards in this process (CPU
seconds for every stored body) beside the CPU seconds the whole ingest took in all its
processes: the share of the machine's work it adds where the cores are all busy.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
ARCHIVE = CORPUS / "socialist-worker-2001-2005.tar.xz"


def run(archive: Path, folder: Path) -> dict:
    os.environ["BACKFILE_DB"] = str(folder / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.checks import run_checks
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    run_checks()  # as `backfile ingest` does (this loads the URLconf)
    from backfile.archive.models import Article, Review
    from backfile.archive.signals import articles_changed, articles_coming
    from backfile.ingest.pipeline import ingest
    from backfile.quotations import receivers
    from backfile.quotations.models import Quotation

    spent = {"seconds": 0.0, "batches": 0, "queries": 0, "articles": 0}

    def count(execute, sql, params, many, context):
        spent["queries"] += 1
        return execute(sql, params, many, context)

    def timed(sender, articles=(), **kwargs):
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            receivers.requote_changed_articles(sender, articles=articles, **kwargs)
        spent["seconds"] += time.perf_counter() - started
        spent["batches"] += 1
        spent["articles"] += len(articles)

    def timed_ahead(sender, **kwargs):
        started = time.perf_counter()
        pending = receivers.find_coming_quotations(sender, **kwargs)
        spent["seconds"] += time.perf_counter() - started
        return pending

    articles_changed.disconnect(dispatch_uid="quotations.requote_changed_articles")
    articles_changed.connect(timed, dispatch_uid="bench.quotations", weak=False)
    articles_coming.disconnect(dispatch_uid="quotations.find_coming_quotations")
    articles_coming.connect(timed_ahead, dispatch_uid="bench.quotations_ahead", weak=False)
    started, cpu = time.perf_counter(), cpu_seconds()
    report = ingest([archive], publication="Socialist Worker")
    spent["ingest"] = time.perf_counter() - started
    spent["ingest_cpu"] = cpu_seconds() - cpu
    if report.count("failed"):
        print(f"warning: {report.count('failed')} files or items failed", file=sys.stderr)
    spent["stored"] = Article.objects.count()
    quotations = Quotation.objects.all()
    spent["quotations"] = quotations.count()
    spent["blocks"] = quotations.filter(kind=Quotation.BLOCK).count()
    spent["pages"] = quotations.exclude(pages="").count()
    spent["works"] = quotations.exclude(work=None).count()
    spent["finding_cpu"] = finding_again(Article, Review)
    return spent


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that ended (the ingest's workers)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


def finding_again(Article, Review) -> float:
    """CPU seconds to find the quotations of every stored body again, in this process."""
    from backfile.quotations.extract import quotations_of_bodies

    works: dict[int, list] = {}
    for article, *work in Review.objects.values_list(
        "article_id", "work_id", "work__title", "work__author"
    ):
        works.setdefault(article, []).append(tuple(work))
    bodies = [
        (blocks, works.get(pk, [])) for pk, blocks in Article.objects.values_list("pk", "blocks")
    ]
    started = time.process_time()
    quotations_of_bodies(bodies)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ARCHIVE)
    archive = parser.parse_args().archive
    if not archive.exists():
        sys.exit(f"{archive}: not found (set BACKFILE_CORPUS or pass the archive)")
    with tempfile.TemporaryDirectory(prefix="backfile-bench-") as folder:
        spent = run(archive, Path(folder))
    quotations, rest = spent["seconds"], spent["ingest"] - spent["seconds"]
    batches = max(spent["batches"], 1)
    print(f"ingest {archive.name}: {spent['stored']} articles in {spent['ingest']:.2f} s")
    print(f"  quotations {quotations:8.2f} s   ({spent['batches']} batches of the loader)")
    print(f"  floor      {rest:8.2f} s   (the rest of the same ingest)")
    print(f"  ratio      {quotations / rest if rest else 0:8.3f}     (the share quotations add)")
    print(
        f"  queries    {spent['queries'] / batches:8.1f} a batch "
        f"({spent['articles'] / batches:.0f} articles a batch)"
    )
    print(
        f"  found      {spent['quotations']} quotations ({spent['blocks']} block), "
        f"{spent['pages']} with pages, {spent['works']} linked to a reviewed work"
    )
    finding, total = spent["finding_cpu"], spent["ingest_cpu"]
    print(
        f"  cpu        finding {finding:.2f} s (in the workers) of the ingest's {total:.2f} s "
        f"in all processes: {finding / total if total else 0:.3f}"
    )
    print(f"  cores      {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
