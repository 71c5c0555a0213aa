"""Browsing down the back run: home › publication › decade › year › issue."""

from __future__ import annotations

import pytest

from tests.archive.conftest import ISSUE_URL
from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db


def test_home_lists_each_publication_with_its_decades(client, lamplighter):
    page = fetch(client, "/")
    main = one(page, "//main")
    assert links(main)["The Lamplighter"] == "/the-lamplighter/"
    assert links(main)["The Tideway"] == "/the-tideway/"
    decades = [text_of(a) for a in main.xpath(".//ul[@aria-label='Decades of The Lamplighter']//a")]
    assert decades == ["1950s", "1960s"]


def test_home_explains_an_empty_archive(client, db):
    page = fetch(client, "/")
    assert "nothing has been ingested yet" in text_of(one(page, "//main"))


def test_publication_holds_its_decades_with_issue_counts(client, lamplighter):
    main = one(fetch(client, "/the-lamplighter/"), "//main")
    rows = {
        text_of(row.xpath("./th")[0]): [text_of(cell) for cell in row.xpath("./td")]
        for row in main.xpath(".//table[@class='holdings']/tbody/tr")
    }
    assert rows == {
        "1950s": ["", "", "", "", "2", "1", "", "", "", "", "3"],
        "1960s": ["", "1", "", "", "", "", "", "", "", "", "1"],
    }
    assert links(main)["1950s"] == "/the-lamplighter/1950s/"
    assert links(main)["1960s"] == "/the-lamplighter/1960s/"


def test_decade_lists_its_years(client, lamplighter):
    main = one(fetch(client, "/the-lamplighter/1950s/"), "//main")
    assert links(main) == {
        "1954": "/the-lamplighter/1950s/1954/",
        "1955": "/the-lamplighter/1950s/1955/",
    }
    assert "2 issues" in text_of(main)


def test_year_lists_its_issues_in_order(client, lamplighter):
    page = fetch(client, "/the-lamplighter/1950s/1954/")
    main = one(page, "//main//section[@class='year-calendar']")
    assert list(links(main).items()) == [
        ("No. 118, March 1954", ISSUE_URL),
        ("No. 119, April 1954", "/the-lamplighter/1950s/1954/no-119-april-1954/"),
    ]
    assert "4 articles" in text_of(main)


def test_issue_contents_are_grouped_by_section_in_page_order(client, lamplighter):
    main = one(fetch(client, ISSUE_URL), "//main")
    sections = [
        (text_of(s.xpath(".//h2")[0]), [text_of(h) for h in s.xpath(".//h3")])
        for s in main.xpath(".//section")
    ]
    assert sections == [
        ("Editorial", ["Cheap Bread and Dear Rents"]),
        ("Book Review", ["Maps of a Lost Province", "Seed Catalogues of the Year"]),
        ("Letters", ["Notes from the Canal"]),
    ]


def test_issue_contents_show_kicker_summary_writers_and_pages(client, lamplighter):
    page = fetch(client, ISSUE_URL)
    item = one(page, "//li[.//a[.='Maps of a Lost Province']]")
    assert text_of(one(item, ".//p[@class='kicker']")) == "Surveying the vanished county"
    assert text_of(one(item, ".//p[@class='summary']")) == "A history of the county maps, reviewed."
    assert links(item) == {
        "Maps of a Lost Province": ISSUE_URL + "maps-of-a-lost-province/",
        "Oswin Hale": "/authors/oswin-hale/",
        "Martha Quill": "/authors/martha-quill/",
    }
    assert "pp. 6–7" in text_of(item)
    assert one(page, "//time").get("datetime") == "1954-03"


def test_every_link_down_the_archive_opens(client, lamplighter):
    """Walk from the home page to every article by links alone."""
    seen, queue = set(), ["/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        main = one(fetch(client, url), "//main")
        queue.extend(
            href
            for href in links(main).values()
            if href and href.startswith("/the-") and href.count("/") > url.count("/")
        )
    articles = {url for url in seen if url.count("/") == 6}
    assert len(articles) == 8


def test_weekly_issue_is_dated_to_the_day(client, lamplighter):
    page = fetch(client, "/the-tideway/2000s/2003/no-455-july-4-2003/")
    assert text_of(one(page, "//h1")) == "No. 455, 4 July 2003"
    assert one(page, "//main//time").get("datetime") == "2003-07-04"


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-paper/",
        "/the-lamplighter/1970s/",
        "/the-lamplighter/1960s/1954/",
        "/the-lamplighter/1950s/1957/",
        "/the-lamplighter/1960s/1954/no-118-march-1954/",
        "/the-lamplighter/1950s/1955/no-118-march-1954/",
        "/the-tideway/1950s/1954/no-118-march-1954/",
        "/the-lamplighter/1950s/1954/no-118-march-1954/no-such-article/",
        "/the-lamplighter/1950s/1954/no-119-april-1954/maps-of-a-lost-province/",
        "/the-lamplighter/1954/",
        "/authors/nobody-at-all/",
    ],
)
def test_paths_the_archive_does_not_hold_are_not_found(client, lamplighter, url):
    fetch(client, url, status=404)


def test_issue_page_queries_do_not_grow_with_its_contents(
    client, lamplighter, django_assert_max_num_queries
):
    from backfile.ingest.loader import load
    from tests.archive.conftest import MARCH_1954, article

    load(
        article(f"Filler {n}", MARCH_1954, section="Notes", position=10 + n, authors=[f"W{n}"])
        for n in range(20)
    )
    # 3 for the page, 2 for the previous and next issue, 1 for the previous and next year,
    # 1 for the reply counts of all its articles, 1 for its printed pages (none here), 1 for
    # the archive's generation (what the page cache and the ETag are keyed on).
    with django_assert_max_num_queries(9):
        page = fetch(client, ISSUE_URL)
    assert len(page.xpath("//main//li[contains(@class, 'contents__item')]")) == 24


def test_unplaced_articles_follow_the_placed_ones(client, lamplighter):
    from backfile.ingest.loader import load
    from tests.archive.conftest import MARCH_1954, article

    load([article("Found in a Drawer", MARCH_1954, section="Letters")])
    titles = [text_of(h) for h in fetch(client, ISSUE_URL).xpath("//main//li//h3")]
    assert titles[-2:] == ["Notes from the Canal", "Found in a Drawer"]
