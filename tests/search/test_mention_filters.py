"""`person:`, `place:` and `organisation:`: searches narrowed to the articles that mention an
entry of the authority file, by any of its names, alone or with words and other filters.

Run on SQLite by default and on PostgreSQL with BACKFILE_DB=postgres://…: every assertion
holds on both."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from backfile.archive.models import Article
from backfile.search.advanced import written_query
from backfile.search.backends import Filters, search
from tests.authority.factories import entry, mention

pytestmark = pytest.mark.django_db


def found(q: str, **options) -> set[str]:
    return {hit.article.key for hit in search(q, **options).hits}


@pytest.fixture
def mentioned(archive):
    """Entries with their spellings, mentioned in some of the invented archive's articles."""
    articles = {a.key: a for a in Article.objects.all()}
    quill = entry("Ada Quillfeather", aliases=("A. Quillfeather",))
    trotter = entry("Leon Trotter")  # a surname alone finds him
    harbour = entry("Saltmarsh", "place", aliases=("Salt Marsh",))
    branch = entry("P.O.U.R.", "organisation", aliases=("Party of the Upper River",))
    entry("Nobody Mentioned")
    for key in ("ferry-strike", "nationalisation-mills", "union-poem"):
        mention(articles[key], quill, "")
    for key in ("ferry-strike", "weather"):
        mention(articles[key], harbour, "")
    mention(articles["nationalisation-mills"], trotter, "")
    mention(articles["organizing-labor"], branch, "")
    mention(articles["ferry-strike"], branch, "")
    return articles


def test_a_person_by_name_or_alias_however_written(mentioned):
    expected = {"ferry-strike", "nationalisation-mills", "union-poem"}
    assert found('person:"Ada Quillfeather"') == expected
    assert found('person:"a quillfeather"') == expected  # an alias, folded
    assert found('person:"ADA QUILLFÉATHER"') == expected


def test_a_surname_alone_finds_the_one_whose_name_ends_with_it(mentioned):
    results = search("person:Trotter")
    assert {hit.article.key for hit in results.hits} == {"nationalisation-mills"}
    assert "person:Trotter was read as any of: Leon Trotter." in results.notices


def test_places_and_organisations_dotted_or_not(mentioned):
    assert found("place:saltmarsh") == {"ferry-strike", "weather"}
    assert found('place:"Salt Marsh"') == {"ferry-strike", "weather"}
    assert found("organisation:POUR") == {"organizing-labor", "ferry-strike"}
    assert found("organization:P.O.U.R.") == {"organizing-labor", "ferry-strike"}
    assert found('organisation:"party of the upper river"') == {"organizing-labor", "ferry-strike"}


def test_combined_with_words_dates_facets_and_each_other(mentioned):
    assert found('strike person:"Ada Quillfeather"') == {"ferry-strike", "union-poem"}
    assert found('person:"Ada Quillfeather" year:1937..1938') == {
        "ferry-strike",
        "nationalisation-mills",
    }
    assert found('person:"Ada Quillfeather" place:Saltmarsh') == {"ferry-strike"}
    assert found('person:"Ada Quillfeather" -place:Saltmarsh') == {
        "nationalisation-mills",
        "union-poem",
    }
    assert found("place:Saltmarsh", filters=Filters(section="Gardens")) == {"weather"}
    assert found("strike -organisation:POUR") >= {"union-poem"}
    assert "ferry-strike" not in found("strike -organisation:POUR")


def test_inside_or_each_entry_still_narrows_the_whole_search(mentioned):
    results = search("place:Saltmarsh OR person:Trotter")
    assert results.total == 0  # no article mentions both
    assert any("even inside OR" in notice for notice in results.notices)


def test_an_unknown_name_finds_nothing_and_says_so(mentioned):
    results = search("strike person:Nobodyatall")
    assert results.total == 0
    assert results.notices == [
        "No person called “Nobodyatall” is in the archive’s index of names, so nothing was found."
    ]
    # a person is not a place; an excluded unknown name leaves the search as it was
    assert found("place:Quillfeather") == set()
    assert found("strike -person:Nobodyatall") == found("strike")
    # an entry no article mentions: no result, no error
    assert found('person:"Nobody Mentioned"') == set()


@pytest.mark.parametrize(
    "q",
    [
        "person:",
        "person:***",
        'person:"',
        "place:'",
        "organisation:()",
        "person:%00",
        "person:x" * 200,
    ],
)
def test_odd_values_never_fail(mentioned, q):
    results = search(q)  # (no error) and no entry is named by any of them: nothing found
    assert results.total == 0 and not results.hits


def test_the_search_page_lists_what_an_entry_page_links_to(client, mentioned):
    response = client.get("/search/", {"q": 'place:"Saltmarsh"', "sort": "oldest"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    titles = [a.get_text(" ", strip=True) for a in soup.select("li.search-hit h3 a")]
    assert titles == ["Ferry crews stop the crossing", "A fine week for the allotments"]
    unknown = client.get("/search/", {"q": "person:Nobodyatall"})
    assert unknown.status_code == 200
    assert "No person called “Nobodyatall”" in unknown.content.decode()


def test_the_advanced_form_writes_the_filters():
    written = written_query(
        {
            "all": "strike",
            "person": "Ada Quillfeather",
            "place": "Saltmarsh",
            "organisation": "P.O.U.R.",
        },
        {},
    )
    assert written.query == 'strike person:"Ada Quillfeather" place:Saltmarsh organisation:P.O.U.R.'


def test_the_search_api_takes_the_filters_too(client, mentioned):
    answer = client.get("/api/search", {"q": "place:Saltmarsh", "sort": "oldest"}).json()
    assert [r["title"] for r in answer["results"]] == [
        "Ferry crews stop the crossing",
        "A fine week for the allotments",
    ]
    unknown = client.get("/api/search", {"q": "organisation:Nowhere"})
    assert unknown.status_code == 200
    assert unknown.json()["total"] == 0
    assert unknown.json()["notices"] == [
        "No organisation called “Nowhere” is in the archive’s index of names, so nothing was found."
    ]


def test_a_search_for_an_entry_alone_shows_the_sentence_around_the_mention(client, mentioned):
    from backfile.authority.models import Mention

    Mention.objects.filter(article__key="weather", entry__name="Saltmarsh").update(
        sentence="Beans grow well on the Salt Marsh & its dykes."
    )
    snippets = {hit.article.key: str(hit.snippet) for hit in search('place:"salt marsh"').hits}
    assert snippets["weather"] == "Beans grow well on the <mark>Salt Marsh</mark> &amp; its dykes."
    assert "Salt Marsh" not in snippets["ferry-strike"]  # no sentence stored: its opening
    with_words = {hit.article.key: str(hit.snippet) for hit in search("beans place:Saltmarsh").hits}
    assert "<mark>beans</mark>" in with_words["weather"].lower()  # the words' snippet, as ever
