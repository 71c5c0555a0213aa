"""In Chromium, at the desk: an editor merges April's issue of an invented monthly into
March's, confirming what will move, then follows an old address of an April article to
its new place. axe-core finds nothing on the housekeeping pages used."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_csp import visit, watched  # noqa: F401  (a fixture)
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import skip_unless
from tests.desk.conftest import PASSWORD
from tests.helpers.axe import AXE, violations
from tests.helpers.served import run_backfile, served, suite_database_url, write_jsonl
from tests.housekeeping.conftest import APRIL, GAZETTE, MARCH, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_ADDRESS = "/the-quarry-gazette/1950s/1952/no-89-april-1952/the-tram-strike/"


def accessible(page) -> None:
    found = violations(page)
    assert found == [], f"{page.url}: {json.dumps(found, indent=1)}"


def test_an_editor_merges_two_issues_and_an_old_address_follows(
    tmp_path,
    browser_page,  # noqa: F811
):
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    database = suite_database_url(tmp_path)
    records = write_jsonl(
        tmp_path / "gazette.jsonl",
        [
            record(GAZETTE, MARCH, "tram-strike", "The Tram Strike"),
            record(GAZETTE, APRIL, "april-tram-strike", "The Tram Strike"),
            record(GAZETTE, APRIL, "allotments", "Allotments Saved"),
        ],
    )
    stored = run_backfile(database, "ingest", "--quiet", str(records))
    assert stored.returncode == 0, stored.stderr
    env = {"BACKFILE_EDITOR_PASSWORD": PASSWORD}
    made = run_backfile(database, "createeditor", "hilda", "--role", "editor", env=env)
    assert made.returncode == 0, made.stderr
    page = browser_page
    with served(database, tmp_path, wait_for="/admin/login/") as server:
        base = f"http://127.0.0.1:{server.port}"
        assert page.goto(f"{base}{OLD_ADDRESS}").status == 200
        page.goto(f"{base}/admin/login/?next=/desk/housekeeping/")
        page.fill("#id_username", "hilda")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")
        assert page.url == f"{base}/desk/housekeeping/"
        accessible(page)

        page.select_option("#id_issue", label="The Quarry Gazette: No. 89, April 1952")
        with page.expect_navigation():
            page.click("text=Merge into another issue")
        accessible(page)
        page.select_option("#id_target", label="The Quarry Gazette: No. 88, March 1952")
        with page.expect_navigation():
            page.click("text=Review the changes")
        assert page.locator("h2").first.inner_text() == "Please confirm"
        plan = page.locator("table.desk-table").inner_text()
        assert "No. 88, March 1952" in plan and "Allotments Saved" in plan
        accessible(page)
        with page.expect_navigation():
            page.click("text=Yes, make these changes")
        assert page.url == f"{base}/desk/housekeeping/"
        assert "2 articles moved" in page.locator(".messagelist").inner_text()

        landed = page.goto(f"{base}{OLD_ADDRESS}")
        assert landed.status == 200
        assert page.url.startswith(f"{base}/the-quarry-gazette/1950s/1952/no-88-march-1952/")
        assert page.url != f"{base}/the-quarry-gazette/1950s/1952/no-88-march-1952/the-tram-strike/"
        assert page.locator("h1").inner_text() == "The Tram Strike"
