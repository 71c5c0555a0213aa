"""In Chromium, at the desk: an administrator signs in, uploads a zip of captured pages, and
watches the ingest run in the worker `backfile serve` started, until its report shows;
axe-core finds nothing on the desk's pages (home, the upload form, the job, the list, the
audit trail). The zip is built here from the suite's own captures."""

from __future__ import annotations

import json

import pytest

from backfile.desk import jobs
from tests.browser.test_csp import visit, watched  # noqa: F401  (a fixture)
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.conftest import FIXTURES, skip_unless
from tests.desk.conftest import PASSWORD, captures_zip, create_account
from tests.helpers.axe import AXE, violations
from tests.helpers.served import run_backfile, served, suite_database_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_FOR_JOB = 300_000  # milliseconds before the browser gives up waiting (a hang guard)


def accessible(page) -> None:
    found = violations(page)
    assert found == [], f"{page.url}: {json.dumps(found, indent=1)}"


def test_an_upload_is_watched_to_its_report_on_accessible_pages(
    tmp_path,
    monkeypatch,
    browser_page,  # noqa: F811
):
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")
    database = suite_database_url(tmp_path)
    made = run_backfile(
        database,
        "createeditor",
        "ada",
        "--role",
        "administrator",
        env={"BACKFILE_EDITOR_PASSWORD": PASSWORD},
    )
    assert made.returncode == 0, made.stderr
    monkeypatch.setenv("BACKFILE_INGEST_UPLOADS", str(tmp_path / "uploads"))
    archive = captures_zip(tmp_path)
    lantern = len(list((FIXTURES / "capture" / "the-lantern").glob("*.txt")))
    page = browser_page
    with served(database, tmp_path, wait_for="/admin/login/") as server:
        base = f"http://127.0.0.1:{server.port}"
        page.goto(f"{base}/admin/login/?next=/desk/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")
        assert page.url == f"{base}/desk/"
        assert page.locator("h1").inner_text() == "What needs doing"
        accessible(page)

        page.click("text=Bring material in")
        assert page.locator("h1").inner_text() == "Bring material in"
        accessible(page)
        page.set_input_files("#id_files", str(archive))
        page.fill("#id_publication", "The Lantern")
        with page.expect_navigation():
            page.click("input[type=submit]")
        assert "/desk/ingests/" in page.url
        page_of_job = page.url.removeprefix(base)
        # the page follows the job (its script polls, then reloads with the report)
        page.wait_for_selector("#content-main:not([data-progress])", timeout=WAIT_FOR_JOB)
        assert page.locator('[data-field="status"]').inner_text() == "Finished"
        assert page.locator('td[data-count="added"]').inner_text() == str(lantern)
        stored = page.locator("#stored li")
        assert stored.count() == lantern
        accessible(page)

        stored.first.locator("a").click()
        assert page.locator("h1").count() == 1  # the article, as readers see it

        page.goto(f"{base}/desk/ingests/")
        assert page.locator(".desk-table tbody tr").count() == 1
        accessible(page)
        page.goto(f"{base}/desk/audit/")
        assert "ada" in page.locator("section[aria-labelledby=signins-title]").inner_text()
        started = page.locator("section[aria-labelledby=ingests-title] tbody tr")
        assert started.count() == 1 and "lantern.zip" in started.inner_text()
        accessible(page)
        page.goto(f"{base}/admin/")
        assert page.locator("li[data-item=jobs] .desk-count").inner_text() == "0"
        accessible(page)
        page.emulate_media(color_scheme="dark")  # the admin's dark colours, which the desk uses
        for path in ["/desk/", "/desk/ingests/", page_of_job]:
            page.goto(f"{base}{path}")
            accessible(page)


def test_the_desk_pages_run_under_the_content_security_policy(
    live_server,
    watched,  # noqa: F811
    settings,
    tmp_path,
):
    """Its script (following a job) and its styles are files of its own: no violation."""
    settings.BACKFILE_INGEST_ROOTS = [str(tmp_path)]
    waiting = jobs.start_folder(tmp_path, "", None)  # queued: no worker runs here
    create_account("ada", "administrator")
    base = live_server.url
    watched.goto(f"{base}/admin/login/?next=/desk/")
    watched.fill("#id_username", "ada")
    watched.fill("#id_password", PASSWORD)
    with watched.expect_navigation():
        watched.click("input[type=submit]")
    for path in ["/desk/", "/desk/ingests/new/", "/desk/ingests/", "/desk/audit/", "/admin/"]:
        assert visit(watched, f"{base}{path}") == [], path
    with watched.expect_response(lambda response: "progress.json" in response.url) as polled:
        assert visit(watched, f"{base}{waiting.get_absolute_url()}") == []
    assert polled.value.status == 200
    assert watched.evaluate("window.__violations") == []
    watched.goto("about:blank")  # stop following the job before the server goes
