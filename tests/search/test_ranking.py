"""What plain words match, and how a large result is ranked: headline matches first, every
match exactly once however far the reader pages. On either backend."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import transaction

from backfile.search import backends, parallel
from backfile.search.backends import Filters, search
from tests.conftest import skip_unless
from tests.search.conftest import record

pytestmark = pytest.mark.django_db


# ---- plain words are the article's words, not its section's or publication's -----------------


def test_a_word_only_in_a_publication_name_needs_publication(archive):
    assert search("lamplighter").total == 0
    assert search("publication:lamplighter").total == 5


def test_a_word_only_in_a_section_name_needs_section(archive):
    assert search("poetry").total == 0
    assert [h.article.key for h in search("section:poetry").hits] == ["union-poem"]


# ---- prefixes --------------------------------------------------------------------------------


def test_a_prefix_of_two_letters_is_searched_as_a_word_with_a_notice(store):
    store(
        record("ox", "The ox and the plough", "An ox is a patient beast."),
        record("oxen", "Oxen at the fair", "Oxford men bought the oxen."),
    )
    short = search("ox*")
    assert [h.article.key for h in short.hits] == ["ox"]
    assert any("at least 3 letters" in n for n in short.notices)
    longer = search("oxe*")
    assert [h.article.key for h in longer.hits] == ["oxen"]
    assert not longer.notices


# ---- large results: tiered ranking -----------------------------------------------------------

# Where the word "lighthouse" stands in each invented article: the headline, the kicker or
# standfirst, or only the body. Some also mention "fog", for an exclusion.
PLACES = {
    "headline": [f"Lighthouse keepers' note {i}" for i in range(7)],
    "kicker": [f"Harbour note {i}" for i in range(6)],
    "body": [f"Quay note {i}" for i in range(9)],
}


@pytest.fixture
def lighthouses(store, monkeypatch):
    """22 articles that mention a lighthouse, enough to count as large once TIER_FROM is 10."""
    records = []
    for place, titles in PLACES.items():
        for i, title in enumerate(titles):
            body = "The keepers met at the quay. " * (1 + i % 3)
            if place == "body":
                body += "Someone mentioned the lighthouse in passing."
            if i % 3 == 0:
                body += " The fog came down."
            records.append(
                record(
                    f"{place}-{i}",
                    title,
                    body,
                    year=1930 + i,
                    kicker="The lighthouse question" if place == "kicker" else "",
                    section="Harbour",
                )
            )
    store(*records)
    monkeypatch.setattr(backends, "TIER_FROM", 10)
    return records


def place_of(key: str) -> str:
    return key.split("-")[0]


def every_page(q: str, per_page: int = 5, **options) -> list[str]:
    first = search(q, per_page=per_page, **options)
    shown = [h.article.key for h in first.hits]
    for page in range(2, first.pages + 1):
        shown += [h.article.key for h in search(q, page=page, per_page=per_page, **options).hits]
    return shown


def test_a_large_result_lists_headline_matches_first_then_kicker_then_body(lighthouses):
    shown = every_page("lighthouse")
    assert [place_of(k) for k in shown] == ["headline"] * 7 + ["kicker"] * 6 + ["body"] * 9


def test_paging_a_large_result_shows_every_match_exactly_once(lighthouses):
    results = search("lighthouse", per_page=5)
    shown = every_page("lighthouse")
    assert results.total == 22 and results.pages == 5
    assert len(shown) == len(set(shown)) == 22


def test_deep_pages_of_a_large_result_agree_with_the_pages_before_them(lighthouses, monkeypatch):
    monkeypatch.setattr(backends, "RERANK_DEPTH", 4)  # pages past the rerank take other paths
    shown = every_page("lighthouse", per_page=3)
    assert len(shown) == len(set(shown)) == 22
    assert [place_of(k) for k in shown][:7] == ["headline"] * 7


def test_exclusions_and_facet_choices_still_apply_in_a_large_result(lighthouses):
    without_fog = every_page("lighthouse -fog")
    assert len(without_fog) == len(set(without_fog)) == 14
    assert not any(int(k.split("-")[1]) % 3 == 0 for k in without_fog)
    in_1931 = search("lighthouse", filters=Filters(year=1931))
    assert sorted(h.article.key for h in in_1931.hits) == ["body-1", "headline-1", "kicker-1"]
    assert in_1931.total == 3


def test_in_a_large_result_the_headline_that_is_the_query_comes_first(lighthouses, store):
    store(record("exact", "Lighthouse", "A short piece.", year=1950))
    assert search("lighthouse").hits[0].article.key == "exact"


def test_the_headline_tier_follows_a_changed_headline_and_a_deleted_article(lighthouses, store):
    from backfile.archive.models import Article

    renamed = lighthouses[0]
    renamed.title = "Keepers' note, renamed"
    store(renamed)
    Article.objects.get(key="headline-1").delete()

    shown = every_page("lighthouse")

    assert "headline-0" not in shown, "its only 'lighthouse' was in the old headline"
    assert "headline-1" not in shown
    assert [place_of(k) for k in shown] == ["headline"] * 5 + ["kicker"] * 6 + ["body"] * 9


@pytest.mark.django_db(transaction=True)
def test_ranking_beside_the_count_gives_the_same_pages(lighthouses):
    skip_unless((os.cpu_count() or 1) > 1, "ranking beside the count needs a second core")
    try:
        assert parallel.run_beside(lambda: 1) is not None  # committed rows: the helper is used
        queries = ["lighthouse", "lighthouse -fog", "title:lighthouse", "title:lighthouse -fog"]
        beside = [every_page(q, per_page=per_page) for q in queries for per_page in (2, 5)]
        with transaction.atomic():  # inside a transaction everything runs on one connection
            assert parallel.run_beside(lambda: 1) is None
            alone = [every_page(q, per_page=per_page) for q in queries for per_page in (2, 5)]
        assert beside == alone
        past_the_end = search("title:lighthouse", page=9, per_page=5)  # shows the last page
        assert past_the_end.page == 2
        assert [h.article.key for h in past_the_end.hits] == alone[5][5:]
    finally:
        parallel.close_helper()


def shown_hits(q: str, per_page: int) -> list[tuple[str, str, str]]:
    """Every page's hits as a reader sees them: article, marked headline, snippet."""
    first = search(q, per_page=per_page)
    pages = [first] + [search(q, page=n, per_page=per_page) for n in range(2, first.pages + 1)]
    return [(h.article.key, str(h.title), str(h.snippet)) for r in pages for h in r.hits]


@pytest.mark.django_db(transaction=True)
def test_hits_made_beside_a_slow_count_are_the_hits_made_after_it(lighthouses, monkeypatch):
    """While the request's connection counts (slow on PostgreSQL), the helper that ranked the
    page also makes its hits; they are the hits the request would have made itself."""
    skip_unless((os.cpu_count() or 1) > 1, "ranking beside the count needs a second core")
    made_beside = []
    hits = backends._hits

    def slowly(count):
        def counted(plan):
            if not transaction.get_connection().in_atomic_block:
                time.sleep(0.2)  # the helper ranks the page and makes its hits meanwhile
            return count(plan)

        return counted

    def watched(ids, query):
        made_beside.append(threading.current_thread() is not threading.main_thread())
        return hits(ids, query)

    # the count that lists ids, and PostgreSQL's plain one (its facets sampled beside it)
    monkeypatch.setattr(backends, "_matched_sample", slowly(backends._matched_sample))
    monkeypatch.setattr(backends, "_count", slowly(backends._count))
    monkeypatch.setattr(backends, "_hits", watched)
    queries = ["lighthouse", "lighthouse -fog", "title:lighthouse", "keepers lighthouse"]
    try:
        beside = [shown_hits(q, per_page=5) for q in queries]
        assert any(made_beside), "no page's hits were made on the helper"
        with transaction.atomic():  # one connection: every hit made after the count
            alone = [shown_hits(q, per_page=5) for q in queries]
        assert beside == alone
        assert any("<mark>" in snippet for page in alone for _k, _t, snippet in page)
    finally:
        parallel.close_helper()


def test_words_near_each_other_in_a_large_result_are_tiered_where_they_are_near(store, monkeypatch):
    """`"strike union"~5` over headline, kicker and body: each tier holds the articles whose
    words are near in that field, and words far apart in a kicker match nowhere."""
    near, far = "Strike called by the union", "Strike at dawn, and by the winter the whole union"
    records = []
    for i in range(3):
        records += [
            record(f"headline-{i}", f"{near} {i}", "The branch met.", year=1930 + i),
            record(f"kicker-{i}", f"Branch news {i}", "The branch met.", kicker=near),
            record(f"body-{i}", f"Branch notes {i}", f"{near} at the yard."),
            record(f"far-{i}", f"Branch diary {i}", "The branch met.", kicker=far),
        ]
    store(*records)
    monkeypatch.setattr(backends, "TIER_FROM", 5)
    shown = every_page('"strike union"~5', per_page=4)
    assert [place_of(k) for k in shown] == ["headline"] * 3 + ["kicker"] * 3 + ["body"] * 3
    assert search('"strike union"~12').total == 12  # the far kicker's words are 9 apart


def test_a_headline_in_another_form_of_the_query_words_still_comes_first(lighthouses, store):
    """The headline rerank knows a headline's words folded and stemmed, as the index does."""
    store(record("exact", "Lighthouses", "A short piece.", year=1950))
    assert search("lighthouse").hits[0].article.key == "exact"
