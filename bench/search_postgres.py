"""The PostgreSQL half of bench/search.py: build the scaled archive there, and time it.

    .venv/bin/python bench/search_postgres.py --db postgres://… [--corpus PATH]
        [--articles 250000] [--repeat 5] [--rebuild] [--one-connection] [--results FILE]

bench/search.py runs this in a process of its own when given `--db`. The database
is the bench's: it is created if missing, and unless it already holds this
corpus at this size (noted in a table `bench_search_build`) its tables are
dropped, migrated afresh, the corpus ingested through the real pipeline, and the
articles replicated by SQL exactly as on SQLite (new ids, keys and issue slugs,
each copy five years earlier than the last). The secondary indexes are dropped
for the copying and built again after it, and the tables vacuumed and analysed,
as a restore would leave them.

The floor is what any search page on PostgreSQL must do for a query: the exact
count, and the first 20 by ts_rank_cd (the backend's weights) over every match,
straight through psycopg with the same tsquery conditions the backend builds
(and, as the backend's statements, with sequential scans off).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import (  # noqa: E402  (bench/search.py, beside this file)
    DEFAULT_CORPUS,
    PAGE,
    QUERIES,
    YEARS_PER_COPY,
    cpu_ms,
    report,
)

COPIED = (
    "archive_issue",
    "archive_article",
    "archive_byline",
    "search_entry",
    "search_head",
    "search_title",
    "search_labels",
)


def ensure_database(url: str) -> None:
    """Create the bench's database if it does not exist (through the server's `postgres`)."""
    name = urlparse(url).path.lstrip("/")
    maintenance = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        db.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["BACKFILE_DB"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
    # The search itself is timed: a repeated query answered from the page cache would time
    # the cache (about 1 ms), so the page cache is off for the bench.
    os.environ["BACKFILE_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()


def built_for(url: str) -> str | None:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT to_regclass('bench_search_build')").fetchone()
        if row[0] is None:
            return None
        found = db.execute("SELECT description FROM bench_search_build").fetchone()
        return found[0] if found else None


def build(url: str, corpus: Path, articles: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from backfile.ingest.pipeline import ingest

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    summary = ingest([corpus]).summary_line()
    print(
        f"ingested {corpus.name} into PostgreSQL: {summary} in {time.perf_counter() - started:.0f} s"
    )
    connection.close()
    started = time.perf_counter()
    with psycopg.connect(url) as db:
        count, copies = replicate(db, articles)
        db.execute("CREATE TABLE bench_search_build (description text)")
        db.execute("INSERT INTO bench_search_build VALUES (%s)", (description(corpus, articles),))
        db.commit()
        db.autocommit = True
        db.execute("VACUUM ANALYZE")
    print(f"replicated {count} articles × {copies + 1} in {time.perf_counter() - started:.0f} s")


def description(corpus: Path, articles: int) -> str:
    return f"{corpus.resolve()} {articles}"


def replicate(db: psycopg.Connection, articles: int) -> tuple[int, int]:
    """Every copy of the corpus in one statement a table, the secondary indexes dropped
    meanwhile and built again after (with the triggers off: the foreign keys' (the copies
    refer to rows the same statements make) and search_entry's own, which keeps
    search_head and search_title; their copies, and search_labels', are made here too)."""
    count = db.execute("SELECT COUNT(*) FROM archive_article").fetchone()[0]
    copies = max(0, -(-articles // count) - 1)
    if not copies:
        return count, copies
    strides = {
        table: db.execute(f"SELECT MAX(id) + 1 FROM {table}").fetchone()[0]
        for table in ("archive_issue", "archive_article", "archive_byline")
    }
    issue, article, byline = (
        strides["archive_issue"],
        strides["archive_article"],
        strides["archive_byline"],
    )
    db.execute("SET maintenance_work_mem = '256MB'")
    db.execute("SET session_replication_role = replica")
    indexes = db.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        (list(COPIED),),
    ).fetchall()
    for name, _definition in indexes:
        db.execute(f'DROP INDEX "{name}"')
    years = f"({YEARS_PER_COPY} * k)"
    copy = f"CROSS JOIN generate_series(1, {copies}) AS k"
    db.execute(
        f"""INSERT INTO archive_issue (id, number, volume, year, month, day, decade, slug, title,
            cover, pdf, publication_id)
        SELECT id + {issue} * k, number, volume, year - {years}, month, day,
            (year - {years}) / 10 * 10, slug || '-c' || k, title, cover, pdf, publication_id
        FROM archive_issue {copy}"""
    )
    db.execute(
        f"""INSERT INTO archive_article (id, key, slug, position, section, kicker, title,
            standfirst, summary, pages, published, language, blocks, subjects, original_url,
            attachments, ingested_fingerprint, edited, modified, issue_id, publication_id)
        SELECT id + {article} * k, key || '~' || k, slug, position, section, kicker, title,
            standfirst, summary, pages, (published - make_interval(years => {years}))::date,
            language, blocks, subjects, original_url, attachments, ingested_fingerprint, edited,
            modified, issue_id + {issue} * k, publication_id
        FROM archive_article {copy}"""
    )
    db.execute(
        f"""INSERT INTO archive_byline (id, position, as_printed, role, article_id, author_id)
        SELECT id + {byline} * k, position, as_printed, role, article_id + {article} * k, author_id
        FROM archive_byline {copy}"""
    )
    db.execute(  # with the same authors and words as the original
        f"""INSERT INTO search_entry (article_id, publication_id, year, decade, sort_key, section,
            author, co_authors, document)
        SELECT article_id + {article} * k, publication_id, year - {years},
            (year - {years}) / 10 * 10, sort_key - {years} * 10000, section, author, co_authors,
            document
        FROM search_entry {copy}"""
    )
    for side, vector in (
        ("search_head", "head"),
        ("search_title", "title"),
        ("search_labels", "labels"),
    ):
        db.execute(  # as the trigger and the writer make them (triggers off: session_replication_role)
            f"""INSERT INTO {side} (article_id, {vector})
            SELECT article_id + {article} * k, {vector} FROM {side} {copy}"""
        )
    for _name, definition in indexes:
        db.execute(definition)
    for table in ("archive_issue", "archive_article", "archive_byline"):
        db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )
    db.execute("SET session_replication_role = DEFAULT")
    return count, copies


def floor_statements(q: str) -> tuple[str, list, str, list] | None:
    """The count and the first page by ts_rank_cd over every match, as SQL and parameters."""
    from backfile.search.backends import PG_RANK_WEIGHTS
    from backfile.search.query import parse
    from backfile.search.tsquery import rank_tsquery, to_postgres

    query = parse(q)
    where, params = [], []
    for node, negate in ((query.include, False), (query.exclude, True)):
        if node is not None:
            sql, node_params = to_postgres(node)
            where.append(f"NOT ({sql})" if negate else sql)
            params.extend(node_params)
    for dates in query.dates:
        where.append("e.year BETWEEN %s AND %s")
        params.extend([dates.start, dates.end])
    clause = f"FROM search_entry e WHERE {' AND '.join(where) or 'true'}"
    ranked = rank_tsquery(query.include) if query.include is not None else None
    if ranked is None:
        return (
            f"SELECT COUNT(*) {clause}",
            params,
            f"SELECT e.article_id {clause} LIMIT {PAGE}",
            params,
        )
    rank = f"ts_rank_cd('{PG_RANK_WEIGHTS}', e.document, to_tsquery('simple', %s), 1)"
    page = f"SELECT e.article_id {clause} ORDER BY {rank} DESC, e.article_id LIMIT {PAGE}"
    return f"SELECT COUNT(*) {clause}", params, page, [*params, ranked]


def measure(url: str, repeat: int) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    floor_ms: list[float] = []
    django_ms: list[float] = []
    cpu_used: list[float] = []
    totals = {}
    with psycopg.connect(url, autocommit=True) as db:
        # as the backend's statements run: the planner would read every TOASTed document
        # of a common word's rows rather than its GIN list (see engines.PostgresBackend)
        db.execute("SET enable_seqscan = off")
        for q in QUERIES:
            count_sql, count_params, page_sql, page_params = floor_statements(q)
            client.get("/search/", {"q": q})  # warm caches once, as a live site would be
            db.execute(count_sql, count_params).fetchone()
            backends = server_processes()
            for _ in range(repeat):
                started = time.perf_counter()
                totals[q] = db.execute(count_sql, count_params).fetchone()[0]
                db.execute(page_sql, page_params).fetchall()
                floor_ms.append((time.perf_counter() - started) * 1000)
                started, cpu = time.perf_counter(), cpu_ms(backends)
                response = client.get("/search/", {"q": q})
                django_ms.append((time.perf_counter() - started) * 1000)
                if backends:
                    cpu_used.append(cpu_ms(backends) - cpu)
                assert response.status_code == 200, (q, response.status_code)
                assert response.get("X-Cache") != "HIT", (q, "answered from the page cache")
        articles = db.execute("SELECT COUNT(*) FROM search_entry").fetchone()[0]
        server = server_memory(db)
    return {
        "articles": articles,
        "floor": floor_ms,
        "django": django_ms,
        "cpu": cpu_used,
        "cpu_of": " and its PostgreSQL backends",
        "totals": totals,
        "server": server,
    }


def server_processes() -> list[int]:
    """The PostgreSQL backends serving the search (its connection and the search helper's),
    if their CPU time can be read here (the server on this machine); else none, and no CPU
    figures."""
    from django.db import connection

    from backfile.search.parallel import run_beside

    def backend_pid() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    helper = run_beside(backend_pid)
    pids = [backend_pid()] + ([helper.result()] if helper is not None else [])
    if not all(os.access(f"/proc/{pid}/schedstat", os.R_OK) for pid in pids):
        return []
    return pids


def server_memory(db: psycopg.Connection) -> str:
    """The server's memory settings and the size of what a search reads, to print beside the
    figures: with Debian's default shared_buffers (128 MB) the floor's own runs, which
    read every matching document, evict the tables between the timed searches."""
    buffers, cache = (db.execute(f"SHOW {name}").fetchone()[0] for name in SETTINGS_SHOWN)
    tables = db.execute(
        "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c "
        "WHERE c.relname IN ('search_entry', 'search_head', 'search_title', 'search_labels')"
    ).fetchone()[0]
    return (
        f"server: shared_buffers {buffers}, effective_cache_size {cache}; "
        f"search tables with their indexes and TOAST: {tables}"
    )


SETTINGS_SHOWN = ("shared_buffers", "effective_cache_size")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="postgres://… (the bench's own database)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--one-connection", action="store_true")
    parser.add_argument("--results", type=Path, help="write the timings here as JSON")
    options = parser.parse_args()
    if not options.corpus.exists():
        sys.exit(f"bench/search_postgres.py: corpus not found at {options.corpus} (use --corpus)")
    ensure_database(options.db)
    setup_django(options.db)
    if options.one_connection:
        from backfile.search import backends

        backends.run_beside = lambda work: None
    if options.rebuild or built_for(options.db) != description(options.corpus, options.articles):
        build(options.db, options.corpus, options.articles)
    else:  # a database built by an older checkout: its schema brought up to this one's
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    result = measure(options.db, options.repeat)
    print(f"\n{result['server']}")
    report(
        "scaled, PostgreSQL",
        result,
        floor="raw PostgreSQL (count + top 20)",
        first_page_ms=100,
    )
    if options.results:
        options.results.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
