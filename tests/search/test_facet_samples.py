"""PostgreSQL estimates a large result's facets from the articles whose id is a multiple of
a step, beside the count rather than after it (`backfile.search.facets`).

The steps and limits are lowered here so that a few hundred invented articles make a
large result; the PostgreSQL pass runs these (SQLite takes its sample from the count).
"""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, transaction

from backfile.search import backends, facets, parallel
from backfile.search.backends import search
from backfile.search.engines import PostgresBackend
from backfile.search.query import parse
from tests.conftest import skip_unless
from tests.search.conftest import record

ARTICLES = 400
YEARS = 4  # each year a run of ARTICLES / YEARS articles, so that any step samples each alike


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's facet sample; this runs in the PostgreSQL pass")


@pytest.fixture
def small_samples(monkeypatch):
    monkeypatch.setattr(facets, "FACET_EXACT", 50)
    monkeypatch.setattr(facets, "SAMPLED_ENOUGH", 60)
    monkeypatch.setattr(facets, "SAMPLED_AT_LEAST", 20)
    monkeypatch.setattr(PostgresBackend, "sample_steps", (8, 2))


def branch_notes(store) -> None:
    per_year = ARTICLES // YEARS
    store(
        *[
            record(
                f"n{i}",
                f"Branch note {i}",
                "The branch met." + (" The fog came down." if i % 3 == 0 else ""),
                year=1930 + i // per_year,
                section="Notes" if i % 5 else "Letters",
            )
            for i in range(ARTICLES)
        ]
    )


def counts(results, facet: str) -> dict[str, int]:
    return {v.label: v.count for v in results.facets[facet]}


def test_a_large_results_facets_come_from_the_sample_and_say_so(
    postgres_only, store, small_samples, client
):
    branch_notes(store)
    results = search("branch")
    assert results.total == ARTICLES  # the total is still counted exactly
    # every 8th article finds 50 matches, too few (60): every 2nd is taken
    assert results.facets_estimated and results.facet_sample == 2
    years = counts(results, "year")
    assert set(years) == {"1930", "1931", "1932", "1933"}
    assert all(abs(n - ARTICLES // YEARS) <= 4 for n in years.values()), years
    assert sum(years.values()) == pytest.approx(ARTICLES, abs=4)
    sections = counts(results, "section")
    assert sections["Notes"] > sections["Letters"] > 0
    page = client.get("/search/", {"q": "branch"}, HTTP_HOST="testserver").content.decode()
    assert "Counts are estimated from one result in every 2." in page


def test_a_very_large_result_is_estimated_from_the_coarsest_sample_and_says_so(
    postgres_only, store, small_samples, monkeypatch, client
):
    branch_notes(store)
    monkeypatch.setattr(facets, "SAMPLED_ENOUGH", 40)  # every 8th of 400 finds 50: enough
    results = search("branch")
    assert results.total_estimated and results.facet_sample == 8
    assert results.total == pytest.approx(ARTICLES, abs=16)
    assert sum(counts(results, "year").values()) == pytest.approx(results.total, abs=16)
    assert len(results.hits) == 20 and results.pages == -(-results.total // 20)
    page = client.get("/search/", {"q": "branch"}, HTTP_HOST="testserver").content.decode()
    assert f"of about {results.total} results" in page
    api = client.get("/api/search", {"q": "branch"}).json()
    assert (api["total"], api["total_estimated"]) == (results.total, True)
    assert not search("branch fog 3").total_estimated  # a small result is still counted


def test_an_estimate_keeps_three_significant_figures(postgres_only, monkeypatch):
    monkeypatch.setattr(facets, "sampled", lambda plan, step: (facets.no_tallies(), 2232))
    plan = PostgresBackend().plan(parse("workers"))
    assert facets.estimated(plan)[0] == 143_000  # 2,232 × 64 = 142,848


def test_the_sample_applies_the_words_and_the_filters_chosen(postgres_only, store, small_samples):
    branch_notes(store)
    foggy = search("branch fog")  # every third article: 134, sampled every 2nd
    assert foggy.total == 134 and foggy.facets_estimated and foggy.facet_sample == 2
    assert sum(counts(foggy, "year").values()) == pytest.approx(134, abs=4)
    from backfile.search.backends import Filters

    narrowed = search("branch", Filters(year=1931))
    assert narrowed.total == ARTICLES // YEARS
    assert set(counts(narrowed, "year")) == {"1931"}


def test_a_small_result_is_still_counted_exactly(postgres_only, store, small_samples):
    branch_notes(store)
    results = search("branch", per_page=5, sort="newest")
    exact = search("branch fog 3", per_page=5)  # `Branch note 3`: few enough to count exactly
    assert results.facets_estimated
    assert not exact.facets_estimated and exact.facet_sample == 1
    assert sum(counts(exact, "year").values()) == exact.total


def test_too_few_in_the_finest_step_samples_the_count_instead(postgres_only, store, monkeypatch):
    branch_notes(store)
    monkeypatch.setattr(facets, "FACET_EXACT", 50)  # the steps as shipped: 64 and 16
    results = search("branch")  # every 16th of 400: 25 matches, under SAMPLED_AT_LEAST
    assert results.total == ARTICLES and results.facets_estimated
    assert results.facet_sample == backends.SAMPLE_EVERY  # every 8th id the count listed
    assert sum(counts(results, "year").values()) == pytest.approx(ARTICLES, rel=0.2)


def test_the_partial_indexes_are_those_of_the_steps(postgres_only):
    """The sample's statements name each step as the partial indexes' predicates do, so that
    PostgreSQL can use them: a step without its index would read the whole match."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entry' "
            "AND indexname LIKE 'search_entry_sample_%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    for step in PostgresBackend.sample_steps:
        assert any(
            "gin (document)" in d and f"(article_id % ({step})::bigint) = 0" in d
            for d in definitions
        ), (step, definitions)


@pytest.mark.django_db(transaction=True)
def test_the_sample_is_counted_on_the_helper_beside_the_count(postgres_only, store, small_samples):
    skip_unless((os.cpu_count() or 1) > 1, "counting beside the count needs a second core")
    branch_notes(store)
    threads = []
    tallied = facets._tallied

    def watched(source, params, step):
        if "%% 2 = 0" in source:  # (every 8th, for the estimate, is taken here, first)
            threads.append(threading.current_thread() is threading.main_thread())
        return tallied(source, params, step)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(facets, "_tallied", watched)
            beside = search("branch")
            assert threads and not any(threads), "the sample was not counted on the helper"
            with transaction.atomic():  # one connection: counted here, after the count
                alone = search("branch")
        assert beside.facets == alone.facets and beside.facet_sample == alone.facet_sample == 2
    finally:
        parallel.close_helper()
