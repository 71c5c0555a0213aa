"""Readers' corrections in Chromium: a reader follows "Correct this text", retypes a paragraph
and sends it; an editor accepts it in the queue. No page breaks the Content-Security-Policy,
and axe-core finds nothing on the reader's pages."""

from __future__ import annotations

import json

import pytest

from backfile.corrections.models import Correction
from tests.browser.test_csp import sign_in, visit, watched  # noqa: F401  (fixtures)
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.corrections.helpers import ocr_article
from tests.helpers.axe import require_axe, violations
from tests.replies.helpers import create_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXED = "Drivers at the Eastgate depot stayed out for a ninth day."


def accessible(page) -> None:
    found = violations(page)
    assert found == [], f"{page.url}: {json.dumps(found, indent=1)}"


def test_a_reader_corrects_a_paragraph_and_an_editor_accepts_it(live_server, watched):  # noqa: F811
    require_axe()
    page = watched
    article = ocr_article()
    base = live_server.url
    assert visit(page, f"{base}{article.get_absolute_url()}") == []
    accessible(page)
    with page.expect_navigation():
        page.click("text=Correct this text")
    assert page.console_violations + page.evaluate("window.__violations") == []
    accessible(page)
    with page.expect_navigation():
        page.click("text=Correct paragraph 1")
    accessible(page)

    page.fill("#correction-name", "Mary Okafor")
    with page.expect_navigation():
        page.click("#correct button[type=submit]")  # the text unchanged: refused
    assert "Your text is the same as the paragraph's" in page.inner_text("main")
    assert page.input_value("#correction-name") == "Mary Okafor"
    accessible(page)
    page.fill("#correction-text", FIXED)
    with page.expect_navigation():
        page.click("#correct button[type=submit]")
    assert "your correction is held for an editor" in page.inner_text("main")
    assert page.console_violations + page.evaluate("window.__violations") == []
    correction = Correction.objects.get()

    create_editor("hilda")
    sign_in(page, base)
    queue = f"{base}/admin/corrections/correction/"
    assert visit(page, f"{queue}{correction.pk}/change/") == []
    assert (
        page.inner_text(".correction-diff")
        == "Drivers at the Eastgate depot stayed out for a ninth clay.day."
    )
    assert visit(page, queue) == []
    page.check(f"input[name=_selected_action][value='{correction.pk}']")
    page.select_option("select[name=action]", "accept")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "Accepted 1 correction." in page.inner_text("body")
    assert page.console_violations + page.evaluate("window.__violations") == []

    assert visit(page, f"{base}{article.get_absolute_url()}") == []
    assert FIXED in page.inner_text("main")
    assert "Text corrected by Mary Okafor" in page.inner_text("main")
