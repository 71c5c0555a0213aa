"""The indexes a reader browses by: authors A–Z, sections of a publication, subjects A–Z,
and the paginated listings they lead to; all from real ingests of invented papers."""

from __future__ import annotations

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.archive.conftest import APRIL_1954, MARCH_1954, article
from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db

REVIEW = "/the-lamplighter/1950s/1954/no-118-march-1954/maps-of-a-lost-province/"


def names_listed(document) -> list[str]:
    return [text_of(a) for a in document.xpath("//main//ul[@class='index-names']/li/a")]


def counts_listed(document) -> dict[str, str]:
    return {
        text_of(one(li, "./a")): text_of(one(li, "./span"))
        for li in document.xpath("//main//ul[@class='index-names']/li")
    }


@pytest.fixture
def filed(lamplighter):
    """The Lamplighter, with writers whose names sort only when folded, subjects and a
    section label spelt two ways."""
    report = load(
        [
            article("Canal Tolls", APRIL_1954, position=2, authors=["Émile Arnaud"]),
            article("Ferry Fares", APRIL_1954, position=3, authors=["anna Brisk", "Ada Lark"]),
            article("Weirs", APRIL_1954, position=4, authors=["Edwin Moss", "Øyvind Lund"]),
            article(
                "Locks and Keepers",
                APRIL_1954,
                position=5,
                section="BOOK REVIEW",
                subjects=["Canals", "Waterways", "canals", "水路"],
                authors=["Oswin Hale"],
            ),
            article(
                "The Towpath",
                APRIL_1954,
                position=6,
                section="Letters",
                subjects=["Canals", "Book Review"],
            ),
        ]
    )
    assert report.count("failed") == 0, report.entries
    return report


def test_authors_a_to_z_fold_accents_and_case_with_counts(client, filed):
    index = fetch(client, "/authors/")
    assert text_of(one(index, "//main//h1")) == "Authors A–Z"
    # the first letter that files anyone, lower-case names among the rest
    assert names_listed(index) == ["Ada Lark", "anna Brisk"]
    letters = links(one(index, "//nav[@aria-label='Authors by letter']"))
    assert letters["E"] == "/authors/?letter=e"
    assert "B" not in letters  # nobody's name begins with B: no link to an empty page
    e = fetch(client, letters["E"])
    assert names_listed(e) == ["Edwin Moss", "Émile Arnaud"]
    assert links(one(e, "//main//ul[@class='index-names']"))["Émile Arnaud"] == (
        "/authors/emile-arnaud/"
    )
    assert names_listed(fetch(client, "/authors/?letter=o")) == ["Oswin Hale", "Øyvind Lund"]
    assert counts_listed(fetch(client, "/authors/?letter=o"))["Oswin Hale"] == "6 articles"
    assert counts_listed(fetch(client, "/authors/?letter=m"))["Martha Quill"] == "2 articles"


def test_authors_a_to_z_pages_a_crowded_letter(client, lamplighter):
    writers = [f"Tamsin Reed {n:03}" for n in range(1, 262)]
    load([article("A Crowded Symposium", APRIL_1954, position=9, authors=writers)])
    first = fetch(client, "/authors/?letter=t")
    assert names_listed(first) == writers[:250]
    pager = one(first, "//nav[@aria-label='Pages of authors']")
    assert links(pager)["Next page"] == "/authors/?letter=t&page=2"
    second = fetch(client, "/authors/?letter=t&page=2")
    assert names_listed(second) == writers[250:]
    assert text_of(one(second, "//nav[@aria-label='Pages of authors']//*[@aria-current]")) == (
        "Page 2"
    )


def test_author_page_pages_fifty_articles_at_a_time_either_way(client, lamplighter):
    issues = [IssueRecord(year=1970 + n // 12, number=300 + n, month=n % 12 + 1) for n in range(60)]
    load(
        [
            article(f"Dispatch {n + 1}", issue, position=1, authors=["Wren Colley"])
            for n, issue in enumerate(issues)
        ]
    )
    newest = fetch(client, "/authors/wren-colley/")
    titles = [text_of(h) for h in newest.xpath("//main//ol/li//h2")]
    assert titles == [f"Dispatch {n}" for n in range(60, 10, -1)]
    assert "60 articles in the archive; 1–50 shown" in text_of(
        one(newest, "//main//p[@class='lede']")
    )
    assert links(one(newest, "//nav[@aria-label='Pages of articles']"))["Page 2"] == (
        "/authors/wren-colley/?page=2"
    )
    rest = fetch(client, "/authors/wren-colley/?page=2")
    assert [text_of(h) for h in rest.xpath("//main//ol/li//h2")] == [
        f"Dispatch {n}" for n in range(10, 0, -1)
    ]
    assert one(rest, "//main//ol").get("start") == "51"
    past_the_end = client.get("/authors/wren-colley/?sort=oldest&page=9")
    assert past_the_end["Location"] == "/authors/wren-colley/?sort=oldest&page=2"
    oldest = fetch(client, "/authors/wren-colley/?sort=oldest&page=2")
    assert [text_of(h) for h in oldest.xpath("//main//ol/li//h2")] == [
        f"Dispatch {n}" for n in range(51, 61)
    ]
    assert links(one(oldest, "//nav[@aria-label='Pages of articles']"))["Previous page"] == (
        "/authors/wren-colley/?sort=oldest"
    )
    assert links(one(newest, "//p[@class='index-sort']")) == {
        "Oldest first": "/authors/wren-colley/?sort=oldest"
    }


def test_author_page_links_its_feed(client, lamplighter):
    page = fetch(client, "/authors/oswin-hale/")
    feed = one(page, "//head/link[@rel='alternate'][contains(@title, 'Oswin Hale')]")
    assert feed.get("type") == "application/atom+xml"
    assert client.get(feed.get("href")).status_code == 200
    assert links(one(page, "//main//p[@class='lede']"))["Feed of Oswin Hale’s articles"] == (
        feed.get("href")
    )


@pytest.mark.parametrize(
    ("asked", "lands_on"),
    [
        ("?page=99", "/authors/oswin-hale/"),  # one page: its last is its first
        ("?page=0", "/authors/oswin-hale/"),
        ("?page=two", "/authors/oswin-hale/"),
        ("?page=1", "/authors/oswin-hale/"),
        ("?sort=newest", "/authors/oswin-hale/"),
        ("?sort=sideways", "/authors/oswin-hale/"),
        ("?page=1&sort=oldest", "/authors/oswin-hale/?sort=oldest"),
        ("?utm_source=x&sort=oldest", "/authors/oswin-hale/?sort=oldest"),
        ("?page=99999999999999999999", "/authors/oswin-hale/"),
    ],
)
def test_odd_query_strings_redirect_to_the_page_they_mean(client, lamplighter, asked, lands_on):
    response = client.get("/authors/oswin-hale/" + asked)
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert client.get(lands_on).status_code == 200


def test_a_page_past_the_end_lands_on_the_last(client, filed):
    response = client.get("/authors/?letter=o&page=7")
    assert (response.status_code, response["Location"]) == (302, "/authors/?letter=o")
    response = client.get("/authors/?letter=E")
    assert (response.status_code, response["Location"]) == (302, "/authors/?letter=e")
    response = client.get("/authors/?letter=%C3%A9")
    assert (response.status_code, response["Location"]) == (302, "/authors/")


def test_sections_of_a_publication_with_counts(client, filed):
    page = fetch(client, "/the-lamplighter/sections/")
    assert text_of(one(page, "//main//h1")) == "Sections of The Lamplighter"
    # "Book Review" and "BOOK REVIEW" are one section (shown under one of its spellings)
    assert {name.casefold(): n for name, n in counts_listed(page).items()} == {
        "book review": "3 articles",
        "editorial": "1 article",
        "letters": "2 articles",
        "notices": "1 article",
    }
    assert links(one(page, "//main//ul[@class='index-names']"))["Letters"] == (
        "/the-lamplighter/sections/letters/"
    )
    none = fetch(client, "/the-tideway/sections/")
    assert "No article of The Tideway names its section." in text_of(one(none, "//main"))


def test_section_page_lists_its_articles_newest_first_with_bylines(client, filed):
    page = fetch(client, "/the-lamplighter/sections/book-review/")
    items = page.xpath("//main//ol/li")
    assert [text_of(one(li, ".//h2")) for li in items] == [
        "Locks and Keepers",
        "Maps of a Lost Province",
        "Seed Catalogues of the Year",
    ]
    assert "By Oswin Hale and Martha Quill" in text_of(items[1])
    assert "/the-lamplighter/sections/book-review/" not in links(items[1]).values()  # (here)
    oldest = fetch(client, "/the-lamplighter/sections/book-review/?sort=oldest")
    assert text_of(oldest.xpath("//main//ol/li//h2")[0]) == "Maps of a Lost Province"
    crumbs = links(one(page, "//nav[@aria-label='Breadcrumb']"))
    assert crumbs["Sections"] == "/the-lamplighter/sections/"


@pytest.mark.parametrize(
    "url",
    [
        "/the-lamplighter/sections/no-such-section/",
        "/no-such-paper/sections/",
        "/no-such-paper/sections/letters/",
        "/the-tideway/sections/letters/",  # another paper's section
        "/subjects/no-such-subject/",
        "/authors/no-such-writer/",
    ],
)
def test_unknown_slugs_are_not_found(client, filed, url):
    assert client.get(url).status_code == 404


def test_subjects_a_to_z_hold_categories_tags_and_section_labels(client, filed):
    page = fetch(client, "/subjects/")  # nothing under A: B, the first letter with names
    assert {name.casefold(): n for name, n in counts_listed(page).items()} == {
        "book review": "4 articles"  # 3 as their section, 1 as a subject
    }
    assert client.get("/subjects/?letter=b")["Location"] == "/subjects/"
    assert "A" not in links(one(page, "//nav[@aria-label='Subjects by letter']"))
    canals = fetch(client, "/subjects/?letter=c")
    assert counts_listed(canals) == {"Canals": "2 articles"}
    other = fetch(client, "/subjects/?letter=0")
    (label,) = names_listed(other)
    assert label == "水路"
    subject = fetch(client, links(one(other, "//main//ul[@class='index-names']"))["水路"])
    assert [text_of(h) for h in subject.xpath("//main//ol/li//h2")] == ["Locks and Keepers"]


def test_subject_page_lists_every_article_filed_under_it(client, filed):
    page = fetch(client, "/subjects/canals/")
    assert text_of(one(page, "//main//h1")) == "Canals"
    assert [text_of(h) for h in page.xpath("//main//ol/li//h2")] == [
        "Locks and Keepers",
        "The Towpath",
    ]
    assert "2 articles filed under this subject" in text_of(one(page, "//main"))


def test_article_page_links_its_section_and_subjects(client, filed):
    page = fetch(client, "/the-lamplighter/1950s/1954/no-119-april-1954/locks-and-keepers/")
    filed_under = one(page, "//div[@class='article-indexes']")
    assert links(filed_under) == {
        "BOOK REVIEW": "/the-lamplighter/sections/book-review/",
        "Canals": "/subjects/canals/",
        "Waterways": "/subjects/waterways/",
        "水路": one(filed_under, ".//a[text()='水路']").get("href"),
    }
    for href in links(filed_under).values():
        assert client.get(href).status_code == 200
    plain = fetch(client, REVIEW)
    assert links(one(plain, "//div[@class='article-indexes']")) == {
        "Book Review": "/the-lamplighter/sections/book-review/"
    }


def test_footer_leads_to_the_indexes(client, filed):
    footer = links(one(fetch(client, "/"), "//footer//nav"))
    assert footer["Authors"] == "/authors/"
    assert footer["Subjects"] == "/subjects/"


def test_a_publication_called_authors_leaves_the_index_in_place(client, filed):
    load(
        [article("Names on the Masthead", MARCH_1954, publication="Authors", authors=["Ada Lark"])]
    )
    index = fetch(client, "/authors/")
    assert text_of(one(index, "//main//h1")) == "Authors A–Z"
    # the publication has an address of its own, beside the index's
    home = fetch(client, "/authors-2/")
    assert text_of(one(home, "//main//h1")) == "Authors"
    issue = fetch(client, "/authors-2/1950s/1954/no-118-march-1954/")
    assert "Names on the Masthead" in text_of(one(issue, "//main"))


@pytest.mark.parametrize(
    ("url", "most"),
    [
        # the generation, the letters' counts (the letter's among them), its page
        ("/authors/?letter=t", 3),
        # the generation, which letters have labels, the count of the letter's, its page
        ("/subjects/?letter=c", 4),
        # the generation, the author, the count, the page, the site's name (og:site_name)
        ("/authors/oswin-hale/", 5),
        # the generation, the publication, the section's name and count, the page, bylines
        ("/the-lamplighter/sections/book-review/", 5),
        ("/the-lamplighter/sections/", 4),
        ("/subjects/canals/", 4),
    ],
)
def test_queries_stay_fixed_however_large_the_index(
    client, filed, django_assert_max_num_queries, url, most
):
    with django_assert_max_num_queries(most):
        fetch(client, url)
    writers = [f"Tamsin Reed {n:03}" for n in range(1, 301)]
    load(
        [
            article(
                f"More {n}",
                APRIL_1954,
                position=20 + n,
                section="Book Review",
                subjects=["Canals"],
                authors=writers[n::7],
            )  # fmt: skip
            for n in range(60)
        ]
    )
    with django_assert_max_num_queries(most):
        fetch(client, url)


def test_index_pages_are_cached_under_their_canonical_address(client, filed):
    assert client.get("/subjects/?letter=c")["X-Cache"] == "MISS"
    assert client.get("/subjects/?letter=c")["X-Cache"] == "HIT"
    load([article("Canal Rates", APRIL_1954, position=8, subjects=["Canals"])])
    fresh = client.get("/subjects/?letter=c")
    assert fresh["X-Cache"] == "MISS"
    assert counts_listed(fetch(client, "/subjects/?letter=c")) == {"Canals": "3 articles"}
