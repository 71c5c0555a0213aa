"""Atom feeds as a feed reader sees them: parsed by feedparser, followed link by link."""

from __future__ import annotations

from urllib.parse import urlparse

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from backfile.archive.models import Article
from backfile.ingest.loader import load
from tests.helpers.invented_archive import (
    SALTINGS,
    WEIR,
    archive_records,
    load_archive,
    many_articles,
)


def read_feed(client, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    for entry in feed.entries:  # what RFC 4287 requires of every entry
        assert entry.id and entry.title and entry.updated and entry.link, entry
    return feed


def path_of(url: str) -> str:
    return urlparse(url).path


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.fixture
def archive(db):
    return load_archive()


def test_the_archive_feed_lists_every_article_newest_issue_first(client, archive):
    feed = read_feed(client, "/feeds/articles.atom")

    assert titles(feed) == [
        # Weir, 1950 (year only), then Saltings 12 and 5 February 1949, then Weir 1948.
        "Index to the Fifth Year",
        "Harbour works: The Dredger Returns",
        "Mud and Money",
        "Tide Tables Revised",
        "Winter Levels",
        "A Ferryman Remembers",
        "The Sluice Keepers' Ballot",
        "Upstream: Eels at Bramford Lock",
    ]
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    changed = {a.get_absolute_url(): a.modified for a in Article.objects.select_related("issue")}
    for entry in feed.entries:  # updated: when the article last changed, not its cover date
        assert entry.updated == changed[urlparse(entry.link).path].isoformat()
    assert feed.entries[0].published.startswith("1950-01-01T00:00:00")


def test_every_entry_links_to_its_article_page(client, archive):
    feed = read_feed(client, "/feeds/articles.atom")

    for entry in feed.entries:
        page = client.get(path_of(entry.link))
        assert page.status_code == 200, entry.link
        assert entry.title.split(": ")[-1] in page.content.decode()
        assert entry.link.startswith("http://testserver/")


def test_entries_carry_bylines_in_order_sections_and_standfirsts(client, archive):
    feed = read_feed(client, "/feeds/articles.atom")
    entries = {entry.title: entry for entry in feed.entries}

    ferryman = entries["A Ferryman Remembers"]
    assert [a.name for a in ferryman.authors] == ["Ada Penhallow", "Owen Tarrant", "Silas Crewe"]
    assert client.get(path_of(ferryman.authors[0].href)).status_code == 200
    assert [t.term for t in ferryman.tags] == ["Letters"]

    ballot = entries["The Sluice Keepers' Ballot"]
    assert ballot.summary == "Eight keepers, one vote &amp; no quorum"
    assert entries["Winter Levels"].summary == "The river stands two feet above its mark."

    unsigned = entries["Mud and Money"]
    assert "authors" not in unsigned
    assert "summary" not in unsigned
    assert entries["Index to the Fifth Year"].get("tags", []) == []


def test_entry_ids_are_unique_and_survive_a_second_ingest(client, archive):
    before = {entry.title: entry.id for entry in read_feed(client, "/feeds/articles.atom").entries}
    pks = set(Article.objects.values_list("pk", flat=True))

    records = archive_records()
    records[0].summary = "Revised by the source."
    load(records)

    after = {entry.title: entry.id for entry in read_feed(client, "/feeds/articles.atom").entries}
    assert set(Article.objects.values_list("pk", flat=True)) == pks
    assert after == before
    assert len(set(before.values())) == len(before)


def test_a_publications_feed_holds_only_its_own_articles(client, archive):
    feed = read_feed(client, "/feeds/saltings-weekly/articles.atom")

    assert feed.feed.title == f"{SALTINGS}: latest articles"
    assert titles(feed) == [
        "Harbour works: The Dredger Returns",
        "Mud and Money",
        "Tide Tables Revised",
    ]
    assert all(path_of(e.link).startswith("/saltings-weekly/") for e in feed.entries)


def test_the_issues_feed_names_each_issue_and_its_contents(client, archive):
    feed = read_feed(client, "/feeds/the-weir-bulletin/issues.atom")

    assert titles(feed) == [
        f"{WEIR}, No. 45, 1950",
        f"{WEIR}, No. 32, December 1948",
        f"{WEIR}, No. 31, November 1948",
    ]
    december = feed.entries[1]
    assert "Winter Levels" in december.summary
    assert december.summary.index("Winter Levels") < december.summary.index("A Ferryman")
    assert december.published.startswith("1948-12-01")
    for entry in feed.entries:
        assert client.get(path_of(entry.link)).status_code == 200


def test_the_whole_archives_issues_feed_spans_publications(client, archive):
    feed = read_feed(client, "/feeds/issues.atom")

    assert len(feed.entries) == 5
    assert {tag.term for entry in feed.entries for tag in entry.tags} == {WEIR, SALTINGS}


def test_each_feed_has_its_own_id(client, archive):
    paths = [
        "/feeds/articles.atom",
        "/feeds/issues.atom",
        "/feeds/the-weir-bulletin/articles.atom",
        "/feeds/the-weir-bulletin/issues.atom",
    ]
    ids = [read_feed(client, path).feed.id for path in paths]

    assert ids == [f"http://testserver{path}" for path in paths]


@pytest.mark.parametrize("feed", ["articles", "issues"])
def test_an_unknown_publication_has_no_feed(client, archive, feed):
    assert client.get(f"/feeds/the-lost-gazette/{feed}.atom").status_code == 404


def test_an_empty_archive_has_an_empty_feed(client, db):
    assert read_feed(client, "/feeds/articles.atom").entries == []


def test_pages_announce_the_feeds_to_feed_readers(client, archive):
    def alternates(path: str) -> list[str]:
        page = html.fromstring(client.get(path).content)
        return page.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')

    assert alternates("/") == ["/feeds/articles.atom"]
    assert alternates("/saltings-weekly/") == [
        "/feeds/articles.atom",
        "/feeds/saltings-weekly/articles.atom",
    ]
    for href in alternates("/saltings-weekly/"):
        assert read_feed(client, href).entries


@pytest.mark.parametrize(
    ("path", "queries", "entries"),
    [
        # Each also reads the archive's generation (the ETag and page cache key).
        # the articles with issue and publication; the bylines; the archive's name (its author)
        ("/feeds/articles.atom", 4, 50),
        ("/feeds/the-weir-bulletin/articles.atom", 4, 50),  # the publication, its own author
        ("/feeds/issues.atom", 4, 20),  # the issues; their contents; the archive's name
    ],
)
def test_a_feed_takes_the_same_few_queries_however_many_entries(
    client, db, django_assert_max_num_queries, path, queries, entries
):
    load(many_articles(60))  # 20 issues of three articles, each with two bylines

    with django_assert_max_num_queries(queries):
        feed = read_feed(client, path)

    assert len(feed.entries) == entries


@pytest.mark.parametrize("path", ["/feeds/articles.atom", "/feeds/issues.atom"])
def test_a_feed_leaves_the_article_bodies_in_the_database(client, archive, path):
    with CaptureQueriesContext(connection) as queries:
        read_feed(client, path)

    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if '"blocks"' in q["sql"]]
