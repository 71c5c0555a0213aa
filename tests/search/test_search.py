"""The search language, folding and spelling, ranking, facets and pages, on either backend.

Run on SQLite by default and on PostgreSQL with BACKFILE_DB=postgres://…
(`make test-postgres`): every assertion holds on both.
"""

from __future__ import annotations

import html
from datetime import date

import pytest

from backfile.archive.models import Article
from backfile.search.backends import Filters, search
from tests.search.conftest import ARCHIVE, record

pytestmark = pytest.mark.django_db


def keys(q: str, **options) -> list[str]:
    return [hit.article.key for hit in search(q, **options).hits]


def found(q: str, **options) -> set[str]:
    return set(keys(q, **options))


# ---- the query language ----------------------------------------------------------------------


def test_every_word_must_match(archive):
    assert found("strike union") == {"ferry-strike", "union-poem"}


def test_exact_phrase(archive):
    assert found('"union branch"') == {"ferry-strike"}
    assert found('"branch union"') == set()


def test_proximity_finds_words_within_the_distance(archive):
    # ferry-strike: "strike" and 4 words between it and "union"; union-poem: 12 words between
    assert found('"strike union"~12') == {"ferry-strike", "union-poem"}
    assert found('"strike union"~11') == {"ferry-strike"}
    assert found('"union strike"~4') == {"ferry-strike"}
    assert found('"strike union"~3') == set()


def test_proximity_stays_within_one_field(store):
    """As FTS5 matches a phrase or NEAR within one column, so does PostgreSQL: the last word
    of a kicker and the first of the headline are not near each other, nor the headline's
    last and the standfirst's first, nor the standfirst's last and the body's first."""
    store(
        record(
            "across",
            "Union win at the restaurants",
            "Busboys and waiters beat back the owners' attack on their health care.",
            kicker="Strike stops concessions",
            standfirst="The owners gave way on the dockside",
        ),
        record(
            "within",
            "A strike won by the union",
            "The cooks walked out first.",
        ),
    )
    assert found('"strike union"~10') == {"within"}
    assert found('"concessions union"~3') == set()
    assert found('"restaurants owners"~3') == set()
    assert found('"dockside busboys"~3') == set()
    assert found('"stops concessions"') == {"across"}  # (within the kicker, as before)


def test_or_and_exclusion(archive):
    assert found("cannery OR slipway") == {"organizing-labor", "ferry-strike", "union-poem"}
    assert found("strike -union") == {"organizing-labor", "weather"}


def test_excluding_several_words_or_a_prefix(archive):
    """(On PostgreSQL words without words are one tsquery the index decides.)"""
    assert found("crews -ferry") == {"organizing-labor"}
    assert found("crews -ferry -cannery") == set()
    assert found("organi* -cannery") == {"nationalisation-mills", "quotes"}
    assert found("(strike OR union) -slipway") == {"organizing-labor", "weather"}
    assert found("strike -slipway -cannery") == {"weather"}


def test_exclusion_alone_lists_everything_else(archive):
    assert found("-strike") == {"nationalisation-mills", "wal-mart", "walmart-wages", "quotes"}


def test_prefix(archive):
    assert found("pennywhist*") == {"organizing-labor"}
    assert found("scann*") == {"wal-mart"}


def test_field_terms(archive):
    assert found("author:quillfeather") == {"ferry-strike", "union-poem", "quotes"}
    assert found("title:slipway") == {"union-poem"}
    assert found("section:industry") == {"ferry-strike", "organizing-labor"}
    assert found('publication:"night signal" author:okonjo') == {"wal-mart", "walmart-wages"}


def test_years_ranges_and_decades(archive):
    assert found("year:1937") == {"ferry-strike", "weather"}
    assert found("strike year:1930..1939") == {"ferry-strike", "union-poem", "weather"}
    assert found("decade:2000s") == {"wal-mart", "walmart-wages"}
    assert found("strike -decade:1930s") == {"organizing-labor"}


def test_date_ranges_by_month_or_day(archive):
    assert found("date:1937-09") == {"ferry-strike", "weather"}
    assert found("date:1937-10..1938-03") == {"nationalisation-mills"}
    assert found("date:1938-04..1939-01") == {"union-poem"}
    assert found("strike date:1939-01-02..1952-06-30") == {"organizing-labor"}  # a monthly's
    assert found("date:1938..1939") == {"nationalisation-mills", "union-poem"}  # month fits
    assert found("strike -date:1930..1951-12") == {"organizing-labor"}


def test_a_date_the_calendar_lacks_says_so(archive):
    results = search("strike date:1937-13")
    assert results.total == 4  # the date is left out, the words searched
    assert any("date:1937-13" in notice for notice in results.notices)


def test_an_article_is_dated_by_its_issue_everywhere(store):
    """A post its source dates 1998, filed in a February 2004 issue: its facets, its date
    filters and the date the results show are all the issue's."""
    store(
        record(
            "reprint",
            "The dockers' case, reprinted",
            "The dockers' case again.",
            year=2004,
            month=2,
            published=date(1998, 9, 30),
        ),
    )
    results = search("dockers")
    assert [v.label for v in results.facets["decade"]] == ["2000s"]
    assert [v.label for v in results.facets["year"]] == ["2004"]
    assert found("dockers year:2004") == {"reprint"} and found("dockers decade:1990s") == set()
    assert found("date:2004-02") == {"reprint"} and found("date:1998-09") == set()
    assert results.hits[0].article.issue.label == "February 2004"


def test_a_redated_issue_takes_its_articles_along(archive):
    issue = Article.objects.get(key="union-poem").issue
    issue.year, issue.month = 1940, 2
    issue.save()
    assert found("year:1940") == {"union-poem"}
    assert "union-poem" not in found("decade:1930s")
    assert found("decade:1940s") == {"union-poem"}


def test_the_migration_redates_rows_indexed_by_the_posting_date(archive):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:  # as an index written before the issue's date ruled
        cursor.execute("UPDATE search_entry SET year = 1998, decade = 1990, sort_key = 19980930")
    assert len(found("decade:1990s")) == len(ARCHIVE)
    migration = import_module("backfile.search.migrations.0013_entry_dates_from_issues")
    migration.redate(apps, SimpleNamespace(connection=connection))  # what it uses of an editor
    assert found("decade:1990s") == set()
    assert found("date:1937-09") == {"ferry-strike", "weather"}


def test_several_dates_mean_any_of_them(archive):
    assert found("year:1931 year:1952") == {"quotes", "organizing-labor"}
    assert found("organise year:1931 OR decade:1950s") == {"quotes", "organizing-labor"}


def test_syntax_of_the_engine_is_just_words(archive):
    assert found("NEAR(strike union)") == set()  # "near" is one more word to find
    assert found("col:strike") == set()
    assert found("{ferry}") == {"ferry-strike"}
    assert found("{title}: ferry") == set()  # "title" is a word the article lacks
    assert found("ferry' OR 1=1; --") == {"ferry-strike"}  # ferry, or the words 1 and 1
    assert found("'; DROP TABLE search_entry; --") == set()
    assert search("ferry").total == 1


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "OR", "-", "((((", ")))", "AND OR NOT", "*", "year:", "year:banana", "~5"],
)
def test_malformed_queries_explain_themselves(archive, q):
    results = search(q)
    assert results.total == 0 or results.hits
    assert results.notices or results.query.is_empty or results.total >= 0


def test_unclosed_quote_searches_the_phrase_and_says_so(archive):
    results = search('"union branch')
    assert [h.article.key for h in results.hits] == ["ferry-strike"]
    assert any("quotation mark" in n for n in results.notices)


def test_long_query_is_cut_with_a_notice(archive):
    results = search("ferry " * 2000)
    assert [h.article.key for h in results.hits] == ["ferry-strike"]
    assert results.notices


# ---- folding and spelling --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("debacle", {"ferry-strike"}),
        ("DÉBÂCLE", {"ferry-strike"}),
        ("cafe", {"ferry-strike"}),
        ("nationalization", {"nationalisation-mills"}),
        ("labor", {"nationalisation-mills", "organizing-labor"}),
        ("labour", {"nationalisation-mills", "organizing-labor"}),
        ("organise", {"nationalisation-mills", "organizing-labor", "quotes"}),
        ("defence", {"nationalisation-mills", "organizing-labor"}),
        ("defense", {"nationalisation-mills", "organizing-labor"}),
        ("harbor", {"ferry-strike"}),
        ("striking", {"ferry-strike", "organizing-labor", "union-poem", "weather"}),
    ],
)
def test_folding_stemming_and_spelling(archive, q, expected):
    assert found(q) == expected


def test_typographic_and_plain_apostrophes_and_quotes(archive):
    assert found("don't") == {"quotes"}
    assert found("don’t") == {"quotes"}
    assert found("o'brien") == found("OBrien") == {"quotes"}
    assert found("“workers councils”") == {"quotes"}


def test_hyphenated_joined_and_split_forms(archive):
    both = {"wal-mart", "walmart-wages"}
    assert found("walmart") == both
    assert found("wal-mart") == both
    assert found("wal mart") == both
    assert found('"wal mart"') == {"wal-mart"}


# ---- ranking, sorting, pages -----------------------------------------------------------------


def test_headline_words_rank_above_body_words(archive):
    assert keys("slipway") == ["union-poem", "ferry-strike"]


def test_sort_newest_and_oldest(archive):
    assert keys("strike", sort="oldest") == [
        "ferry-strike",
        "weather",
        "union-poem",
        "organizing-labor",
    ]
    assert keys("strike", sort="newest")[0] == "organizing-labor"


def test_pagination_has_exact_totals(store):
    store(
        *[
            record(f"note-{i}", f"Branch note {i}", "The branch met.", month=1 + i % 12)
            for i in range(45)
        ]
    )
    first = search("branch", per_page=20)
    last = search("branch", per_page=20, page=3)
    beyond = search("branch", per_page=20, page=99)
    assert (first.total, first.pages, len(first.hits)) == (45, 3, 20)
    assert (last.page, len(last.hits)) == (3, 5)
    assert beyond.page == 3
    seen = {h.article.key for p in (1, 2, 3) for h in search("branch", page=p).hits}
    assert len(seen) == 45


# ---- facets ----------------------------------------------------------------------------------


def test_facets_count_the_whole_result(archive):
    facets = search("strike").facets
    counts = {name: {v.label: v.count for v in values} for name, values in facets.items()}
    assert counts["publication"] == {"The Lamplighter": 3, "The Night Signal": 1}
    assert counts["decade"] == {"1930s": 3, "1950s": 1}
    assert counts["year"] == {"1937": 2, "1939": 1, "1952": 1}
    assert counts["section"] == {"Industry": 2, "Poetry": 1, "Gardens": 1}
    assert counts["author"] == {"Ada Quillfeather": 2, "Cora Pennywhistle": 1}


def test_facets_of_a_phrase_count_the_articles_with_the_phrase(store):
    """Not those with its words apart (on PostgreSQL the phrase is tested on each document
    once, and the facets count the ids that passed)."""
    store(
        *[
            record(
                f"court-{i}",
                f"Court report {i}",
                "The court heard the case for the death penalty."
                if i % 2
                else "A death in the family; the penalty was a fine.",
                year=1930 + i % 3,
                section="Courts" if i < 6 else "Law",
            )
            for i in range(12)
        ]
    )
    results = search('"death penalty"')
    assert (results.total, results.facets_estimated) == (6, False)
    assert {v.value: v.count for v in results.facets["year"]} == {"1930": 2, "1931": 2, "1932": 2}
    assert {v.value: v.count for v in results.facets["section"]} == {"Courts": 3, "Law": 3}
    assert {h.article.key for h in results.hits} == {f"court-{i}" for i in range(1, 12, 2)}


def test_facet_choices_narrow_the_search(archive):
    assert found("strike", filters=Filters(section="Industry")) == {
        "ferry-strike",
        "organizing-labor",
    }
    assert found("strike", filters=Filters(decade=1930, author="ada-quillfeather")) == {
        "ferry-strike",
        "union-poem",
    }
    assert found("strike", filters=Filters(publication="the-night-signal")) == {"organizing-labor"}
    assert found("", filters=Filters(year=2005)) == {"walmart-wages"}
    missing = search("strike", filters=Filters(author="nobody-at-all"))
    assert missing.total == 0 and missing.notices


# ---- snippets --------------------------------------------------------------------------------


def test_snippets_mark_every_form_that_matched(archive):
    hit = next(h for h in search("labour organize").hits if h.article.key == "organizing-labor")
    assert "<mark>Labor's</mark>" in html.unescape(hit.snippet)
    assert "<mark>organization</mark>" in hit.snippet
    assert "<mark>Organizing</mark>" in hit.title


def test_snippet_escapes_the_article_text(store):
    store(record("markup", "Angle brackets", "Write <b>bold</b> & brave, said the brackets."))
    snippet = search("brave").hits[0].snippet
    assert "&lt;b&gt;" in snippet and "<mark>brave</mark>" in snippet


def test_an_author_search_shows_the_opening_not_where_the_text_names_the_author(store):
    """`author:` is sought in the byline: a snippet centred on the writer's name in the body
    (a namesake, a quotation) would show a match the search did not make."""
    filler = " ".join(["The committee sat late over the harbour accounts."] * 8)
    body = f"The dockers voted at dawn. {filler} Old Tom Quayle spoke last."
    store(record("quayle-piece", "Harbour notes", body, authors=("Ann Quayle",)))
    hit = search("author:quayle").hits[0]
    assert hit.snippet.startswith("The dockers voted at dawn.")
    assert "<mark>" not in hit.snippet and "<mark>" not in hit.title
    assert "<mark>Quayle</mark>" in search("quayle").hits[0].snippet  # as a word, it is marked


def test_a_phrase_snippet_shows_the_phrase_marked_as_one(store):
    filler = " ".join(["The meeting heard reports from the branches on the harbour."] * 6)
    store(
        record(
            "class-essay",
            "Who rules the towns",
            "The middle class worked hard to keep its place. " + filler + " "
            "Only the working class can end it, said the speaker.",
        )
    )
    snippet = search('"working class"').hits[0].snippet
    assert "<mark>working class</mark>" in snippet
    assert "worked" not in snippet and "middle" not in snippet  # the window is the phrase's
    assert snippet.count("<mark>") == 1


def test_a_hyphenated_word_found_joined_is_marked_in_the_snippet(store):
    filler = " ".join(["Nothing of note was said at the gate today."] * 6)
    store(record("joined", "Pickers", f"{filler} The Walmart depot times its pickers."))
    snippet = search("wal-mart").hits[0].snippet
    assert "<mark>Walmart</mark> depot" in snippet


def test_a_proximity_snippet_marks_the_words_where_they_stand_near(store):
    filler = " ".join(["Nothing of note was said at the gate today."] * 6)
    store(
        record(
            "near-essay",
            "Notes from the gate",
            "A strike was rumoured. " + filler + " The union called the strike at noon.",
        )
    )
    snippet = search('"union strike"~3').hits[0].snippet
    assert "<mark>union</mark> called the <mark>strike</mark>" in snippet
    assert "rumoured" not in snippet


# ---- the index keeps in step -----------------------------------------------------------------


def test_reingest_with_new_text_updates_the_index(archive, store):
    changed = record("weather", "A fine week for the allotments", "Only beetroot this time.")
    store(changed)
    assert "weather" not in found("marrows")
    assert found("beetroot") == {"weather"}


def test_deleting_an_article_removes_it_from_search(archive):
    assert found("title:ferry") == {"ferry-strike"}
    in_publication = found('publication:"the lamplighter"')
    assert "ferry-strike" in in_publication
    Article.objects.get(key="ferry-strike").delete()
    assert found("ferry") == found("title:ferry") == found("title:crews ferry") == set()
    assert search("strike").total == 3
    assert found('publication:"the lamplighter"') == in_publication - {"ferry-strike"}
    assert search('publication:"the lamplighter"').total == len(in_publication) - 1


def test_reindex_rebuilds_from_the_archive(archive):
    from django.core.management import call_command

    from backfile.search.models import SearchEntry

    SearchEntry.objects.all().delete()
    call_command("search-reindex", verbosity=0)
    assert found("nationalization") == {"nationalisation-mills"}
    assert found("title:mills") == {"nationalisation-mills"}
    assert SearchEntry.objects.count() == len(archive)


def test_very_large_results_estimate_facets_but_count_exactly(store, monkeypatch):
    from backfile.search import facets

    store(
        *[
            record(
                f"n{i}", f"Branch note {i}", "The branch met.", year=1930 + i % 4, section="Notes"
            )
            for i in range(60)
        ]
    )
    exact = search("branch")
    monkeypatch.setattr(facets, "FACET_EXACT", 10)
    estimated = search("branch")
    assert (exact.total, estimated.total) == (60, 60)
    assert not exact.facets_estimated and estimated.facets_estimated
    assert {v.label: v.count for v in exact.facets["year"]} == {
        "1930": 15,
        "1931": 15,
        "1932": 15,
        "1933": 15,
    }
    years = {v.label: v.count for v in estimated.facets["year"]}
    assert set(years) <= {"1930", "1931", "1932", "1933"}
    assert sum(years.values()) == pytest.approx(60, abs=estimated.facet_sample)
    assert len(estimated.hits) == 20


def test_an_editors_correction_is_searchable_at_once(archive):
    from django.db import transaction

    from backfile.archive.signals import articles_changed

    article = Article.objects.get(key="weather")
    with transaction.atomic():
        article.title = "A fine week for the parsnips"
        article.save()
        articles_changed.send(sender=Article, articles=[article])
    assert found("parsnips") == found("title:parsnips") == {"weather"}
    assert "weather" not in found("allotments") | found("title:allotments")


def test_reviewed_works_and_co_authors_are_searchable(store):
    from backfile.ingest.records import ReviewedWork

    review = record(
        "review",
        "A book for the long winter",
        "Worth its price.",
        authors=("Ada Quillfeather", "Bertram Oakes"),
        section="Reviews",
    )
    review.reviewed_works = [ReviewedWork(title="The Tallow Chandlers", author="Mirren Ash")]
    store(review)
    assert found("chandlers") == found("author:oakes") == found("mirren") == {"review"}
    counts = {v.label: v.count for v in search("winter").facets["author"]}
    assert counts == {"Ada Quillfeather": 1, "Bertram Oakes": 1}
