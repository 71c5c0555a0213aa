"""The search page's one box and facets, the advanced search form, and searching one issue
or one publication from its page: through the Django client and a real index."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from backfile.archive.models import Article, Publication
from tests.search.conftest import record

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def search_landmarks(soup: BeautifulSoup) -> list[str]:
    return [form.get("aria-label", "") for form in soup.select('[role="search"]')]


def test_the_search_page_has_one_search_box_and_it_holds_the_query(client, archive):
    soup = soup_of(client.get("/search/", {"q": "strike"}))
    assert search_landmarks(soup) == ["Search the archive"]
    assert [i["value"] for i in soup.select('input[name="q"]')] == ["strike"]
    assert soup.select_one(".search-form button").get_text() == "Search"


def test_every_search_landmark_of_a_page_has_a_name_of_its_own(client, archive):
    article = Article.objects.get(key="ferry-strike")
    for address in ("/", article.issue.get_absolute_url(), article.publication.get_absolute_url()):
        names = search_landmarks(soup_of(client.get(address)))
        assert names and all(names) and len(set(names)) == len(names), (address, names)


def test_facets_come_before_the_results_in_a_disclosure(client, archive):
    soup = soup_of(client.get("/search/", {"q": "strike"}))
    layout = soup.select_one(".search-layout")
    facets, results = layout.find_all(recursive=False)
    assert "search-facets" in facets["class"] and "search-results" in results["class"]
    disclosure = facets.select_one("details")
    assert disclosure.summary.get_text() == "Narrow the results"
    assert not disclosure.has_attr("open")  # closed on a narrow screen; the CSS opens it wide
    sections = [h.get_text() for h in disclosure.select(".search-facet h2")]
    assert sections[:2] == ["Publication", "Decade"]


def test_a_phrase_search_shows_the_phrase_in_its_snippet(client, store):
    filler = " ".join(["The branch heard the reports of its delegates."] * 6)
    store(
        record(
            "classes",
            "Who keeps the mills",
            f"The middle class worked on. {filler} The working class keeps the mills.",
        )
    )
    soup = soup_of(client.get("/search/", {"q": '"working class"'}))
    snippet = soup.select_one(".search-snippet")
    assert [m.get_text() for m in snippet.select("mark")] == ["working class"]
    assert "middle" not in snippet.get_text()


# ---- the advanced search ---------------------------------------------------------------------


def test_the_advanced_form_asks_for_each_part_of_a_search(client, archive):
    soup = soup_of(client.get("/search/advanced/"))
    labels = [label.get_text() for label in soup.select("form.advanced-search label")]
    assert labels == [
        "All these words",
        "Any of these words",
        "This exact phrase",
        "None of these words",
        "Author",
        "Section",
        "Publication",
        "Person",
        "Place",
        "Organisation",
        "From",
        "To",
    ]
    options = [o.get_text() for o in soup.select("select[name=publication] option")]
    assert options == ["Any publication", "The Lamplighter", "The Night Signal"]
    link = soup_of(client.get("/search/")).select_one("a.search-form__advanced")
    assert link["href"] == "/search/advanced/"


def test_the_advanced_form_writes_the_search_and_shows_it_in_the_box(client, archive):
    answers = {
        "all": "strike",
        "any": "ferry union",
        "phrase": "held all week",
        "none": "marrows",
        "author": "Ada Quillfeather",
        "section": "Industry",
        "publication": "the-lamplighter",
        "from": "1937-05",
        "to": "1937-9",
    }
    response = client.get("/search/advanced/", answers)
    assert response.status_code == 302
    q = parse_qs(urlparse(response["Location"]).query)["q"][0]
    assert q == (
        'strike (ferry OR union) "held all week" -marrows author:"Ada Quillfeather" '
        'section:Industry publication:"The Lamplighter" date:1937-05..1937-09'
    )
    soup = soup_of(client.get(response["Location"]))
    assert soup.select_one("#search-q")["value"] == q
    assert [h.get_text() for h in soup.select(".search-hit h3")] == [
        "Ferry crews stop the crossing"
    ]


def test_years_alone_are_written_as_a_year_range_and_one_end_may_be_open(client, archive):
    response = client.get("/search/advanced/", {"all": "strike", "from": "1930", "to": "1939"})
    assert parse_qs(urlparse(response["Location"]).query)["q"] == ["strike year:1930..1939"]
    response = client.get("/search/advanced/", {"all": "strike", "from": "1950"})
    assert parse_qs(urlparse(response["Location"]).query)["q"] == ["strike year:1950..2005"]


@pytest.mark.parametrize(
    ("answers", "written"),
    [
        ({"from": "2010"}, "year:2010"),
        ({"from": "2010-05"}, "date:2010-05..2010"),
        ({"to": "1920"}, "year:1920"),
        ({"to": "1920-05"}, "date:1920..1920-05"),
    ],
)
def test_an_open_end_beyond_the_archive_finds_nothing_outside_the_range(
    client, archive, answers, written
):
    """The archive runs from 1931 to 2005: from 2010 on, or up to 1920, is no year of it
    (not `year:2010..2005`, read as 2005 to 2010)."""
    response = client.get("/search/advanced/", {"all": "strike", **answers})
    q = parse_qs(urlparse(response["Location"]).query)["q"][0]
    assert q == f"strike {written}"
    soup = soup_of(client.get(response["Location"]))
    assert soup.select(".search-hit h3") == []


def test_what_a_reader_types_in_a_field_stays_words(client, archive):
    response = client.get("/search/advanced/", {"all": 'strike OR -union ("x', "none": "a:b"})
    q = parse_qs(urlparse(response["Location"]).query)["q"][0]
    assert q == 'strike or union x -"a:b"'


def test_a_date_the_form_cannot_read_is_named_and_the_answers_kept(client, archive):
    soup = soup_of(client.get("/search/advanced/", {"all": "strike", "from": "May 1937"}))
    alert = soup.select_one('[role="alert"]')
    assert "“May 1937” is not a date like 1937" in alert.get_text()
    assert alert.select_one("a")["href"] == "#advanced-from"
    field = soup.select_one("#advanced-from")
    assert field["value"] == "May 1937" and field["aria-invalid"] == "true"
    assert soup.select_one("#advanced-all")["value"] == "strike"


# ---- searching one issue or one publication ---------------------------------------------------


def test_an_issue_page_searches_its_own_articles(client, archive):
    issue = Article.objects.get(key="ferry-strike").issue  # September 1937: ferry-strike, weather
    form = soup_of(client.get(issue.get_absolute_url())).select_one(
        'form[aria-label="Search this issue\'s articles"]'
    )
    assert form["action"] == "/search/"
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"within": f"issue:{issue.pk}"}

    response = client.get("/search/", {**hidden, "q": "strike"})
    assert response.status_code == 302
    assert parse_qs(urlparse(response["Location"]).query) == {"q": [f"issue:{issue.pk} strike"]}
    soup = soup_of(client.get("/search/" + response["Location"]))
    assert soup.select_one("#search-q")["value"] == f"issue:{issue.pk} strike"
    titles = {h.get_text() for h in soup.select(".search-hit h3")}
    assert titles == {"Ferry crews stop the crossing", "A fine week for the allotments"}


def test_a_publication_page_searches_that_publication(client, archive):
    publication = Publication.objects.get(name="The Night Signal")
    form = soup_of(client.get(publication.get_absolute_url())).select_one(
        'form[aria-label="Search The Night Signal"]'
    )
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"publication": publication.slug}

    soup = soup_of(client.get("/search/", {**hidden, "q": "strike"}))
    assert [h.get_text() for h in soup.select(".search-hit h3")] == [
        "Organizing labor in the canneries"
    ]


@pytest.mark.parametrize(
    "answers",
    [
        {"all": "\x00", "from": "0000", "to": "9999"},
        {"any": "OR OR", "none": "-", "phrase": '"""'},
        {"from": "1937-13"},
        {"to": "1937-02-31", "from": "1938"},
        {"publication": "no-such-paper", "author": "x" * 5000},
        {"section": "((", "all": "a:b:c"},
    ],
)
def test_the_advanced_form_answers_whatever_is_typed(client, archive, answers):
    response = client.get("/search/advanced/", answers)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
