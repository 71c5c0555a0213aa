"""A reader's journey through the archive in Chromium, as a newcomer would make it:

home → publication → the year's calendar → an issue → an article → the next article
across the issue's edge → its author → advanced search → a result with its hits marked →
a reply refused, then posted.

Each stop is found by what a reader sees (link names, labels), not by the site's
internals, and each is saved as screens at 1280 and 390 px, light and dark
(tests/helpers/screens.py: BACKFILE_ARTEFACTS, default test-artefacts/).
"""

from __future__ import annotations

import re

import pytest

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import Block
from backfile.replies.models import Reply
from backfile.search.index import reindex
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.helpers.invented_archive import SALTINGS, SALTINGS_ISSUES, WEIR, WEIR_ISSUES, article
from tests.helpers.screens import save_screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DREDGER_TEXT = (
    "The dredger returns to the east channel on Monday, and the harbour board expects "
    "the bar to be cleared by the spring tides. Pilots have asked for a second buoy."
)


def journey_archive() -> None:
    """Two invented papers; Saltings Weekly's two February issues are where the pager
    crosses an issue's edge, and the article after the edge holds the words searched for."""
    feb5, feb12 = SALTINGS_ISSUES
    nov, _dec, _undated = WEIR_ISSUES
    records = [
        article(WEIR, nov, "The Sluice Keepers' Ballot", position=1, authors=["Hester Marl"]),
        article(SALTINGS, feb5, "Tide Tables Revised", position=1, authors=["Jory Bligh"]),
        article(SALTINGS, feb5, "Notes from the Quay", position=2, authors=["Jory Bligh"]),
        article(
            SALTINGS,
            feb12,
            "The Dredger Returns",
            position=1,
            section="Harbour",
            authors=["Ada Penhallow"],
            blocks=[Block("paragraph", text=DREDGER_TEXT)],
        ),
        article(SALTINGS, feb12, "Mud and Money", position=2, section="Comment"),
    ]
    report = load(records)
    assert report.count("added") == len(records), report.entries
    reindex()


def follow(page, name: str, *, within: str = "body", exact: bool = False) -> None:
    """Click the link a reader would (by its accessible name) and wait for the page."""
    link = page.locator(within).get_by_role("link", name=name, exact=exact).first
    with page.expect_navigation():
        link.click()


def test_a_readers_journey_from_the_home_page_to_a_posted_reply(live_server, browser_page):  # noqa: F811
    journey_archive()
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).count() == 1
    save_screens(page, "journey-01-home")

    follow(page, SALTINGS, within="main")
    assert page.get_by_role("heading", level=1).inner_text() == SALTINGS
    save_screens(page, "journey-02-publication")

    follow(page, re.compile(r"^1949: 2 issues$"))  # the holdings table's count for 1949
    assert page.url.endswith("/saltings-weekly/1940s/1949/")
    calendar = page.get_by_role("table", name=re.compile("February 1949"))
    assert calendar.get_by_role("link").count() == 2, "the 5th and the 12th are issue days"
    save_screens(page, "journey-03-year-calendar")

    with page.expect_navigation():
        calendar.get_by_role("link", name=re.compile(r"^5: No\. 7")).click()
    assert "No. 7, 5 February 1949" in page.get_by_role("heading", level=1).inner_text()
    save_screens(page, "journey-04-issue")

    follow(page, "Notes from the Quay", within="main")  # the issue's last article
    assert page.get_by_role("heading", level=1).inner_text() == "Notes from the Quay"
    save_screens(page, "journey-05-article")

    pager = page.get_by_role("navigation", name="Previous and next article")
    crossing = pager.get_by_role("link", name=re.compile("Next issue, No. 8"))
    assert "The Dredger Returns" in crossing.inner_text()
    with page.expect_navigation():
        crossing.click()
    assert page.get_by_role("heading", level=1).inner_text() == "The Dredger Returns"
    save_screens(page, "journey-06-next-across-the-edge")

    follow(page, "Ada Penhallow", within="article")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Penhallow"
    assert page.get_by_role("link", name="The Dredger Returns").count() == 1
    save_screens(page, "journey-07-author")

    follow(page, "Search", within="footer", exact=True)
    follow(page, "Advanced search", within="main")
    page.get_by_label("This exact phrase").fill("east channel")
    page.get_by_label("Publication").select_option(label=SALTINGS)
    save_screens(page, "journey-08-advanced-search")
    with page.expect_navigation():
        page.get_by_role("search", name="Advanced search").get_by_role(
            "button", name="Search"
        ).click()
    written = page.get_by_role("searchbox").input_value()
    assert '"east channel"' in written, "the form writes the query language and shows it"
    hits = page.locator(".search-hit")
    assert hits.count() == 1
    assert hits.first.locator(".search-snippet mark").first.inner_text().lower() == (
        "east channel"
    ), "the snippet marks the phrase"
    save_screens(page, "journey-09-search-results")

    follow(page, "The Dredger Returns", within=".search-hit")
    marks = page.locator(".article-body mark")
    assert marks.count() >= 1 and "east channel" in marks.first.inner_text().lower()
    save_screens(page, "journey-10-result-with-hits-marked")

    dredger = Article.objects.get(title="The Dredger Returns")
    article_url = f"{live_server.url}{dredger.get_absolute_url()}"
    page.goto(article_url)
    links = " ".join(f"https://quay.example/{n}" for n in range(5))
    page.fill("#reply-name", "Morwenna Trewin")
    page.fill("#reply-text", f"Photographs of the dredger: {links}")
    with page.expect_navigation():
        page.click("#leave-a-reply button[type=submit]")
    assert page.url == f"{article_url}#reply-errors"
    summary = page.get_by_role("alert")
    assert "links or fewer" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "reply-errors"
    assert page.input_value("#reply-text").startswith("Photographs of the dredger")
    save_screens(page, "journey-11-reply-refused")

    page.fill("#reply-text", "My grandfather crewed the dredger in the winter of 1949.")
    with page.expect_navigation():
        page.click("#leave-a-reply button[type=submit]")
    assert "held for moderation" in page.inner_text("#leave-a-reply")
    reply = Reply.objects.get()
    assert reply.article == dredger and reply.status == Reply.Status.PENDING
    save_screens(page, "journey-12-reply-posted")
