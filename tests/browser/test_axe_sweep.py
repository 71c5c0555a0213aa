"""Every kind of page, audited with axe-core in Chromium: at desktop (1280×800) and mobile
(390×844) sizes, light and dark, against WCAG 2.0–2.2 A and AA (`target-size` and
`color-contrast` among them) and the best-practice rules `landmark-unique`,
`page-has-heading-one` and `region`. Every page answers with no violation.

One archive (tests/helpers/sweep_archive.py: the suite's invented records and fixtures,
stored by the real loader and ingest) and one `backfile serve` for the whole module; one
browser, a reader's page and a signed-in editor's page, reused from test to test. The light
screens of each page are saved as test artefacts (tests/helpers/screens.py).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.browser.test_replies import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO, skip_unless
from tests.helpers.axe import WCAG22, described, require_axe, violations
from tests.helpers.screens import VIEWPORTS, save_screen, save_screens
from tests.helpers.served import served
from tests.replies.helpers import EDITOR_PASSWORD

pytestmark = pytest.mark.browser

# Every kind of page tests/helpers/sweep_archive.py gives an address for; the editor's
# pages are seen signed in.
KINDS = [
    "home",
    "publication",
    "decade",
    "year",
    "issue",
    "issue-with-cover",
    "article-figures",
    "article-review",
    "article-notes",
    "article-replies",
    "reply-refused",
    "author",
    "authors",
    "subjects",
    "subject",
    "sections",
    "section",
    "date-outside",
    "people",
    "entry",
    "organisations",
    "books",
    "book",
    "books-by",
    "search-mentioned",
    "search-empty",
    "search-results",
    "search-nothing",
    "search-advanced",
    "search-pages",
    "search-paginated",
    "issue-printed",
    "page-viewer",
    "search-within",
    "corrections-suggest",
    "data",
    "not-found",
    "admin-sign-in",
    "admin-index",
    "admin-changelist",
    "admin-change",
    "admin-author",
    "admin-replies",
    "desk-home",
    "desk-ingests",
    "desk-new-ingest",
    "desk-body",
    "desk-revisions",
]
EDITORS = {kind for kind in KINDS if kind.startswith(("admin-", "desk-"))} - {"admin-sign-in"}
STATUS = {"not-found": {404}}
# Pages reached by doing something on another: a reply sent with its fields empty (the
# browser's own checks set aside, as an older browser's would be), refused by the server.
ACTIONS = {"reply-refused": ("article-replies", "#leave-a-reply button[type=submit]")}
SCRIPTED = {"page-viewer"}  # the zoomable viewer (OpenSeadragon), built once the page has loaded


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The archive, built once and served: the base address and each kind of page's path.
    Its database is a SQLite file of its own whatever the suite's backend (it is the pages
    that are audited)."""
    require_axe()
    skip_unless(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (set BACKFILE_CHROMIUM)")
    folder = tmp_path_factory.mktemp("sweep")
    database, paths = folder / "archive.sqlite3", folder / "paths.json"
    built = subprocess.run(
        [sys.executable, "-m", "tests.helpers.sweep_archive", str(database), str(paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, f"the archive was not built:\n{built.stderr[-3000:]}"
    with served(str(database), folder) as server:
        yield f"http://127.0.0.1:{server.port}", json.loads(paths.read_text())


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def reader(browser):
    page = browser.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.fixture(scope="module")
def editor(browser, site):
    base, _ = site
    page = browser.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "hilda")
    page.fill("#id_password", EDITOR_PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), f"the editor was not signed in: {page.url}"
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", KINDS)
def test_no_violation(request, site, kind, viewport, scheme):
    base, paths = site
    page = request.getfixturevalue("editor" if kind in EDITORS else "reader")
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    path = paths[ACTIONS[kind][0]] if kind in ACTIONS else paths[kind]
    response = page.goto(f"{base}{path}")
    if kind in ACTIONS:
        page.eval_on_selector_all("form", "(forms) => forms.forEach((f) => (f.noValidate = true))")
        with page.expect_navigation() as navigation:
            page.click(ACTIONS[kind][1])
        response = navigation.value
        path = f"{path} (then {ACTIONS[kind][1]})"
    assert response.status in STATUS.get(kind, {200}), f"{kind}: {path} answered {response.status}"
    if kind in SCRIPTED:  # its script builds part of the page after it has loaded
        page.wait_for_load_state("networkidle")
    where = f"{kind} page {path} at {viewport} {VIEWPORTS[viewport]['width']} px, {scheme}"
    found = violations(page, WCAG22)
    if scheme == "light":
        save_screen(page, kind)
    assert found == [], described(found, where)


def test_the_sweep_can_fail(site, reader):
    """A control the size of a pin, in pale grey on white, is two violations."""
    base, paths = site
    reader.set_viewport_size(VIEWPORTS["desktop"])
    reader.emulate_media(color_scheme="light")
    reader.goto(f"{base}{paths['home']}")
    # styled through the CSSOM: the Content-Security-Policy refuses style attributes
    reader.evaluate(
        """() => {
          const main = document.querySelector("main");
          const faint = main.insertBefore(document.createElement("p"), main.firstChild);
          faint.textContent = "faint";
          faint.style.color = "#ddd";
          const row = main.insertBefore(document.createElement("div"), main.firstChild);
          row.style.display = "flex";
          for (const name of ["a", "b"]) {
            const link = row.appendChild(document.createElement("a"));
            link.href = `#pin-${name}`;  // nowhere else linked: no equivalent target
            link.textContent = name;
            Object.assign(link.style, {display: "block", width: "8px", height: "8px",
                                       fontSize: "6px", overflow: "hidden"});
          }
        }"""
    )
    rules = {v["rule"] for v in violations(reader, WCAG22)}
    assert {"color-contrast", "target-size"} <= rules, rules


def test_screens_are_saved_at_both_widths_light_and_dark(site, reader, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("BACKFILE_ARTEFACTS", str(tmp_path))
    base, paths = site
    reader.goto(f"{base}{paths['article-figures']}")
    saved = save_screens(reader, "An article")
    assert sorted(p.name for p in saved) == [
        "an-article-1280-dark.png",
        "an-article-1280-light.png",
        "an-article-390-dark.png",
        "an-article-390-light.png",
    ]
    colours = {}
    for path in saved:
        with Image.open(path) as screen:
            assert screen.width == int(path.stem.split("-")[-2]), path.name
            assert screen.height > 800, f"{path.name} is the whole page, not the viewport"
            colours[path.stem] = screen.convert("RGB").getpixel((2, 2))
    # the page's own background, light and dark
    assert sum(colours["an-article-1280-light"]) > sum(colours["an-article-1280-dark"])
