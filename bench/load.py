"""Load: `backfile serve` under 64 connections of wrk, beside a static file measured in the same run.

    .venv/bin/python bench/load.py [--tiny] [--db PATH] [--seconds 30] [--connections 64]
                                   [--ingest-posts 3000] [--reply-rate 2] [--flood-connections 16]
                                   [--profile] [--only SCENARIO …]

The bench archive is the socialist-worker corpus ingested into a SQLite file under
var/bench/ (built on the first run, reused after; `--tiny`: Backfile's bundled sample).
Each run serves a fresh copy of it with `backfile serve` (gunicorn, the workers and
threads it configures) on 127.0.0.1 and a free port, and drives it with wrk (Debian
package `wrk`), one scenario after another, each for `--seconds`:

- static: a stylesheet, served by WhiteNoise: the ceiling the other rows are compared with;
- article and issue pages: a rotating list of real URLs from the archive (not one page);
- browsing pages: the home page, publications, year calendars, authors and subjects A–Z and
  a sample of author and subject pages (the reader's archive, issue 15), held to the
  article pages' targets;
- index pages: people, places and organisations A–Z, a sample of their entries' pages,
  reviewed books A–Z, books and their authors, articles that show what they mention, and
  the JSON API's entries and articles with their mentions (issue 16; `load_index`), held
  to the same targets;
- the search page and the search API: a rotating list of queries;
- OAI-PMH ListRecords (Dublin Core), the first page;
- mixed: readers on article pages while `backfile ingest` stores a generated WordPress
  export of `--ingest-posts` posts and a reader posts replies at `--reply-rate` a second
  (the reply rate limit is lifted for the run); the replies' latency is its own row,
  beside its floor: the same replies beside the same readers with no ingest;
- sign-in flood: `--flood-connections` of the connections POST wrong passwords to
  /admin/login/ (with a valid CSRF cookie and token) while the rest read article pages.
  The flood's own answers (200 for a wrong password, 403/429 once throttled) are listed
  apart and do not count as readers' non-2xx. "Without" is the same readers alone, for
  half the seconds just before the flood and half just after (`flood: readers alone`).

wrk's Lua `done()` hook prints each run's figures as JSON (latency percentiles, non-2xx
answers by status, socket errors). The table gives every row beside the static ceiling
and the targets of issue 10: article, issue and browsing pages at least a third of the ceiling with
p99 under 250 ms; search p99 under 500 ms; no errors and no non-2xx; replies during an
ingest p99 under 1 s; article throughput during a sign-in flood at least 80% of without.
`--only "index pages"` runs those scenarios alone beside the ceiling (no flood, no mixed run).
`--profile` adds, in this process, the queries and time of one article, issue and search
page through Django's test client: where a request's time goes.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

from load_index import index_urls
from load_tools import (
    EDITOR,
    HOST,
    REPO,
    Run,
    build_archive,
    copy_archive,
    csrf,
    fetch,
    finish_wrk,
    free_port,
    percentile,
    server_cpu,
    start_server,
    start_wrk,
    stop_server,
    wrk,
    wrk_script,
)

sys.path.insert(0, str(REPO))
WORKDIR = REPO / "var" / "bench"
REPLY_TIMEOUT = 60  # seconds a reply may take before it counts as failed (past SQLite's 30 s wait)

PAGE_ROWS = ("article page", "issue page", "browsing pages", "index pages")  # their targets
QUERIES = [
    "iraq",
    "bush",
    "workers",
    "anti-war movement",
    '"general strike"',
    "labour party",
    "police brutality",
    "socialism -stalin",
    "organis*",
    "author:selfa",
    "palestine OR israel",
    "teachers union contract",
    "strike",
    "nationalisation",
]

# --- what to request -----------------------------------------------------------------------


def archive_urls(database: Path, seed: int = 10) -> dict:
    """Real article and issue URLs (a seeded sample), read from the archive through Django."""
    os.environ["BACKFILE_DB"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    import django

    django.setup()
    from backfile.archive.models import Article, Author, Issue, Publication
    from backfile.indexes.models import SubjectEntry

    rng = random.Random(seed)
    articles = list(Article.objects.select_related("issue", "publication").order_by("pk"))
    issues = list(Issue.objects.select_related("publication").order_by("pk"))
    if not articles:
        sys.exit(f"bench/load.py: {database} holds no articles")
    articles = rng.sample(articles, min(500, len(articles)))
    issues = rng.sample(issues, min(200, len(issues)))
    years = {(i.publication.slug, i.decade_label, i.year) for i in issues}
    authors = list(Author.objects.order_by("pk").values_list("slug", flat=True))
    subjects = SubjectEntry.objects.values_list("slug", flat=True).distinct().order_by("slug")
    return {
        "articles": [a.get_absolute_url() for a in articles],
        "issues": [i.get_absolute_url() for i in issues],
        # the pages a reader browses by: home, publication, year calendar, the indexes
        "browsing": [
            "/",
            "/authors/",
            "/subjects/",
            *(p.get_absolute_url() for p in Publication.objects.all()),
            *(f"/{slug}/{decade}/{year}/" for slug, decade, year in sorted(years)[:40]),
            *(f"/authors/{slug}/" for slug in rng.sample(authors, min(40, len(authors)))),
            *(f"/subjects/{slug}/" for slug in list(subjects)[:40]),
        ],
        "indexes": index_urls(rng),
        "reply_to": [(a.pk, a.get_absolute_url()) for a in articles[:20]],
    }


def stylesheet(port: int) -> str:
    status, _, page = fetch(port, "GET", "/")
    found = re.search(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page) or re.search(
        r'<link[^>]+href="([^"]+\.css)"', page
    )
    if status != 200 or not found:
        sys.exit("bench/load.py: no stylesheet linked from the home page")
    return found.group(1)


# --- the mixed run: replies while an ingest runs --------------------------------------------


def post_replies(port, targets, credentials, rate, seconds, stop, results: list) -> None:
    """Post replies at a steady rate for `seconds`, adding (started, latency s, status) to results.

    Each reply is sent when it is due, whether or not the earlier ones have been answered
    (a reader does not wait for another's reply), from a pool of at most 32 threads.
    Status 0 is a request that failed outright (refused, reset, or no answer in 60 s)."""
    cookie, token = credentials

    def post(number: int) -> None:
        article_id, url = targets[number % len(targets)]
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"Bench reader {number}",
                "email": "",
                "text": f"A reply posted by bench/load.py while an ingest runs ({number}).",
                "parent": "",
                "website": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://{HOST}:{port}{url}",
        }
        sent = time.monotonic()
        try:
            status, _, _ = fetch(
                port, "POST", f"/replies/{article_id}/post/", body, headers, timeout=REPLY_TIMEOUT
            )
        except (OSError, http.client.HTTPException):
            status = 0
        results.append((sent, time.monotonic() - sent, status))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for number in range(int(rate * seconds)):
            if stop.wait(max(0.0, started + number / rate - time.monotonic())):
                break
            pool.submit(post, number)


def mixed_run(options, port, folder, served, urls, article_script, ingesting=True):
    """Readers on article pages and a steady poster of replies; with `ingesting`, an ingest too.

    Without the ingest it is the replies' floor: the same readers, the same replies.
    Returns the readers' run and the replies' (those posted while the ingest ran)."""
    from tests.helpers.wxr_generator import write_wxr

    export = folder / "second-source.xml"
    if ingesting:
        write_wxr(export, posts=options.ingest_posts)
    replies: list = []
    stop = threading.Event()
    credentials = urls["csrf"]
    poster = threading.Thread(
        target=post_replies,
        args=(port, urls["reply_to"], credentials, options.reply_rate, options.seconds, stop),
        kwargs={"results": replies},
    )
    readers = start_wrk(article_script, port, options.connections, options.seconds)
    started = time.monotonic()
    ingest = None
    if ingesting:
        ingest = subprocess.Popen(
            [sys.executable, "-m", "backfile.cli", "--db", str(served), "ingest", str(export)]
            + ["--quiet"],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    poster.start()
    ended = None
    try:  # bounded: wrk stops itself, the ingest gets 10 minutes, each reply REPLY_TIMEOUT
        run = finish_wrk("mixed: article pages", readers, options.seconds)
        if ingest is not None:
            try:
                ingest.wait(timeout=600)
            except subprocess.TimeoutExpired:
                ingest.kill()
                ingest.wait()
        else:
            poster.join(timeout=60)
        ended = time.monotonic()
    finally:
        stop.set()
        poster.join(timeout=60)
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    during = [(s, lat, status) for s, lat, status in replies if s < ended]
    latencies = [lat for _, lat, _ in during]
    bad = [status for _, _, status in during if status not in (0, 200, 302)]
    failed = sum(status == 0 for _, _, status in during)
    slow = sum(lat >= 1 for lat in latencies)
    reply_run = Run(
        "mixed: replies" if ingesting else "replies, no ingest",
        requests=len(during),
        seconds=max(0.001, min(ended, started + options.seconds) - started),
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        non2xx=len(bad),
        socket_errors=failed,
        codes={str(s): bad.count(s) for s in set(bad)},
    )
    if ingesting:
        reply_run.note = (
            f"{len(during)} replies during an ingest of {options.ingest_posts:,} posts "
            f"({ended - started:.0f} s, exit {ingest.returncode}); "
            f"{slow} took 1 s or more, {failed} failed"
        )
        run.note = f"ingest of {options.ingest_posts:,} posts beside"
    else:
        reply_run.note = (
            f"{len(during)} replies beside {options.connections} reading connections, no "
            f"ingest (the replies' floor); {slow} took 1 s or more, {failed} failed"
        )
    return run, reply_run


def flood_run(options, port, folder, urls, article_script) -> tuple[Run, Run, Run]:
    cookie, token = urls["csrf"]
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": EDITOR,
            "password": "not-the-password",
            "next": "/admin/",
        }
    )
    flood_script = wrk_script(
        folder,
        "flood",
        ["/admin/login/?next=/admin/"],
        method="POST",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
        },
    )
    readers_n = max(1, options.connections - options.flood_connections)
    # Without the flood: the same readers just before it and just after it (half the
    # scenario's seconds each), so that the server's drift over the run is not read as
    # the flood's effect.
    half = max(1, options.seconds // 2)
    before = wrk("flood: readers alone", article_script, port, readers_n, half)
    flood = start_wrk(flood_script, port, options.flood_connections, options.seconds)
    readers = start_wrk(article_script, port, readers_n, options.seconds)
    reader_run = finish_wrk("flood: article pages", readers, options.seconds)
    flood_run = finish_wrk("flood: wrong passwords", flood, options.seconds)
    after = wrk("flood: readers alone", article_script, port, readers_n, half)
    alone = Run(
        "flood: readers alone",
        requests=before.requests + after.requests,
        seconds=before.seconds + after.seconds,
        p50_ms=max(before.p50_ms, after.p50_ms),
        p99_ms=max(before.p99_ms, after.p99_ms),
        non2xx=before.non2xx + after.non2xx,
        socket_errors=before.socket_errors + after.socket_errors,
        note=f"{before.rate:.1f} req/s before the flood, {after.rate:.1f} after",
    )
    reader_run.note = f"{readers_n} reading beside {options.flood_connections} flooding"
    # A wrong password answers 200 (the form again); a throttled one 403 or 429.
    codes = dict(flood_run.codes)
    codes["2xx"] = flood_run.requests - flood_run.non2xx
    flood_run.note = "answers: " + ", ".join(f"{k} {v:,}" for k, v in sorted(codes.items()))
    return alone, reader_run, flood_run


# --- the table -------------------------------------------------------------------------------


def verdicts(runs: dict[str, Run], ceiling: float) -> dict[str, list[tuple[str, bool]]]:
    """Each row's targets, as (text, met)."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for name, run in runs.items():
        checks: list[tuple[str, bool]] = []
        if name == "flood: wrong passwords":  # its own answers: throttled is right
            throttled = sum(run.codes.get(code, 0) for code in ("403", "429"))
            out[name] = [(f"throttled: {throttled:,} answered 403/429", throttled > 0)]
            continue
        if name in PAGE_ROWS:
            checks.append(("≥ 1/3 ceiling", run.rate >= ceiling / 3))
            checks.append(("p99 < 250 ms", run.p99_ms < 250))
        if name in ("search page", "search API"):
            checks.append(("p99 < 500 ms", run.p99_ms < 500))
        if name == "mixed: replies":
            checks.append(("p99 < 1 s", run.p99_ms < 1000 and run.requests > 0))
        if name == "flood: article pages" and "flood: readers alone" in runs:
            without = runs["flood: readers alone"].rate
            share = run.rate / without if without else 0
            checks.append((f"≥ 80% of without ({share:.0%})", share >= 0.8))
        checks.append(("0 errors, 0 non-2xx", run.non2xx == 0 and run.socket_errors == 0))
        out[name] = checks
    return out


def print_table(runs: dict[str, Run], options) -> None:
    ceiling = runs["static (ceiling)"].rate
    checks = verdicts(runs, ceiling)
    print()
    print(
        f"load: {options.connections} connections, {options.seconds} s a scenario, "
        f"backfile serve (gunicorn 2 workers × 4 threads) on {HOST}; "
        f"{os.cpu_count()} cores, load average {options.load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    header = (
        f"{'scenario':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
        f"{'sock err':>8} {'× static':>8} {'cpu ms':>7}  targets"
    )
    print(header)
    print("-" * len(header))
    for name, run in runs.items():
        targets = "; ".join(f"{text} {'PASS' if met else 'FAIL'}" for text, met in checks[name])
        print(
            f"{name:<24} {run.rate:8.1f} {run.p50_ms:8.1f} {run.p99_ms:8.1f} {run.non2xx:8d} "
            f"{run.socket_errors:8d} {run.rate / ceiling if ceiling else 0:8.2f} "
            f"{'-' if run.cpu_ms is None else f'{run.cpu_ms:.1f}':>7}  {targets}"
        )
    for name, run in runs.items():
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(run.codes.items()))
        if name != "flood: wrong passwords" and codes:
            run.note = f"{run.note}; non-2xx by status: {codes}" if run.note else codes
        if run.note:
            print(f"  {name}: {run.note}")
    print(
        "  cpu ms: the server's CPU time a request (gunicorn's processes, user + system); "
        f"{os.cpu_count()} idle cores would serve about {os.cpu_count()} × 1000 / cpu ms a second"
    )
    met = sum(ok for rows in checks.values() for _, ok in rows)
    total = sum(len(rows) for rows in checks.values())
    print(f"targets met: {met} of {total}")


# --- where a request's time goes ----------------------------------------------------------------


def profile_pages(urls: dict) -> None:
    """Queries and time of one article, issue and search page through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    pages = [
        ("article page", urls["articles"][0]),
        ("issue page", urls["issues"][0]),
        ("search page", "/search/?q=" + quote(QUERIES[0])),
        ("OAI ListRecords", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
    ]
    entry = next((u for u in urls["indexes"] if u.count("/") == 3 and "?" not in u), None)
    if entry:
        pages.append(("entry page", entry))
    print("\nwhere a request's time goes (one process, Django test client, best of 5):")
    for name, url in pages:
        best, queries, query_ms = float("inf"), 0, 0.0
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                status = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST=HOST).status_code
                seconds = time.perf_counter() - started
            if seconds < best:
                best = seconds
                queries = len(captured.captured_queries)
                query_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(
            f"  {name:<16} {status} {best * 1000:7.1f} ms, {queries} queries ({query_ms:.1f} ms "
            f"in the database as Django times them)  {url}"
        )


# --- main --------------------------------------------------------------------------------------


def warm_up(port: int, paths: list[str], passes: int = 8) -> None:
    """Every address `passes` times before timing, eight at a time, as a read-mostly archive's
    readers would have done: each gunicorn worker keeps its own page cache (locmem), and eight
    requests an address reach both workers all but always. What a page costs uncached is the
    `cpu ms` of `--profile` (and of the mixed run, where the ingest keeps changing the archive).
    """
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda path: fetch(
                    port, "GET", path, headers={"Accept-Encoding": "gzip"}, timeout=60
                ),
                paths * passes,
            )
        )


def scenarios(urls: dict, static: str) -> list[tuple[str, list[str]]]:
    searches = ["/search/?q=" + quote(q) for q in QUERIES]
    return [
        ("static (ceiling)", [static]),
        ("article page", urls["articles"]),
        ("issue page", urls["issues"]),
        ("browsing pages", urls["browsing"]),
        ("index pages", urls["indexes"]),
        ("search page", searches),
        ("search API", ["/api/search?q=" + quote(q) for q in QUERIES]),
        ("OAI ListRecords", ["/oai?verb=ListRecords&metadataPrefix=oai_dc"]),
    ]


def loaded_runs(options, port, folder, served, urls, runs: dict[str, Run]) -> None:
    """The sign-in flood and the mixed run (readers beside replies, with and without an
    ingest), added to `runs`."""
    article_script = wrk_script(folder, "readers", urls["articles"])
    alone, reader, flood = flood_run(options, port, folder, urls, article_script)
    runs[alone.name], runs[reader.name], runs[flood.name] = alone, reader, flood
    print("  ran the sign-in flood", flush=True)
    _, floor = mixed_run(options, port, folder, served, urls, article_script, False)
    runs[floor.name] = floor
    mixed, replies = mixed_run(options, port, folder, served, urls, article_script)
    runs[mixed.name], runs[replies.name] = mixed, replies
    print("  ran the mixed run", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="the bundled sample, not the corpus")
    parser.add_argument("--db", type=Path, help="the bench archive (built if absent)")
    parser.add_argument("--seconds", type=int, default=30, help="per scenario (default 30)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--flood-connections", type=int, default=16)
    parser.add_argument(
        "--ingest-posts", type=int, default=3_000, help="posts in the mixed run's second source"
    )
    parser.add_argument("--reply-rate", type=float, default=2.0, help="replies a second")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="SCENARIO", help="these scenarios alone")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/load.py: wrk not found (Debian: apt-get install wrk)")
    if options.seconds < 1 or options.connections < 2:
        sys.exit("bench/load.py: --seconds must be 1 or more and --connections 2 or more")
    options.flood_connections = min(options.flood_connections, options.connections - 1)
    database = options.db or WORKDIR / ("load-tiny.sqlite3" if options.tiny else "load.sqlite3")
    build_archive(database, options.tiny)
    options.load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="backfile-load-") as name:
        folder = Path(name)
        served = copy_archive(database, folder)
        urls = archive_urls(served)
        port = free_port()
        server = start_server(served, port, folder / "server.log")
        runs: dict[str, Run] = {}
        try:
            static = stylesheet(port)
            # A CSRF cookie and token for the flood and the replies, taken once before any
            # load (and before the flood could lock the sign-in page).
            urls["csrf"] = csrf(port)
            for scenario, paths in scenarios(urls, static):
                if options.only and scenario != "static (ceiling)" and scenario not in options.only:
                    continue
                warm_up(port, paths)
                script = wrk_script(folder, scenario.split()[0], paths)
                cpu = server_cpu(server.pid)
                runs[scenario] = wrk(scenario, script, port, options.connections, options.seconds)
                runs[scenario].cpu_seconds = server_cpu(server.pid) - cpu
                print(f"  ran {scenario}: {runs[scenario].rate:.1f} req/s", flush=True)
            if not options.only:
                loaded_runs(options, port, folder, served, urls, runs)
        finally:
            stop_server(server)
        print_table(runs, options)
        if options.profile:
            profile_pages(urls)


if __name__ == "__main__":
    main()
