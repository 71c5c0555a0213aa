"""An editor at the desk in Chromium, without JavaScript of the site's own: corrects a word in
the nested quotation of the reference review, previews it, saves, reads the change in the
revision's word-level diff and restores the earlier text. No page breaks the
Content-Security-Policy, and axe-core finds nothing on the desk's pages."""

from __future__ import annotations

import json

import pytest

from backfile.archive.models import Article
from tests.browser.test_csp import sign_in, visit, watched  # noqa: F401  (fixtures)
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import corpus_path, skip_unless
from tests.helpers.axe import AXE, violations
from tests.replies.helpers import create_editor

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.django_db(transaction=True)]

NESTED = "I serve notice"
# The id of the textarea holding these words
TEXTAREA_WITH = """(words) => [...document.querySelectorAll("textarea")]
  .find((area) => area.value.includes(words)).id"""


def accessible(page) -> None:
    found = violations(page)
    assert found == [], f"{page.url}: {json.dumps(found, indent=1)}"


def click(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


def test_an_editor_corrects_previews_saves_reads_the_diff_and_restores(
    live_server,
    watched,  # noqa: F811
    ingest_paths,
):
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    report = ingest_paths(corpus_path("socialist-standard", "000_a351202cb116f3a4.txt"))
    assert report.count("added") == 1, report.entries
    article = Article.objects.get()
    ingested = article.blocks
    page, base = watched, live_server.url
    create_editor("hilda")
    sign_in(page, base)

    assert visit(page, f"{base}/admin/archive/article/{article.pk}/change/") == []
    click(page, "text=Edit the body")
    accessible(page)
    field = "#" + page.evaluate(TEXTAREA_WITH, NESTED)
    typed = page.input_value(field).replace("notice", "warning", 1)
    page.fill(field, typed)
    click(page, "button[value=preview] >> nth=0")
    preview = page.inner_text(".desk-preview blockquote blockquote")
    assert "I serve warning" in preview
    assert page.input_value(field) == typed  # what was typed is still there
    accessible(page)

    page.fill("#note", "misread word")
    click(page, "button[value=save] >> nth=0")
    assert "Saved the body as revision 2." in page.inner_text("body")
    assert page.console_violations + page.evaluate("window.__violations") == []

    click(page, "text=Revisions >> nth=0")
    accessible(page)
    assert "misread word" in page.inner_text("table.desk-revisions")
    click(page, "text=Revision 2")
    assert page.inner_text(".desk-diff .field del >> nth=-1") == "notice"
    assert page.inner_text(".desk-diff .field ins >> nth=-1") == "warning"
    accessible(page)
    click(page, "text=side by side")
    accessible(page)

    click(page, "text=All revisions")
    click(page, "text=Revision 1")
    click(page, "text=Restore revision 1")
    assert "Restored revision 1, saved as revision 3." in page.inner_text("body")
    assert "Restored revision 1" in page.inner_text("table.desk-revisions")
    assert Article.objects.get().blocks == ingested
    assert visit(page, f"{base}{article.get_absolute_url()}") == []
    assert "I serve notice" in page.inner_text("main")
