"""bench/search.py still builds its scaled archive and times it: on Backfile's own sample.

The bench replicates the archive by SQL of its own, so a new column the models
gain can break it without any other test noticing (as `Article.modified` once
did). The sample's 12 articles are scaled to 240 and every query of the bench's
list is timed once; on PostgreSQL (where BACKFILE_DB names a server, as in the
suite's second run) the `--db` half runs too, on a database of its own.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

from tests.conftest import REPO

SAMPLE = REPO / "backfile" / "sample"
ARTICLES = 240  # the sample's 12 articles, 20 times


def run_bench(workdir: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "bench" / "search.py"), "--corpus", str(SAMPLE)]
    command += ["--articles", str(ARTICLES), "--repeat", "1", "--workdir", str(workdir), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def table(output: str, name: str) -> str:
    found = re.search(rf"^{re.escape(name)}: .*?(?=^\S|\Z)", output, re.M | re.S)
    assert found, f"no table {name!r} in:\n{output}"
    return found.group(0)


def test_search_bench_builds_and_times_the_scaled_archive(tmp_path):
    done = run_bench(tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    scaled = table(done.stdout, "scaled")
    assert scaled.startswith(f"scaled: {ARTICLES:,} articles, 22 queries × 1")
    assert "Django GET /search/" in scaled
    assert "CPU a request (Django's process): " in scaled  # what the machine's load leaves out
    # the copies are whole articles with keys, dates and search rows of their own
    database = sqlite3.connect(tmp_path / f"socialist-worker-{ARTICLES}.sqlite3")
    keys, years, indexed = database.execute(
        "SELECT COUNT(DISTINCT a.key), COUNT(DISTINCT e.year), COUNT(e.article_id) "
        "FROM archive_article a LEFT JOIN search_entry e ON e.article_id = a.id"
    ).fetchone()
    assert (keys, indexed) == (ARTICLES, ARTICLES)
    assert years > 20


@pytest.fixture
def bench_database():
    """A PostgreSQL database of the bench's own beside the test run's, dropped after."""
    url = os.environ.get("BACKFILE_DB", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL half runs where BACKFILE_DB names a PostgreSQL server")
    parts = urlparse(url)
    name = f"{parts.path.lstrip('/') or 'backfile'}_bench_smoke"
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_search_bench_on_postgres_prints_the_same_table_and_the_comparison(
    tmp_path, bench_database
):
    done = run_bench(tmp_path, "--db", bench_database)
    assert done.returncode == 0, done.stderr[-3000:]
    postgres = table(done.stdout, "scaled, PostgreSQL")
    assert postgres.startswith(f"scaled, PostgreSQL: {ARTICLES:,} articles, 22 queries × 1")
    assert "raw PostgreSQL (count + top 20)" in postgres
    assert "server: shared_buffers " in done.stdout  # the memory the figures were measured with
    assert "PostgreSQL against SQLite, Django GET /search/ p95:" in done.stdout
    if "CPU a request (Django's process and its PostgreSQL backends)" in postgres:
        assert "CPU a request at p95 (the machine's load does not enter it):" in done.stdout
    # both engines find the same number of articles for every query
    assert "result counts differ" not in done.stdout
    # every copy has its headline words in search_head and search_title, as the trigger keeps them
    with psycopg.connect(bench_database) as db:
        missing = db.execute(
            "SELECT COUNT(*) FROM search_entry e LEFT JOIN search_head h USING (article_id) "
            "LEFT JOIN search_title t USING (article_id) "
            "WHERE h.head IS DISTINCT FROM ts_filter(e.document, '{a,b,c}') "
            "OR t.title IS DISTINCT FROM ts_filter(e.document, '{a}')"
        ).fetchone()[0]
    assert missing == 0
