"""The page cache: pages come from it until anything they show changes; personal pages never.

Every test reads pages over the test client, as a reader's browser would, and
changes the archive the ways it changes in use: an ingest of a changed source
(the real pipeline), an editor's correction and a moderator's approval on the
editors' desk, a reader's reply.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from lxml import html

from backfile.archive.models import Article
from backfile.replies.models import Reply
from tests.caching.conftest import COAL_BOARD, COAL_BOARD_SENTENCE, rewrite
from tests.replies.helpers import (
    admin_form_data,
    create_editor,
    reply_form_data,
    sign_in,
    stored_reply,
)

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def article_url(lantern) -> str:
    return lantern[COAL_BOARD]


@pytest.fixture
def article(article_url) -> Article:
    return Article.objects.get(slug=article_url.rstrip("/").rsplit("/")[-1])


@pytest.fixture
def desk(db):
    create_editor("hilda")
    return sign_in(Client())


def cached(client, url: str):
    """The page as a reader gets it once it is in the cache (the first reader stored it)."""
    Client().get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT", "the page came from the cache"
    return response


def without_token(content: bytes) -> bytes:
    return TOKEN.sub(b"TOKEN", content)


@pytest.mark.parametrize(
    "kind", ["home", "publication", "decade", "year", "issue", "article", "author"]
)
def test_pages_come_from_the_cache_the_second_time_and_read_the_same(
    client, lantern, article, kind
):
    url = {
        "home": "/",
        "publication": "/the-lantern/",
        "decade": "/the-lantern/1950s/",
        "year": "/the-lantern/1950s/1952/",
        "issue": article.issue.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.authors.first().get_absolute_url() if article.authors.exists() else "/",
    }[kind]
    first = client.get(url)
    assert first["X-Cache"] == "MISS"
    second = Client().get(url)
    assert second["X-Cache"] == "HIT"
    assert without_token(second.content) == without_token(first.content)


def test_an_ingest_of_a_changed_source_shows_at_once(client, article_url, sources, ingest_paths):
    before = cached(client, article_url)
    assert COAL_BOARD_SENTENCE.encode() in before.content

    rewrite(sources / COAL_BOARD, COAL_BOARD_SENTENCE, "Neither proves a thing.")
    report = ingest_paths(sources, publication="The Lantern")
    assert report.count("updated") == 1, report.entries

    after = client.get(article_url)
    assert after.status_code == 200
    assert b"Neither proves a thing." in after.content
    assert COAL_BOARD_SENTENCE.encode() not in after.content
    assert after["ETag"] != before["ETag"]
    assert client.get(article_url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_an_editors_correction_shows_at_once_on_the_article_and_its_issue(client, desk, article):
    article_page = cached(client, article.get_absolute_url())
    issue_page = cached(client, article.issue.get_absolute_url())

    url = f"/admin/archive/article/{article.pk}/change/"
    data = admin_form_data(desk.get(url).content, "article_form")
    data.update(title=["The Coal Board Balances Its Books"], _save=["Save"])
    assert desk.post(url, data).status_code == 302

    for before in (article_page, issue_page):
        after = client.get(before.wsgi_request.path)
        assert b"The Coal Board Balances Its Books" in after.content
        assert after["ETag"] != before["ETag"]


def test_an_approved_reply_shows_at_once(client, desk, article):
    held = stored_reply(article, "I sat on that board.", status=Reply.Status.PENDING)
    before = cached(client, article.get_absolute_url())
    assert b"I sat on that board." not in before.content

    response = desk.post(
        "/admin/replies/reply/",
        {"action": "approve", ACTION_CHECKBOX_NAME: [held.pk], "index": 0},
    )
    assert response.status_code == 302

    after = client.get(article.get_absolute_url())
    assert b"I sat on that board." in after.content
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    )


def test_a_reader_served_from_the_cache_can_post_a_reply(lantern, article):
    """The cached page holds no one's CSRF token: each reader gets their own, and the
    CSRF cookie to go with it, so the reply goes through with CSRF checks on."""
    Client().get(article.get_absolute_url())  # someone else's visit stores the page
    reader = Client(enforce_csrf_checks=True)
    page = cached(reader, article.get_absolute_url())
    assert "csrftoken" in page.cookies, "a new reader gets a CSRF cookie with a cached page"
    form = html.fromstring(page.content).xpath('//form[@method="post"]')[0]
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]/@value')[0]

    response = reader.post(
        form.get("action"),
        reply_form_data(text="I read the accounts too.", csrfmiddlewaretoken=token),
    )
    assert response.status_code == 302, response.content[:500]
    assert Reply.objects.get().text == "I read the accounts too."

    # Back on the article: the thank-you note, on a page made for this reader alone.
    thanked = reader.get(response["Location"].split("#")[0])
    assert b"held for moderation" in thanked.content
    assert "X-Cache" not in thanked
    # The note is shown once; then the reader is back on the shared page.
    again = reader.get(article.get_absolute_url())
    assert b"held for moderation" not in again.content
    assert again["X-Cache"] == "HIT", "the shared page: a reply held for moderation changes none"


def test_two_readers_get_different_tokens_from_the_same_cached_page(lantern, article):
    url = article.get_absolute_url()
    first, second = Client(), Client()
    tokens = [TOKEN.search(cached(reader, url).content).group(1) for reader in (first, second)]
    assert tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_an_editor_never_gets_the_cached_page_nor_readers_the_editors(desk, lantern, article):
    url = article.get_absolute_url()
    as_editor = desk.get(url)
    assert as_editor.status_code == 200 and "X-Cache" not in as_editor
    # The editor's page was not stored: the first reader's page is made afresh.
    assert Client().get(url)["X-Cache"] == "MISS"
    assert Client().get(url)["X-Cache"] == "HIT"
    # And with readers' pages stored, the editor still gets a page of their own.
    again = desk.get(url)
    assert "X-Cache" not in again
    assert "private" in again["Cache-Control"]


def test_a_rejected_reply_is_shown_to_its_writer_only(client, lantern, article):
    url = article.get_absolute_url()
    cached(client, url)
    rejected = client.post(f"/replies/{article.pk}/post/", reply_form_data(text=""))
    assert rejected.status_code == 303 and rejected["Location"] == f"{url}#reply-errors"
    returned = client.get(url)  # at the article's own address, made for this reader alone
    assert b"Please write your reply" in returned.content
    assert "X-Cache" not in returned and "private" in returned["Cache-Control"]
    others = Client().get(url)
    assert b"Please write your reply" not in others.content
    assert others["X-Cache"] == "HIT"
    assert b"Please write your reply" not in client.get(url).content, "shown once"


@pytest.mark.parametrize("query", ["q=coal", "replyto=1"])
def test_pages_with_a_query_are_made_for_their_reader(client, lantern, article, query):
    url = article.get_absolute_url()
    cached(client, url)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200 and "X-Cache" not in response
    if query == "q=coal":
        assert b'class="search-hit"' in response.content
    assert b'class="search-hit"' not in client.get(url).content


def test_a_reply_posted_and_published_at_once_shows_to_every_reader(
    client, lantern, article, settings
):
    settings.BACKFILE_REPLIES_MODERATION = "trusted"
    stored_reply(article, "An earlier word.", author_email="len@example.org")
    url = article.get_absolute_url()
    cached(client, url)
    reader = Client()
    response = reader.post(
        f"/replies/{article.pk}/post/",
        reply_form_data(text="And another.", email="len@example.org"),
    )
    assert response.status_code == 302
    assert b"And another." in Client().get(url).content


def test_no_page_cache_with_zero_seconds(client, lantern, article, settings):
    settings.BACKFILE_PAGE_CACHE_SECONDS = 0
    url = article.get_absolute_url()
    client.get(url)
    second = Client().get(url)
    assert "X-Cache" not in second
    assert second["ETag"]


@pytest.mark.parametrize("path", ["/search/?q=coal", "/api/search?q=coal"])
def test_a_search_asked_again_comes_from_the_cache_until_the_archive_changes(
    client, article_url, sources, ingest_paths, path
):
    first = client.get(path)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    again = Client().get(path)
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    assert Client().get(path.replace("coal", "board"))["X-Cache"] == "MISS", "another query"

    rewrite(sources / COAL_BOARD, COAL_BOARD_SENTENCE, "Neither proves a thing about anthracite.")
    assert ingest_paths(sources, publication="The Lantern").count("updated") == 1
    fresh = Client().get(path.replace("coal", "anthracite"))
    assert fresh.status_code == 200 and fresh["X-Cache"] == "MISS"
    assert b"anthracite" in fresh.content.lower()
    assert Client().get(path)["X-Cache"] == "MISS", "the stored answer was retired by the ingest"
