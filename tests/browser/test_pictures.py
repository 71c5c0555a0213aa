"""In Chromium, as a reader sees them: an article with a figure, one with a gallery, and an
issue with a cover (on its issue and year pages). Every picture loads (naturalWidth > 0), has
alt text, declares its width and height, and takes the same box before its bytes arrive as
after (no layout shift); axe-core (node_modules, installed by `make setup` from
package-lock.json, injected by tests/helpers/axe.py: the site serves no script of its
own) finds no violation.

The records are written here and stored through the loader; the pictures are made with
Pillow, in English and Spanish."""

from __future__ import annotations

import json

import pytest

from backfile.archive.models import Article, Issue
from backfile.ingest.loader import load
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.helpers.axe import require_axe, violations
from tests.helpers.covers import cover_picture, with_cover
from tests.helpers.pictures import figure_record, make_picture
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each picture of the page's main content: its box, whether its bytes have arrived, its
# alt text and its declared size.
PICTURES = """() => [...document.querySelectorAll("main img")].map((img) => {
  const box = img.getBoundingClientRect();
  return {src: img.currentSrc || img.src, width: box.width, height: box.height,
          natural: img.naturalWidth, complete: img.complete, alt: img.getAttribute("alt"),
          declared: [img.getAttribute("width"), img.getAttribute("height")]};
})"""
STYLED = """() => [...document.querySelectorAll("link[rel=stylesheet]")].every(
  (link) => link.sheet)"""
# each figure's and gallery's box against the body's paragraphs: the text column's edges
COLUMN = """() => {
  const paragraph = document.querySelector(".article-body > p");
  if (!paragraph) return [];
  const text = paragraph.getBoundingClientRect();
  return [...document.querySelectorAll(".article-body > figure")].map((figure) => {
    const box = figure.querySelector("img").getBoundingClientRect();  // its first picture
    return {left: box.left - text.left, right: box.right - text.right};
  });
}"""
ALL_LOADED = """() => [...document.querySelectorAll("main img")].every(
  (img) => img.complete && img.naturalWidth > 0)"""


def stored_pages() -> list[str]:
    """An English article with one figure, a Spanish one with a gallery of three, both in
    issues with covers: the paths of the articles, the issues and their years."""
    single = [make_picture(0, seed=31)]
    gallery = [make_picture(n, seed=31) for n in (1, 3, 4)]
    english = with_cover(
        figure_record(1, single, caption="The quay at low water", credit="Lantern staff"),
        cover_picture(seed=31),
        alt="Cover: a tug in the harbour mouth",
    )
    spanish = with_cover(
        figure_record(
            400, gallery, language="es", title="La regata", caption="La regata en imágenes"
        ),
        cover_picture(seed=32, width=380, height=500),
        alt="Portada: las barcas en la regata",
    )
    for record, made in ((english, single), (spanish, gallery)):
        for asset, picture in zip(record.assets, made, strict=False):
            asset.content = picture.data
    report = load([english, spanish])
    assert report.summary()["added"] == 2, report.entries
    paths = []
    for article in Article.objects.select_related("issue__publication").order_by("key"):
        issue = article.issue
        paths += [
            article.get_absolute_url(),
            issue.get_absolute_url(),
            f"{issue.publication.get_absolute_url()}{issue.decade}s/{issue.year}/",
        ]
    assert Issue.objects.exclude(cover="").count() == 2
    return paths


def shown_without_moving(page, url: str) -> list[dict]:
    """Open `url` with the pictures' bytes held back, note every picture's box, then let them
    come (scrolling through the page, as a reader does, for the lazy ones); the boxes before,
    and the pictures once all have loaded."""
    held: list = []
    released = False

    def hold(route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/media/**", hold)
    response = page.goto(url, wait_until="domcontentloaded")
    assert response.status == 200, url
    # the boxes as laid out with the site's stylesheet, as a reader first sees them
    page.wait_for_function(STYLED)
    before = page.evaluate(PICTURES)
    assert before, f"{url} shows no picture"
    assert all(p["natural"] == 0 for p in before), "no picture's bytes have come yet"
    released = True
    for route in held:
        route.continue_()
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 1, 400):
        page.evaluate(f"window.scrollTo(0, {top})")
    page.wait_for_function(ALL_LOADED)
    after = page.evaluate(PICTURES)
    page.unroute("**/media/**", hold)
    # a display size's height is rounded to whole pixels, so its box may differ by a fraction
    moved = [
        (b["width"], b["height"], a["width"], a["height"])
        for b, a in zip(before, after, strict=True)
        if abs(a["width"] - b["width"]) >= 1 or abs(a["height"] - b["height"]) >= 1
    ]
    assert not moved, f"{url}: a picture's box changed when it arrived: {moved}"
    return after


def test_figures_a_gallery_and_covers_load_described_sized_and_accessible(
    live_server,
    browser_page,  # noqa: F811
    media_folder,  # noqa: F811
):
    require_axe()
    page = browser_page
    figures = 0
    for path in stored_pages():
        url = f"{live_server.url}{path}"
        pictures = shown_without_moving(page, url)
        for picture in pictures:
            assert picture["natural"] > 0, f"{url}: {picture['src']} did not load"
            assert picture["alt"] and picture["alt"].strip(), f"{url}: {picture['src']} has no alt"
            width, height = (int(n) for n in picture["declared"])
            assert abs(picture["width"] / picture["height"] - width / height) < 0.02, url
        for edges in page.evaluate(COLUMN):  # a figure starts at the text's edge, ends within
            assert abs(edges["left"]) < 1 and edges["right"] < 1, f"{url}: {edges}"
            figures += 1
        found = violations(page)
        assert found == [], f"{url}: {json.dumps(found, indent=1)}"
    assert figures == 2, "the figure and the gallery were measured against the text column"


def test_axe_finds_a_picture_without_alt_text(live_server, browser_page):  # noqa: F811
    """The check can fail: a picture put in a page without alt text is a violation."""
    require_axe()
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/static/none.png" width="10" height="10">\')'
    )
    assert "image-alt" in [v["rule"] for v in violations(page)]
