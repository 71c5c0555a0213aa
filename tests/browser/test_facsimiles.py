"""In Chromium, as a reader uses the printed pages: from an issue's page, search within it,
follow a hit to the page view, where the word is boxed on the page image (OpenSeadragon on
the IIIF tiles; without JavaScript, the plain image), toggle to the text, where it is marked.
axe-core finds no violation on these pages, and the Content-Security-Policy none either.

The issue's pages are drawn here with Pillow (tests.helpers.stored_pages), so every word's box
on the image is known."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_csp import LISTEN
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.helpers.axe import require_axe, violations
from tests.helpers.stored_pages import HEIGHT, WIDTH, stored_issue, word_box
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""
# a box drawn on the plain image: its fill's box (getBoundingClientRect would add the stroke)
FILL = """(rect) => {
  const svg = rect.ownerSVGElement.getBoundingClientRect();
  const box = rect.getBBox();
  return {x: svg.x + box.x, y: svg.y + box.y, width: box.width, height: box.height};
}"""
# the zoom's hit box, once it is at `want` (its x, y, width, height in the page, 2 px either
# way): OpenSeadragon animates to its view, at the pace a busy machine allows
HIT_AT = """(want) => {
  const hit = document.querySelector("div.facsimile-hit");
  if (!hit) return false;
  const box = hit.getBoundingClientRect();
  window.__hitBox = {x: box.x, y: box.y, width: box.width, height: box.height};
  return ["x", "y", "width", "height"].every((k) => Math.abs(box[k] - want[k]) <= 2);
}"""
WIDER = """(than) => {
  const hit = document.querySelector("div.facsimile-hit");
  return hit && hit.getBoundingClientRect().width > than;
}"""


def watch_policy(page) -> list[str]:
    """CSP violations the page reports, from the console and from the DOM event."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(LISTEN)
    return found


def accessible(page, where: str) -> None:
    found = violations(page)
    assert found == [], f"{where}: {json.dumps(found, indent=1)}"


def near(a: float, b: float, tolerance: float = 2.0) -> bool:
    return abs(a - b) <= tolerance


def test_a_reader_searches_an_issue_follows_a_hit_and_reads_the_page(
    live_server,
    browser_page,  # noqa: F811
    media_folder,  # noqa: F811
):
    require_axe()
    issue = stored_issue()
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    reported = watch_policy(page)

    # the issue's page: its pages listed, a search within it
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    assert page.locator(".issue-pages__list li").count() == 3
    accessible(page, "issue page")
    page.fill("#search-within-q", "depot")
    with page.expect_navigation():
        page.click("form.facsimile-search button")
    assert page.locator(".facsimile-results > li").count() == 1
    assert page.locator(".facsimile-results mark").inner_text() == "depot"
    accessible(page, "search within")

    # the hit, followed: the page view, the word boxed on the zoomable page image
    with page.expect_navigation():
        page.click(".facsimile-results a")
    assert page.url.endswith("/page/1/?q=depot#hit-1"), page.url
    page.wait_for_selector(".facsimile-viewer--open")
    page.wait_for_selector("div.facsimile-hit")
    assert page.locator(".facsimile-frame").is_hidden()  # the zoom replaced the plain image
    viewer = page.evaluate(BOX, ".facsimile-viewer")
    # the page fitted in the viewer, centred (OpenSeadragon's home view): where the word is
    scale = min(viewer["width"] / WIDTH, viewer["height"] / HEIGHT)
    left = viewer["x"] + (viewer["width"] - WIDTH * scale) / 2
    top = viewer["y"] + (viewer["height"] - HEIGHT * scale) / 2
    x, y, w, h = word_box(issue, 1, "depot")
    want = {"x": left + x * scale, "y": top + y * scale, "width": w * scale, "height": h * scale}
    try:
        page.wait_for_function(HIT_AT, arg=want, polling=200, timeout=30_000)
    except Exception:
        pytest.fail(f"the hit's box {page.evaluate('window.__hitBox')} is not over {want}")
    accessible(page, "page view")

    # the zoom's own buttons work
    page.click("button[data-zoom=in]")
    page.wait_for_function(WIDER, arg=want["width"] * 1.2, polling=200, timeout=30_000)

    # toggled to the text: the image gone, the word marked
    page.click(".facsimile-views a[href='#page-text']")
    page.wait_for_selector("#page-image", state="hidden")
    assert page.locator("#page-text mark").inner_text() == "depot"
    assert page.locator("#page-text mark").is_visible()
    accessible(page, "page view, text")
    page.click(".facsimile-views a[href='#page-image']")
    page.wait_for_selector("#page-text", state="hidden")
    assert page.locator("#page-image").is_visible()

    assert reported + page.evaluate("window.__violations") == []


def test_without_javascript_the_hit_is_boxed_on_the_plain_image(
    live_server,
    browser_page,  # noqa: F811
    media_folder,  # noqa: F811
):
    issue = stored_issue()
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    path = f"{issue.get_absolute_url()}page/2/?q=%22tram+strike%22#hit-1"
    page.goto(f"{live_server.url}{path}")
    page.locator(".facsimile-frame img").evaluate("(img) => img.decode()")
    assert page.locator(".facsimile-viewer").is_hidden()
    image = page.evaluate(BOX, ".facsimile-frame img")
    scale = image["width"] / WIDTH
    assert near(image["height"], HEIGHT * scale, 1)
    rects = page.locator("svg.facsimile-overlay rect")
    assert rects.count() == 2
    for index, word in enumerate(["TRAM", "STRIKE"]):
        box = rects.nth(index).evaluate(FILL)
        x, y, w, h = word_box(issue, 2, word)
        assert near(box["x"], image["x"] + x * scale, 1) and near(
            box["y"], image["y"] + y * scale, 1
        )
        assert near(box["width"], w * scale, 1) and near(box["height"], h * scale, 1)
    # the anchor brought the hit into view
    top = rects.nth(0).evaluate(FILL)["y"]
    assert 0 <= top <= 900
    page.click(".facsimile-views a[href='#page-text']")
    page.wait_for_selector("#page-image", state="hidden")
    assert page.locator("#page-text mark").inner_text() == "TRAM STRIKE"
    context.close()
