"""In Chromium: a search in an archive with printed pages shows the best pages beside the
articles and a tab of all the pages; axe-core finds no violation on either, and a page
result leads to its page view carrying the query."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from backfile.ingest.loader import load
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.helpers.axe import require_axe, violations
from tests.search.conftest import ARCHIVE
from tests.search.test_page_search import COURIER_PAGES, issue, store_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_page_results_are_accessible_and_lead_to_the_page(live_server, browser_page):  # noqa: F811
    require_axe()
    load(ARCHIVE)
    courier = issue("The Evening Courier", "the-evening-courier", 1916, 3, 4, number=12)
    store_pages(courier, COURIER_PAGES)
    page = browser_page

    page.goto(f"{live_server.url}/search/?q=strike")
    preview = page.get_by_role("region", name="On printed pages: 1 page")
    assert preview.get_by_role("link", name="No. 12, 4 March 1916, page 2").count() == 1
    assert violations(page) == []

    page.get_by_role("navigation", name="Search in").get_by_role("link", name="Pages (1)").click()
    page.wait_for_url("**kind=pages**")
    assert page.get_by_role("heading", name="1–1 of 1 result").count() == 1
    assert violations(page) == []
    result = page.locator(".search-hits").get_by_role("link", name="No. 12, 4 March 1916, page 2")
    address = urlparse(result.get_attribute("href"))
    assert address.path == f"{courier.get_absolute_url()}page/2/"
    assert parse_qs(address.query)["q"] == ["strike"]
