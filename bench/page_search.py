"""Page search beside article search: does indexing printed pages slow searching articles?

    .venv/bin/python bench/page_search.py [--base var/bench/socialist-worker.sqlite3]
                                          [--pages 3000] [--repeat 5] [--workdir var/bench]
                                          [--db postgres://…]

Starts from the corpus database bench/search.py builds (`--base`, the socialist-worker
corpus ingested through the pipeline; built here if missing), in two copies migrated to
this code: `without`, as it is, and `with`, to which --pages printed pages are added
through the page index's own path (rows stored in bulk, then `pages_stored`). Each page is
made of its issue's own article text, about 900 words, as a page of the issue would read;
every tenth has a "corrected" text differing from its source text (letters swapped, as OCR
errs), so both are indexed. The page text is made at run time, never stored in the repo.

It then times GET /search/?q=… through the test Client for bench/search.py's queries,
interleaving the two databases round by round (so both see the same load):

- articles, without pages: the archive as before issue 13 (the default lists articles);
- articles, with pages: `kind=articles` in the archive with pages;
- all, with pages: the default there (articles, plus the count and best three pages);
- pages, with pages: `kind=pages`.

It prints p50 and p95 of each over all queries and repeats, and the page indexing rate.

With `--db postgres://…` the same runs on PostgreSQL: the database named there (the bench's
own: its tables are replaced) is filled with the corpus through the pipeline and copied
(as a template) to `<name>_pages`, which gets the pages; the two are timed as the files are.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.search import (  # noqa: E402
    DEFAULT_CORPUS,
    QUERIES,
    WORKDIR,
    build_corpus_database,
    setup_django,
    use_database,
)

WORDS_PER_PAGE = 900
CORRECTED_EVERY = 10


def prepare(base: Path, workdir: Path) -> tuple[Path, Path]:
    from django.core.management import call_command

    paths = []
    for name in ("without", "with"):
        path = workdir / f"page-search-{name}.sqlite3"
        shutil.copyfile(base, path)
        use_database(path)
        call_command("migrate", interactive=False, verbosity=0)
        paths.append(path)
    return paths[0], paths[1]


def ocr_like(text: str, rng: random.Random) -> str:
    """The text with a letter in every twentieth word swapped, as OCR misreads (m → rn …)."""
    swaps = {"m": "rn", "e": "c", "l": "1", "o": "0", "h": "b"}
    words = text.split(" ")
    for i in range(0, len(words), 20):
        for letter, wrong in swaps.items():
            if letter in words[i]:
                words[i] = words[i].replace(letter, wrong, 1)
                break
    return " ".join(words)


def add_pages(path: Path | None, count: int) -> tuple[int, float]:
    """`count` pages spread over the issues, made of each issue's article text; stored in
    bulk and announced, as the loader does. Returns (pages, seconds to index them)."""
    from django.db import transaction

    from backfile.archive.models import Article, Issue
    from backfile.facsimiles.models import Page
    from backfile.facsimiles.signals import pages_stored
    from backfile.search.index import body_text

    if path:
        use_database(path)
    rng = random.Random(13)
    issues = list(Issue.objects.order_by("pk").values_list("pk", flat=True))
    per_issue = max(1, math.ceil(count / len(issues)))
    rows = []
    for issue in issues:
        text = " ".join(
            body_text(blocks)
            for blocks in Article.objects.filter(issue_id=issue).values_list("blocks", flat=True)
        ).split()
        if not text:
            continue
        for sequence in range(1, per_issue + 1):
            start = (sequence - 1) * WORDS_PER_PAGE % max(1, len(text))
            words = " ".join(text[start : start + WORDS_PER_PAGE])
            corrected = len(rows) % CORRECTED_EVERY == 0
            rows.append(
                Page(
                    issue_id=issue,
                    sequence=sequence,
                    label=str(sequence),
                    text=words,
                    source_text=ocr_like(words, rng) if corrected else words,
                    text_source="ocr",
                    language="en",
                )
            )
            if len(rows) >= count:
                break
        if len(rows) >= count:
            break
    with transaction.atomic():
        Page.objects.bulk_create(rows, batch_size=500)
    pages = list(Page.objects.all())
    started = time.perf_counter()
    for at in range(0, len(pages), 200):
        pages_stored.send(sender=Page, pages=pages[at : at + 200])
    return len(pages), time.perf_counter() - started


def timed(client, params: dict) -> float:
    started = time.perf_counter()
    response = client.get("/search/", params)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (params, response.status_code)
    return elapsed


WITHOUT = {"articles, without pages": {}}
WITH = {
    "articles, with pages (kind=articles)": {"kind": "articles"},
    "all, with pages (the default)": {},
    "pages, with pages (kind=pages)": {"kind": "pages"},
}


def measure(runs: dict[str, tuple[Path | None, dict]], repeat: int) -> dict[str, list[float]]:
    """Each run's queries, round after round; a run's path is its SQLite file (None: the
    database in use)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    times: dict[str, list[float]] = {name: [] for name in runs}
    for path, _params in runs.values():  # warm each database once
        if path:
            use_database(path)
        for q in QUERIES:
            client.get("/search/", {"q": q})
    for _round in range(repeat):
        for name, (path, params) in runs.items():
            if path:
                use_database(path)
            for q in QUERIES:
                times[name].append(timed(client, {"q": q, **params}))
    return times


def sqlite_runs(options: argparse.Namespace) -> dict[str, list[float]]:
    setup_django(options.workdir / "page-search-without.sqlite3")
    if not options.base.exists():
        build_corpus_database(options.base, options.corpus)
    without, with_pages = prepare(options.base, options.workdir)
    pages, seconds = add_pages(with_pages, options.pages)
    print(f"indexed {pages:,} pages in {seconds:.1f} s ({pages / seconds:,.0f} pages/s)")
    runs = {name: (without, params) for name, params in WITHOUT.items()}
    runs |= {name: (with_pages, params) for name, params in WITH.items()}
    return measure(runs, options.repeat)


def postgres_runs(options: argparse.Namespace) -> dict[str, list[float]]:
    """The corpus ingested into the database named (`without`), copied as a template into
    `<name>_pages` (`with`), which gets the pages; both timed round by round."""
    setup_django(options.db)
    from django.core.management import call_command
    from django.db import connection

    from backfile.ingest.pipeline import ingest

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    report = ingest([options.corpus])
    print(f"ingested {options.corpus.name}: {report.summary_line()} in ", end="")
    print(f"{time.perf_counter() - started:.0f} s")
    without = connection.settings_dict["NAME"]
    with_pages = f"{without}_pages"
    use_database(Path("postgres"))
    with connection.cursor() as cursor:  # autocommit: outside a transaction, as these must be
        cursor.execute(f'DROP DATABASE IF EXISTS "{with_pages}"')
        cursor.execute(f'CREATE DATABASE "{with_pages}" TEMPLATE "{without}"')
    pages, seconds = add_pages(Path(with_pages), options.pages)
    print(f"indexed {pages:,} pages in {seconds:.1f} s ({pages / seconds:,.0f} pages/s)")
    for name in (without, with_pages):
        use_database(Path(name))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    runs = {name: (Path(without), params) for name, params in WITHOUT.items()}
    runs |= {name: (Path(with_pages), params) for name, params in WITH.items()}
    return measure(runs, options.repeat)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, default=WORKDIR / "socialist-worker.sqlite3")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--db", help="postgres://… : run on PostgreSQL (its tables are replaced)")
    options = parser.parse_args()
    options.workdir.mkdir(parents=True, exist_ok=True)
    times = postgres_runs(options) if options.db else sqlite_runs(options)
    print(f"\n{len(QUERIES)} queries × {options.repeat}, GET /search/ through the test Client")
    print(f"{'':40} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, values in times.items():
        print(
            f"{name:40} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
            f"{statistics.fmean(values):8.1f}"
        )


if __name__ == "__main__":
    main()
