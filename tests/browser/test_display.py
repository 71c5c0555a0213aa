"""In Chromium: the reader's display choices (colours, text size) work without scripts, are
remembered with them, leave the device's preference alone until a choice is made, and pass
axe-core (WCAG 2.2 AA: contrast and target size included) in light and dark.

The header's "Display" disclosure (archive/_display.html) holds two radio groups; site.css
switches its colour variables and the root's size by :has(), and archive/display.js only
stores the choice in localStorage and checks it again on the next page."""

from __future__ import annotations

import json

import pytest

from backfile.search.index import reindex
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import skip_unless
from tests.helpers import axe
from tests.helpers.axe import AXE, WCAG22
from tests.replies.helpers import reply_form_data, stored_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHT_PAPER, DARK_PAPER = "rgb(253, 252, 248)", "rgb(23, 22, 26)"
PAPER = "() => getComputedStyle(document.body).backgroundColor"
ROOT_SIZE = "() => getComputedStyle(document.documentElement).fontSize"


def choose(page, label: str) -> None:
    """Open the Display controls (if closed) and pick `label`, as a reader clicks it."""
    if not page.evaluate("document.querySelector('.display-controls').open"):
        page.click(".display-controls summary")
    page.click(f".display-controls label:text-is('{label}')")


def open_page(browser, url: str, scripts: bool = True, scheme: str = "light"):
    context = browser.new_context(java_script_enabled=scripts, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    return page


def test_colours_and_text_size_change_without_scripts(live_server, browser_page):  # noqa: F811
    article = stored_article()
    page = open_page(
        browser_page.context.browser,
        f"{live_server.url}{article.get_absolute_url()}",
        scripts=False,
    )
    assert page.evaluate(PAPER) == LIGHT_PAPER and page.evaluate(ROOT_SIZE) == "16px"
    choose(page, "Dark")
    assert page.evaluate(PAPER) == DARK_PAPER
    choose(page, "Larger")
    assert page.evaluate(ROOT_SIZE) == "20px"
    choose(page, "Light")
    choose(page, "Large")
    assert page.evaluate(PAPER) == LIGHT_PAPER and page.evaluate(ROOT_SIZE) == "18px"


def test_a_dark_device_is_followed_until_the_reader_chooses(live_server, browser_page):  # noqa: F811
    article = stored_article()
    url = f"{live_server.url}{article.get_absolute_url()}"
    page = open_page(browser_page.context.browser, url, scripts=False, scheme="dark")
    assert page.evaluate(PAPER) == DARK_PAPER, "no choice: the device's dark"
    choose(page, "Light")
    assert page.evaluate(PAPER) == LIGHT_PAPER
    choose(page, "As my device")
    assert page.evaluate(PAPER) == DARK_PAPER


def test_with_scripts_the_choice_is_remembered_on_the_next_page(live_server, browser_page):  # noqa: F811
    article = stored_article()
    other = stored_article(key="bus-fares", title="Bus Fares Up Again")
    page = open_page(browser_page.context.browser, f"{live_server.url}{article.get_absolute_url()}")
    choose(page, "Dark")
    choose(page, "Larger")
    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    assert page.evaluate(PAPER) == DARK_PAPER
    assert page.evaluate(ROOT_SIZE) == "20px"
    assert page.is_checked("#display-theme-dark") and page.is_checked("#display-size-larger")
    page.goto(f"{live_server.url}/")
    assert page.evaluate(PAPER) == DARK_PAPER, "on every page"


def violations(page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations of WCAG 2.2 AA (or of `rules` only) on the page."""
    only = {"runOnly": {"type": "rule", "values": rules}} if rules else WCAG22
    return axe.violations(page, only)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_controls_and_a_refused_reply_pass_axe(live_server, browser_page, scheme):  # noqa: F811
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    article = stored_article()
    stored_article(key="bus-fares", title="Bus Fares Up Again")  # the pager shows
    url = f"{live_server.url}{article.get_absolute_url()}"
    page = open_page(browser_page.context.browser, url, scheme=scheme)
    assert page.locator(".issue-pager a").count() == 1
    page.click(".display-controls summary")
    assert violations(page) == []
    data = reply_form_data(text=" ".join(f"https://a.example/{n}" for n in range(5)))
    page.fill("#reply-name", data["name"])
    page.fill("#reply-text", data["text"])
    with page.expect_navigation():
        page.click("#leave-a-reply button[type=submit]")
    assert page.locator("#reply-errors").is_visible()
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlighted_titles_and_the_result_pager_pass_axe(live_server, browser_page, scheme):  # noqa: F811
    """Search hits marked in titles keep their contrast; the page numbers are large enough."""
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    for n in range(45):
        stored_article(key=f"strike-{n}", title=f"The Strike, Day {n + 1}")
    reindex()  # drops rows an earlier test's articles left (a flush leaves SQLite's FTS tables)
    page = open_page(
        browser_page.context.browser, f"{live_server.url}/search/?q=strike", scheme=scheme
    )
    assert page.locator(".search-pages a").count() >= 2, "more than one page of results"
    assert page.locator("h3 mark, h2 mark").count() > 0, "hits are marked in titles"
    found = violations(page, ["color-contrast", "target-size"])
    assert found == [], json.dumps(found, indent=1)
