"""Pages under one publication's address stay in the cache while another publication changes.

An archive holds several publications; an ingest into one of them, or a reply
approved there, must not retire every other publication's pages (under load,
a server re-rendering all of them at once keeps a reader's reply waiting). Pages
that show more than one publication (the home page, authors, search) still change
with any of them, and a shared change (an author's name) shows everywhere.
"""

from __future__ import annotations

import pytest
from django.test import Client

from backfile.archive.models import Article, Author
from backfile.ingest.loader import load
from backfile.replies.models import Reply
from tests.caching.conftest import COAL_BOARD
from tests.replies.helpers import article_record, stored_article, stored_reply


def cache_state(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response["X-Cache"]


@pytest.fixture
def lantern_pages(lantern) -> list[str]:
    """The Lantern's article, issue, year and publication pages, each stored in the cache."""
    article = Article.objects.get(slug=lantern[COAL_BOARD].rstrip("/").rsplit("/")[-1])
    pages = [
        article.get_absolute_url(),
        article.issue.get_absolute_url(),
        "/the-lantern/1950s/1952/",
        "/the-lantern/",
    ]
    for url in [*pages, "/"]:
        cache_state(url)
        assert cache_state(url) == "HIT", url
    return pages


def test_an_ingest_into_another_publication_leaves_this_ones_pages_cached(lantern_pages):
    gazette = stored_article()  # The Quarry Gazette, through the loader

    assert [cache_state(url) for url in lantern_pages] == ["HIT"] * len(lantern_pages)
    home = Client().get("/")
    assert home["X-Cache"] == "MISS", "the home page lists every publication"
    assert b"The Quarry Gazette" in home.content
    assert cache_state(gazette.get_absolute_url()) == "MISS"


def test_a_new_article_in_the_same_publication_shows_on_its_pages(lantern, lantern_pages):
    record = article_record(key="late-news", title="Late News From the Pits")
    record.publication = "The Lantern"  # its No. 88, March 1952
    assert load([record]).count("added") == 1

    issue = Client().get(lantern_pages[1])
    assert issue["X-Cache"] == "MISS"
    assert b"Late News From the Pits" in issue.content


def test_a_reply_approved_in_another_publication_leaves_this_ones_pages_cached(lantern_pages):
    gazette = stored_article()
    cache_state(gazette.get_absolute_url())
    assert cache_state(gazette.get_absolute_url()) == "HIT"

    reply = stored_reply(gazette, "I drove the number nine.", status=Reply.Status.PENDING)
    assert cache_state(gazette.get_absolute_url()) == "HIT", "held for moderation: no change"
    reply.status = Reply.Status.APPROVED
    reply.save()

    shown = Client().get(gazette.get_absolute_url())
    assert shown["X-Cache"] == "MISS" and b"I drove the number nine." in shown.content
    assert [cache_state(url) for url in lantern_pages] == ["HIT"] * len(lantern_pages)


def test_a_shared_change_shows_in_every_publication(lantern_pages):
    gazette = stored_article(authors=["Ada Penrose"])
    cache_state(gazette.get_absolute_url())
    author = Author.objects.get(name="Ada Penrose")
    author.name = "Ada M. Penrose"
    author.save()

    assert b"Ada M. Penrose" in Client().get(gazette.get_absolute_url()).content
    assert [cache_state(url) for url in lantern_pages] == ["MISS"] * len(lantern_pages)
