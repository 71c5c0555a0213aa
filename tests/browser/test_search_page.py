"""In Chromium: the search page at a desktop's and a phone's width. The facets sit beside
the results, open, on a wide screen, and above them, closed, on a narrow one; facet names
wrap between words only; the page and the advanced form have no axe-core violation."""

from __future__ import annotations

import pytest

from backfile.ingest.loader import load
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import skip_unless
from tests.helpers.axe import AXE, violations
from tests.search.conftest import ARCHIVE, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_SECTION = "International News and Correspondence from Abroad"
# Each facet link: whether any word of it was split between lines (a word's pieces would
# have two boxes), and the link's own width.
BROKEN_WORDS = """() => [...document.querySelectorAll('.search-facet a')].filter((link) => {
  const text = link.firstChild, words = [...text.data.matchAll(/\\S+/g)];
  return words.some((w) => {
    const range = document.createRange();
    range.setStart(text, w.index);
    range.setEnd(text, w.index + w[0].length);
    return range.getClientRects().length > 1;
  });
}).map((link) => link.textContent)"""


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_facets_beside_the_results_wide_and_above_them_closed_narrow(live_server, browser_page):  # noqa: F811
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    load(
        [
            *ARCHIVE,
            record("abroad", "The strike seen from abroad", "A strike.", section=LONG_SECTION),
        ]
    )
    page = browser_page

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/search/?q=strike")
    facets, results = box(page, ".search-facets"), box(page, ".search-results")
    assert facets["x"] > results["x"] + results["width"] - 1  # a column to the right
    assert facets["width"] >= 200
    assert page.get_by_role("link", name=LONG_SECTION).is_visible()
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.get_by_role("search").count() == 1
    assert violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    facets, results = box(page, ".search-facets"), box(page, ".search-results")
    assert facets["y"] + facets["height"] <= results["y"]  # before the results
    assert not page.get_by_role("link", name=LONG_SECTION).is_visible()
    page.get_by_text("Narrow the results").click()
    assert page.get_by_role("link", name=LONG_SECTION).is_visible()
    assert page.evaluate(BROKEN_WORDS) == []
    assert violations(page) == []


def test_the_advanced_form_is_accessible_and_leads_to_the_written_search(live_server, browser_page):  # noqa: F811
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    load(ARCHIVE)
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    page.get_by_role("link", name="Advanced search").click()
    assert violations(page) == []
    form = page.get_by_role("search", name="Advanced search")
    form.get_by_label("This exact phrase").fill("union branch")
    form.get_by_label("Publication").select_option(label="The Lamplighter")
    form.get_by_label("From").fill("1937")
    form.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=**")
    box_value = page.get_by_role("searchbox").input_value()
    assert box_value == '"union branch" publication:"The Lamplighter" year:1937..2005'
    assert page.locator(".search-hit mark").first.inner_text() == "union branch"
    assert violations(page) == []
