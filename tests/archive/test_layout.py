"""What every page shares: landmarks, one h1, a skip link, the search box, a telling title."""

from __future__ import annotations

import pytest

from tests.archive.conftest import ISSUE_URL, REVIEW_URL
from tests.archive.pages import fetch, one, text_of

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "The archive · Backfile",
    "/the-lamplighter/": "The Lamplighter · Backfile",
    "/the-lamplighter/1950s/": "The 1950s · The Lamplighter · Backfile",
    "/the-lamplighter/1950s/1954/": "1954 · The Lamplighter · Backfile",
    ISSUE_URL: "No. 118, March 1954 · The Lamplighter · Backfile",
    REVIEW_URL: "Maps of a Lost Province · No. 118, March 1954 · The Lamplighter · Backfile",
    "/authors/oswin-hale/": "Oswin Hale · Backfile",
}


@pytest.mark.parametrize("url", PAGES)
def test_page_has_landmarks_one_h1_and_a_working_skip_link(client, lamplighter, url):
    page = fetch(client, url)
    assert page.get("lang") == "en"
    assert text_of(one(page, "//title")) == PAGES[url]
    assert len(page.xpath("//h1")) == 1
    assert len(page.xpath("//main//h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.xpath(f"//body//{landmark}"), f"no <{landmark}> on {url}"
    skip = page.xpath("//body//a")[0]
    assert text_of(skip) == "Skip to main content"
    assert one(page, f"//*[@id='{skip.get('href').lstrip('#')}']").tag == "main"


@pytest.mark.parametrize("url", PAGES)
def test_page_has_the_search_box(client, lamplighter, url):
    form = one(fetch(client, url), "//header[@class='site-header']//form[@role='search']")
    assert (form.get("action"), form.get("method")) == ("/search/", "get")
    field = one(form, ".//input[@name='q']")
    assert field.get("type") == "search"
    label = one(form, f".//label[@for='{field.get('id')}']")
    assert text_of(label) == "Search the archive"


def test_stylesheet_is_served(client, lamplighter):
    href = fetch(client, "/").xpath("//link[@rel='stylesheet']")[0].get("href")  # the site's
    response = client.get(href)
    assert response.status_code == 200
    css = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"prefers-color-scheme: dark" in css
