"""In a real browser: the structured blocks are exposed with the roles and names assistive
technology reads (a table named by its caption with column and row headers, lists,
note links both ways), and following a note and its back-link lands where it should.

Chromium's own accessibility tree answers the role queries (Playwright's `get_by_role`).
"""

from __future__ import annotations

import pytest

from backfile.archive.models import Article
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tables_lists_and_notes_have_their_roles_and_names(live_server, browser_page):  # noqa: F811
    from backfile.ingest.pipeline import ingest

    ingest([FIXTURES / "structure" / "legacy" / "the-quayside"])
    article = Article.objects.get(key__contains="130_01_Netmakers")
    page = browser_page
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    body = page.locator(".article-body")

    table = body.get_by_role("table", name="Hourly pay on the west quay")
    assert table.count() == 1
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers == ["Year", "Menders", "Riggers"]
    assert table.get_by_role("rowheader").all_inner_texts() == ["2009", "2010"]
    assert body.get_by_role("table").count() == 1  # the sidebar box is not a table

    assert body.get_by_role("list").count() >= 2  # the numbered list and the one inside it
    assert body.locator("ol[start='3'] > li").count() == 3

    marker = body.get_by_role("link", name="Note 1", exact=True)
    marker.click()
    assert page.url.endswith("#note-1")
    note = page.locator("#note-1")
    assert "rope loft" in note.inner_text()
    note.get_by_role("link", name="Back to the text of note 1").click()
    assert page.url.endswith("#note-ref-1")
    assert body.get_by_role("link", name="Note *", exact=True).count() == 1
    assert body.get_by_role("region", name="Notes").count() == 1
