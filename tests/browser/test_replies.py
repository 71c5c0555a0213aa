"""In a real browser: a reader replies, an editor approves, the reply appears; scripts stay text.

Playwright drives Debian's Chromium (BACKFILE_CHROMIUM, default /usr/bin/chromium)
against pytest-django's live server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backfile.replies.models import Reply
from tests.conftest import skip_unless
from tests.replies.helpers import EDITOR_PASSWORD, create_editor, stored_article

CHROMIUM = Path(os.environ.get("BACKFILE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(settings, monkeypatch):
    """A fresh Chromium page; every dialog it opens is recorded in `page.dialogs`."""
    skip_unless(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (set BACKFILE_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between page actions are ordinary synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        page.set_default_timeout(20_000)
        page.dialogs = []

        def record(dialog) -> None:
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", record)
        try:
            yield page
        finally:
            browser.close()


def send_reply(page, url: str, name: str, text: str) -> None:
    page.goto(url)
    page.fill("#reply-name", name)
    page.fill("#reply-text", text)
    with page.expect_navigation():
        page.click("#leave-a-reply button[type=submit]")


def test_a_reply_is_held_approved_by_an_editor_and_then_shown(live_server, browser_page):
    page = browser_page
    article = stored_article()
    create_editor("hilda")
    article_url = f"{live_server.url}{article.get_absolute_url()}"

    send_reply(page, article_url, "Mary Okafor", "My father drove the No. 4 that spring.")
    assert "held for moderation" in page.inner_text("#leave-a-reply")
    assert page.locator("#replies li.reply").count() == 0, "held replies are not shown"
    assert Reply.objects.get().status == Reply.Status.PENDING

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "hilda")
    page.fill("#id_password", EDITOR_PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/replies/reply/?status__exact=pending")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "approve")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "Approved 1 reply." in page.inner_text("body")

    page.goto(article_url)
    reply = Reply.objects.get()
    shown = page.inner_text(f"#reply-{reply.pk}")
    assert "My father drove the No. 4 that spring." in shown
    assert "Mary Okafor" in shown
    assert page.inner_text("#replies-heading") == "1 reply"


def approve_all() -> None:
    """As a moderator's approval does: reply by reply, each a save (which the page cache sees)."""
    for reply in Reply.objects.all():
        reply.status = Reply.Status.APPROVED
        reply.save()


def test_a_script_in_a_reply_shows_as_text_and_never_runs(live_server, browser_page):
    page = browser_page
    article = stored_article()
    payload = (
        "<script>window.__xss = 1; alert('script')</script>"
        "<img src=x onerror=\"window.__xss = 2; alert('img')\">"
        '<svg onload="window.__xss = 3"></svg>'
        '<a href="javascript:window.__xss = 4">click me</a>'
    )
    send_reply(page, f"{live_server.url}{article.get_absolute_url()}", "Eve", payload)
    approve_all()

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    reply = Reply.objects.get()
    page.click(f"#reply-{reply.pk} a:text('click me')")
    page.wait_for_load_state()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    text = page.inner_text(f"#reply-{reply.pk} .reply__text")
    assert "<script>window.__xss = 1; alert('script')</script>" in text
    assert page.locator(f"#reply-{reply.pk} script, #reply-{reply.pk} img").count() == 0


def refused_in(page, url: str, text: str) -> None:
    """Send `text` (which the browser lets through and the site refuses) from `url`."""
    page.goto(url)
    page.fill("#reply-name", "Mary Okafor")
    page.fill("#reply-text", text)
    with page.expect_navigation():
        page.click("#leave-a-reply button[type=submit]")


@pytest.mark.parametrize("scripts", [True, False], ids=["with scripts", "without scripts"])
def test_a_refused_reply_returns_to_its_reasons_with_the_words_kept(
    live_server, browser_page, scripts
):
    page = browser_page
    if not scripts:
        page = page.context.browser.new_context(java_script_enabled=False).new_page()
    many = tuple(f"Paragraph {n} of a long report from the depot." for n in range(120))
    article = stored_article(paragraphs=many)
    article_url = f"{live_server.url}{article.get_absolute_url()}"
    typed = "See https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4"

    refused_in(page, article_url, typed)

    assert page.url == f"{article_url}#reply-errors", "the article's own address"
    summary = page.locator("#reply-errors")
    assert "Please keep to 3 links or fewer" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "reply-errors"
    top, bottom = page.evaluate(
        "(() => { const r = document.getElementById('reply-errors').getBoundingClientRect();"
        " return [r.top, r.bottom]; })()"
    )
    assert page.evaluate("window.scrollY") > 1000, "scrolled down to the form"
    assert top >= 0 and bottom <= page.viewport_size["height"], "the summary is in view"
    assert page.input_value("#reply-text") == typed
    assert not Reply.objects.exists()

    summary.locator("a[href='#reply-text']").click()
    assert page.evaluate("document.activeElement.id") == "reply-text"

    response = page.reload()
    assert response.status == 200, "a reload shows the article"
    response = page.goto(f"{live_server.url}/replies/{article.pk}/post/")
    assert response.status == 200 and page.url == f"{article_url}#leave-a-reply"
