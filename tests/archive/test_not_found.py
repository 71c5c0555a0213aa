"""Unknown paths get a proper 404 page in the site's own layout, with ways back in."""

from __future__ import annotations

import pytest

from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/no/such/place/at/all/here/",
        "/the-lamplighter/1950s/1959/",
        "/the-lamplighter/1960s/1954/no-118-march-1954/",
        "/the-lamplighter/1950s/1954/no-118-march-1954/not-an-article/",
    ],
)
def test_not_found_page_keeps_the_layout_and_offers_ways_back(client, lamplighter, url):
    page = fetch(client, url, status=404)
    assert text_of(one(page, "//h1")) == "Page not found"
    assert text_of(one(page, "//title")) == "Page not found · Backfile"
    one(page, "//form[@role='search']")
    assert one(page, "//main").get("id") == "main"
    main = one(page, "//main")
    assert url in text_of(main)
    assert links(main)["The home page"] == "/"
    assert links(main)["The Lamplighter"] == "/the-lamplighter/"
    assert links(main)["The Tideway"] == "/the-tideway/"


def test_not_found_path_cannot_inject_markup(client, db):
    page = fetch(client, "/%3Cb%3Ebold%3C/b%3E/", status=404)
    assert not page.xpath("//main//b")
    assert "bold" in text_of(page.xpath("//main//code")[0])


def test_server_error_page_renders_without_a_request_or_database():
    from django.template.loader import render_to_string
    from lxml import html

    page = html.fromstring(render_to_string("500.html"))
    assert text_of(one(page, "//h1")) == "Something went wrong"
    assert one(page, "//main").get("id") == "main"
    assert links(one(page, "//main")) == {"the home page": "/"}
