"""In a real browser: every kind of page works under the Content-Security-Policy, with no
violation reported, on the reading site, the editors' desk and the API docs."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article
from tests.browser.test_replies import browser_page  # noqa: F401  (the Chromium fixture)
from tests.replies.helpers import EDITOR_PASSWORD, create_editor, stored_article, stored_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(browser_page):  # noqa: F811
    """The browser page, recording CSP violations from the console and from the DOM event."""
    page = browser_page
    page.console_violations = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            page.console_violations.append(message.text)

    page.on("console", record)
    page.add_init_script(LISTEN)
    return page


def visit(page, url: str) -> list[str]:
    """Load `url` fully; the violations it caused, from either source."""
    page.console_violations.clear()
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return page.console_violations + page.evaluate("window.__violations")


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "hilda")
    page.fill("#id_password", EDITOR_PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), page.url


def test_the_listener_sees_a_violation(live_server, watched):
    """The check can fail: an image from elsewhere, put in a page, is reported."""
    stored_article()
    assert visit(watched, f"{live_server.url}/") == []
    watched.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        "'<img src=\"https://elsewhere.example/pixel.png\">')"
    )
    watched.wait_for_function("window.__violations.length > 0")
    assert any("img-src" in v for v in watched.evaluate("window.__violations"))


def test_reading_pages_and_search_run_without_a_violation(live_server, watched):
    article = stored_article()
    stored_reply(article)
    issue = article.issue
    base = live_server.url
    for path in [
        "/",
        issue.publication.get_absolute_url(),
        f"{issue.publication.get_absolute_url()}{issue.decade}s/",
        f"{issue.publication.get_absolute_url()}{issue.decade}s/{issue.year}/",
        issue.get_absolute_url(),
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?q=depot",
        article.bylines.first().author.get_absolute_url(),
        "/search/",
        "/search/?q=strike",
    ]:
        assert visit(watched, f"{base}{path}") == [], path
    assert watched.locator("#leave-a-reply form").count() == 0  # on the search page
    visit(watched, f"{base}{article.get_absolute_url()}")
    assert watched.locator("#leave-a-reply form").count() == 1


def test_the_editors_desk_runs_without_a_violation(live_server, watched):
    article = stored_article()
    reply = stored_reply(article, status="pending")
    create_editor("hilda")
    base = live_server.url
    assert visit(watched, f"{base}/admin/login/") == []
    sign_in(watched, base)
    assert watched.console_violations + watched.evaluate("window.__violations") == []
    for path in [
        "/admin/",
        "/admin/archive/article/",
        f"/admin/archive/article/{article.pk}/change/",
        f"/admin/archive/article/{article.pk}/history/",
        f"/admin/archive/issue/{article.issue_id}/change/",
        "/admin/archive/author/",
        "/admin/replies/reply/?status__exact=pending",
        f"/admin/replies/reply/{reply.pk}/change/",
    ]:
        assert visit(watched, f"{base}{path}") == [], path
    # An editor's correction goes through, scripts and all, under the policy.
    visit(watched, f"{base}/admin/archive/article/{article.pk}/change/")
    watched.fill("#id_title", "The Tram Strike Holds Firm")
    with watched.expect_navigation():
        watched.click("input[name=_save]")
    assert watched.console_violations + watched.evaluate("window.__violations") == []
    assert Article.objects.get(pk=article.pk).title == "The Tram Strike Holds Firm"
    # The revision list (History leads to the desk's readable one), now that there is one.
    history = f"{base}/admin/archive/article/{article.pk}/history/"
    assert visit(watched, history) == []
    assert watched.locator("table.desk-revisions tbody tr").count() >= 1


def test_the_api_docs_run_without_a_violation(live_server, watched):
    assert visit(watched, f"{live_server.url}/api/docs") == []
    watched.wait_for_selector("text=Search the archive")
