"""The authority file's pages: people, places and organisations A–Z, an entry's page with
the articles that mention it, and the article page's "Mentioned in this article"; through
HTTP, on the invented Lamplighter archive with entries and mentions stored directly."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backfile.archive.models import Article
from backfile.authority.models import Entry
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.archive.conftest import REVIEW_URL, article
from tests.archive.pages import fetch, links, one, text_of
from tests.authority.factories import entry, mention

pytestmark = pytest.mark.django_db


def titled(title: str) -> Article:
    return Article.objects.get(title=title)


def names_listed(document) -> dict[str, str]:
    return {
        text_of(one(li, "./a")): text_of(one(li, "./span"))
        for li in document.xpath("//main//ul[@class='index-names']/li")
    }


def facts(document) -> dict[str, str]:
    listed = one(document, "//main//dl[@class='entry-facts']")
    return {text_of(dt): text_of(dt.getnext()) for dt in listed.xpath("./dt")}


def titles_listed(document) -> list[str]:
    return [text_of(h) for h in document.xpath("//main//ol/li/h2")]


@pytest.fixture
def indexed(lamplighter):
    """People, places and an organisation, mentioned across the Lamplighter's articles; a
    place no article mentions."""
    pellow = entry("Gideon Pellow", dates="1890–1961", note="Surveyor and walker.")
    quarrier = entry("Émile Quarrier", aliases=("E. Quarrier", "Emile Quarrier"))
    bristol = entry("Bristol", "place")
    entry("Zennor", "place")  # in the file, in no article
    guild = entry("Guild of Surveyors", "organisation", aliases=("G.O.S.",))
    review = titled("Maps of a Lost Province")  # March 1954
    hire = titled("Hale on Hire Purchase")  # May 1955
    sixties = titled("The Sixties Begin")  # January 1961
    mention(review, pellow, "Mr Pellow walked every lane, and Gideon Pellow measured them.", 2)
    mention(review, bristol, "Published in Bristol by Harrow & Vane.")
    mention(review, guild, "The G.O.S. disowned the maps.")
    mention(review, quarrier, "Emile Quarrier drew the first of them.")
    mention(hire, pellow, "Rents rose where Gideon Pellow’s lanes ran.")
    mention(hire, bristol, "Bristol’s shops led the rise.")
    mention(sixties, pellow, "")
    return {"pellow": pellow, "bristol": bristol, "guild": guild, "quarrier": quarrier}


def test_people_a_to_z_lists_those_mentioned_with_their_articles_counted(client, indexed):
    index = fetch(client, "/people/")
    assert text_of(one(index, "//main//h1")) == "People A–Z"
    # the first letter with anyone mentioned: Émile files under E, folded
    assert names_listed(index) == {"Émile Quarrier": "1 article"}
    letters = links(one(index, "//nav[@aria-label='People by letter']"))
    assert letters["G"] == "/people/?letter=g"
    assert "Z" not in letters and "B" not in letters  # Bristol is a place
    g = fetch(client, letters["G"])
    assert names_listed(g) == {"Gideon Pellow": "3 articles"}
    assert links(one(g, "//main//ul[@class='index-names']")) == {
        "Gideon Pellow": "/people/gideon-pellow/"
    }


def test_places_and_organisations_list_only_what_an_article_mentions(client, indexed):
    places = fetch(client, "/places/")
    assert names_listed(places) == {"Bristol": "2 articles"}
    assert "Z" not in links(one(places, "//nav[@aria-label='Places by letter']"))
    organisations = fetch(client, "/organisations/")
    assert names_listed(organisations) == {"Guild of Surveyors": "1 article"}


def test_an_entry_page_lists_its_articles_oldest_first_with_the_name_marked(client, indexed):
    page = fetch(client, "/people/gideon-pellow/")
    assert text_of(one(page, "//main//h1")) == "Gideon Pellow"
    assert facts(page) == {
        "In the index of": "people",
        "Dates": "1890–1961",
        "Reviewed books": "Books by Gideon Pellow",  # the Lamplighter reviewed his book
    }
    assert text_of(one(page, "//main//div[@class='entry-note']")) == "Surveyor and walker."
    assert titles_listed(page) == [
        "Maps of a Lost Province",
        "Hale on Hire Purchase",
        "The Sixties Begin",
    ]
    assert text_of(one(page, "//main//p[@class='lede']")).startswith(
        "3 articles mention Gideon Pellow."
    )
    quoted = page.xpath("//main//ol/li//blockquote")
    assert [text_of(q) for q in quoted] == [
        "Mr Pellow walked every lane, and Gideon Pellow measured them.",
        "Rents rose where Gideon Pellow’s lanes ran.",
    ]  # the third article's mention has no sentence stored: none shown
    assert [text_of(m) for m in page.xpath("//main//ol/li//blockquote//mark")] == [
        "Gideon Pellow",
        "Gideon Pellow’s",
    ]
    first = one(page, "//main//ol/li[1]")
    assert links(first)["Maps of a Lost Province"] == REVIEW_URL
    assert "March 1954" in text_of(first)
    newest = fetch(client, "/people/gideon-pellow/?sort=newest")
    assert titles_listed(newest) == [
        "The Sixties Begin",
        "Hale on Hire Purchase",
        "Maps of a Lost Province",
    ]
    search = links(one(page, "//main//p[@class='lede']"))
    assert search["Search the articles that mention Gideon Pellow"] == (
        "/search/?q=person%3A%22Gideon+Pellow%22"
    )


def test_an_entry_page_shows_its_other_spellings_and_who_is_mentioned_beside_it(client, indexed):
    page = fetch(client, "/people/emile-quarrier/")
    assert facts(page)["Also written"] == "E. Quarrier, Emile Quarrier"
    marks = [text_of(m) for m in page.xpath("//main//blockquote//mark")]
    assert marks == ["Emile Quarrier"]  # an alias, marked as the name is
    beside = one(page, "//main//section[@class='entry-beside']")
    assert links(beside) == {
        "Bristol": "/places/bristol/",
        "Gideon Pellow": "/people/gideon-pellow/",
        "Guild of Surveyors": "/organisations/guild-of-surveyors/",
    }
    # most often beside Bristol: Gideon Pellow (two articles), then the review's others
    bristol = fetch(client, "/places/bristol/")
    beside = bristol.xpath("//main//section[@class='entry-beside']//li")
    assert text_of(beside[0]) == "Gideon Pellow person, 2 articles"
    assert len(beside) == 3


def test_an_initialism_is_marked_however_it_is_dotted(client, indexed):
    page = fetch(client, "/organisations/guild-of-surveyors/")
    assert [text_of(m) for m in page.xpath("//main//blockquote//mark")] == ["G.O.S."]


def test_an_entry_no_article_mentions_has_a_page_saying_so(client, indexed):
    page = fetch(client, "/places/zennor/")
    assert text_of(one(page, "//main//h1")) == "Zennor"
    assert "No article in the archive mentions Zennor yet." in text_of(one(page, "//main"))


def test_unknown_entries_and_types_are_not_found(client, indexed):
    assert client.get("/people/nobody-at-all/").status_code == 404
    assert client.get("/places/gideon-pellow/").status_code == 404  # a person, not a place


def test_odd_query_strings_redirect_to_the_canonical_page(client, indexed):
    assert client.get("/people/gideon-pellow/?sort=oldest")["Location"] == (
        "/people/gideon-pellow/"
    )
    assert client.get("/people/gideon-pellow/?page=x&sort=newest")["Location"] == (
        "/people/gideon-pellow/?sort=newest"
    )
    assert client.get("/people/gideon-pellow/?page=9")["Location"] == "/people/gideon-pellow/"
    assert client.get("/people/?letter=%00")["Location"] == "/people/"
    assert client.get("/people/?letter=G").status_code == 302


def test_an_entry_page_pages_fifty_articles_at_a_time(client, lamplighter):
    issues = [IssueRecord(year=1970 + n // 12, number=300 + n, month=n % 12 + 1) for n in range(60)]
    load([article(f"Dispatch {n + 1}", issue, position=1) for n, issue in enumerate(issues)])
    wren = entry("Wren Colley")
    for n in range(60):
        mention(titled(f"Dispatch {n + 1}"), wren, f"Wren Colley wrote dispatch {n + 1}.")
    first = fetch(client, "/people/wren-colley/")
    assert titles_listed(first) == [f"Dispatch {n}" for n in range(1, 51)]
    pager = links(one(first, "//nav[@aria-label='Pages of articles']"))
    assert pager["Next page"] == "/people/wren-colley/?page=2"
    second = fetch(client, "/people/wren-colley/?page=2")
    assert titles_listed(second) == [f"Dispatch {n}" for n in range(51, 61)]
    assert one(second, "//main//ol").get("start") == "51"
    newest = fetch(client, "/people/wren-colley/?sort=newest&page=2")
    assert titles_listed(newest) == [f"Dispatch {n}" for n in range(10, 0, -1)]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_queries_however_many_mentions(client, lamplighter):
    issues = [IssueRecord(year=1980, number=500 + n, month=n % 12 + 1) for n in range(12)]
    load([article(f"Report {n}", issue, position=1) for n, issue in enumerate(issues)])
    few, many = entry("Ada Few"), entry("Ada Many")
    others = [entry(f"Other Person {n}") for n in range(12)]
    mention(titled("Report 0"), few, "Ada Few spoke.")
    for n in range(12):
        mention(titled(f"Report {n}"), many, "Ada Many spoke.")
        for other in others[: n + 1]:
            mention(titled(f"Report {n}"), other, "")
    assert queries_for(client, "/people/ada-few/") == queries_for(client, "/people/ada-many/")
    assert queries_for(client, "/people/ada-many/") <= 8
    assert queries_for(client, "/people/") <= 6
    assert queries_for(client, "/people/?letter=o") <= 6


def test_the_article_page_lists_what_it_mentions_by_type(client, indexed):
    page = fetch(client, REVIEW_URL)
    aside = one(page, "//aside[@class='article-mentions']")
    assert text_of(one(aside, ".//h2")) == "Mentioned in this article"
    groups = {
        text_of(dt): [text_of(a) for a in dt.getnext().iter("a")] for dt in aside.xpath(".//dt")
    }
    assert groups == {
        "People": ["Émile Quarrier", "Gideon Pellow"],
        "Places": ["Bristol"],
        "Organisations": ["Guild of Surveyors"],
    }
    assert list(groups) == ["People", "Places", "Organisations"]
    assert links(aside) == {
        "Émile Quarrier": "/people/emile-quarrier/",
        "Gideon Pellow": "/people/gideon-pellow/",
        "Bristol": "/places/bristol/",
        "Guild of Surveyors": "/organisations/guild-of-surveyors/",
    }
    without = fetch(client, "/the-lamplighter/1950s/1954/no-118-march-1954/notes-from-the-canal/")
    assert not without.xpath("//aside[@class='article-mentions']")
    assert "Mentioned in this article" not in text_of(one(without, "//main"))


def test_the_article_page_costs_the_same_queries_however_many_mentions(client, lamplighter):
    rents = "/the-lamplighter/1950s/1954/no-118-march-1954/cheap-bread-and-dear-rents/"
    found = titled("Cheap Bread and Dear Rents")
    mention(found, entry("Lone Person"), "")
    one_mention = queries_for(client, rents)
    for n in range(24):
        mention(found, entry(f"Crowd {n:02}", "place" if n % 2 else "organisation"), "")
    caches["default"].clear()  # (mentions stored directly announce nothing)
    assert queries_for(client, rents) == one_mention
    caches["default"].clear()
    assert len(fetch(client, rents).xpath("//aside[@class='article-mentions']//li")) == 25


def test_stored_oddities_and_an_empty_archive_never_answer_500(client, db):
    for url in ("/people/", "/places/", "/organisations/", "/people/?letter=q&page=3"):
        assert client.get(url, follow=True).status_code == 200, url
    load([article("A Lone Article", position=1)])
    lone = titled("A Lone Article")
    odd = entry("Odd Slug", slug="odd slug!")  # no address can hold it
    strange = entry("Strange Kind", "planet")  # a type the site has no index of
    blank = entry("", letter="0", slug="blank")
    for found in (odd, strange, blank):
        mention(lone, found, "<script>alert(1)</script> Odd Slug")
    assert Entry.objects.count() == 3
    page = client.get(lone.get_absolute_url())
    assert page.status_code == 200
    assert b"<script>alert(1)" not in page.content
    people = fetch(client, "/people/")  # (Odd Slug's letter: the first)
    assert [text_of(li) for li in people.xpath("//main//ul[@class='index-names']/li")] == [
        "Odd Slug 1 article"
    ]
    assert not people.xpath("//main//ul[@class='index-names']//a")
    assert fetch(client, "/people/?letter=0").xpath("//main//ul[@class='index-names']//a")
    blank_page = client.get("/people/blank/")
    assert blank_page.status_code == 200
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; Odd Slug" in blank_page.content
    assert client.get("/planets/").status_code == 404


def test_a_persons_page_links_their_own_articles_and_reviewed_books(client, indexed):
    pellow = fetch(client, "/people/gideon-pellow/")
    assert facts(pellow)["Reviewed books"] == "Books by Gideon Pellow"
    assert links(one(pellow, "//main//dl[@class='entry-facts']")) == {
        "Books by Gideon Pellow": "/books/by/gideon-pellow/"
    }
    mention(titled("Spring Lectures"), entry("Oswin Hale"), "Oswin Hale spoke.")
    hale = fetch(client, "/people/oswin-hale/")
    assert links(one(hale, "//main//dl[@class='entry-facts']")) == {
        "Articles by Oswin Hale": "/authors/oswin-hale/"
    }
    assert "Writing" not in facts(fetch(client, "/people/emile-quarrier/"))
