"""A large batch's text is analysed partly in a worker process: the index comes out the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from backfile.search import index
from backfile.search.backends import search

SAMPLE = Path(__file__).resolve().parents[2] / "backfile" / "sample" / "the-northern-review"


def index_rows() -> list[tuple]:
    if connection.vendor == "sqlite":
        sql = "SELECT rowid, title, kicker, standfirst, authors, body, joined FROM search_fts"
    else:
        sql = (
            "SELECT article_id, document::text, labels::text "
            "FROM search_entry JOIN search_labels USING (article_id)"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1")
        return cursor.fetchall()


@pytest.mark.django_db
def test_worker_analysis_matches_analysis_in_process(ingest_paths, monkeypatch):
    monkeypatch.setattr(index, "PARALLEL_ANALYSIS_AFTER", 2)
    ingest_paths(SAMPLE)
    in_worker = index_rows()

    monkeypatch.setattr(index, "PARALLEL_ANALYSIS_AFTER", 10**9)
    index.reindex()

    assert len(in_worker) >= 10
    assert index_rows() == in_worker
    assert search("nationalisation").total > 0
