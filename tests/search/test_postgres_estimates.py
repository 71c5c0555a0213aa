"""PostgreSQL counts a large result of phrases from a sample of the articles holding its words.

Testing a phrase there reads each candidate's whole document, so past
ESTIMATE_FROM candidates the total is estimated (and says so: "about N"), unless
too few of the sample match, when it is counted exactly. The limits are lowered
here so that a few hundred invented articles show it; the PostgreSQL pass runs it.
"""

from __future__ import annotations

import pytest
from django.db import connection

from backfile.search import backends
from backfile.search.backends import search
from backfile.search.engines import PostgresBackend
from tests.search.conftest import record

ARTICLES = 300


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's estimate; this runs in the PostgreSQL pass")


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(PostgresBackend, "sample_steps", (4, 2))  # of 64 and 16 (search.0014)
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 100)
    monkeypatch.setattr(backends, "ESTIMATE_SAMPLE", 40)
    monkeypatch.setattr(backends, "ESTIMATE_MIN", 8)


def hearing(i: int, phrase: bool) -> object:
    body = (
        "The court heard the case for the death penalty."
        if phrase
        else "A death in the family; the penalty was a fine."
    )
    return record(f"h{i}", f"Court report {i}", body, year=1930 + i % 5)


def test_a_large_result_of_a_phrase_is_estimated_and_says_so(
    postgres_only, store, small_limits, client
):
    store(*[hearing(i, phrase=i % 3 == 0) for i in range(ARTICLES)])
    exact = len(range(0, ARTICLES, 3))
    results = search('"death penalty"')
    assert results.total_estimated
    assert results.total == pytest.approx(exact, rel=0.35)
    assert results.hits and all(
        "death penalty" in hit.article.blocks[0]["text"] for hit in results.hits
    )
    assert sum(v.count for v in results.facets["year"]) == results.total
    page = client.get("/search/", {"q": '"death penalty"'}, HTTP_HOST="testserver")
    assert f"of about {results.total} results" in page.content.decode()
    api = client.get("/api/search", {"q": '"death penalty"'}).json()
    assert (api["total"], api["total_estimated"]) == (results.total, True)


def test_a_rare_phrase_among_common_words_is_counted_exactly(postgres_only, store, small_limits):
    store(*[hearing(i, phrase=i in (7, 150, 299)) for i in range(ARTICLES)])
    results = search('"death penalty"')
    assert (results.total, results.total_estimated) == (3, False)
    assert {hit.article.key for hit in results.hits} == {"h7", "h150", "h299"}


def test_below_the_limit_and_for_plain_words_the_total_is_exact(postgres_only, store):
    store(*[hearing(i, phrase=i % 3 == 0) for i in range(60)])
    phrase, words = search('"death penalty"'), search("death penalty")
    assert (phrase.total, phrase.total_estimated) == (20, False)
    assert (words.total, words.total_estimated) == (60, False)
