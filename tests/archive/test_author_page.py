"""An author's page: everything they wrote, newest first (or oldest), with where it ran."""

from __future__ import annotations

import pytest

from tests.archive.conftest import ISSUE_URL
from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db


def test_author_page_lists_their_articles_by_date_across_publications(client, lamplighter):
    main = one(fetch(client, "/authors/oswin-hale/?sort=oldest"), "//main")
    assert text_of(one(main, ".//h1")) == "Oswin Hale"
    items = main.xpath(".//ol/li")
    oldest_first = [
        "Maps of a Lost Province",
        "Seed Catalogues of the Year",
        "Hale on Hire Purchase",
        "The Sixties Begin",
        "Dockers Hold the Line",
    ]
    assert [text_of(one(li, ".//h2")) for li in items] == oldest_first
    newest = fetch(client, "/authors/oswin-hale/").xpath("//main//ol/li//h2")
    assert [text_of(h) for h in newest] == oldest_first[::-1][:3] + oldest_first[:2]
    first = items[0]
    assert links(first) == {
        "Book Review": "/the-lamplighter/sections/book-review/",
        "Maps of a Lost Province": ISSUE_URL + "maps-of-a-lost-province/",
        "No. 118, March 1954": ISSUE_URL,
    }
    assert "The Lamplighter" in text_of(first)
    assert one(first, ".//time").get("datetime") == "1954-03"
    assert "The Tideway" in text_of(items[-1])


def test_author_is_one_person_however_the_byline_spells_the_name(client, lamplighter):
    from backfile.ingest.loader import load
    from tests.archive.conftest import APRIL_1954, article

    load([article("On Spelling", APRIL_1954, position=2, authors=["OSWIN  HALE"])])
    titles = [text_of(h) for h in fetch(client, "/authors/oswin-hale/").xpath("//main//ol//h2")]
    assert "On Spelling" in titles


def test_author_page_queries_are_bounded(client, lamplighter, django_assert_max_num_queries):
    # the author, the count, the page of articles; the archive's name (og:site_name); the
    # generation (page cache)
    with django_assert_max_num_queries(5):
        fetch(client, "/authors/oswin-hale/")
