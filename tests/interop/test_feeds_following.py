"""Feeds a reader follows: valid RFC 4287 in every case (a feed-level author wherever an entry
has none), issues dated by when they changed, feeds of an author, a section and a search (a
reader's alert), and no control character that can break them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from backfile.archive.models import Article, Author, Issue, Publication
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.helpers.records import invented_record
from tests.interop.test_feeds import read_feed

ATOM = {"a": "http://www.w3.org/2005/Atom"}
BELL = "The Quarry Bell"


def bell(title: str, number: int, **fields):
    return invented_record(BELL, IssueRecord(year=1921, number=number, month=5, day=number),
                           title, **fields)  # fmt: skip


@pytest.fixture
def bell_archive(db):
    load([
        bell("Powder Prices Again", 3, authors=["Gwen Pritchard"], section="Leader"),
        bell("The Incline Accident", 3, section="Notes"),  # unsigned
        bell("A Choir at Blaenau", 10, authors=["Owain Rees"], section="Notes"),
        bell("Strike at the Penrhyn", 17, authors=["Gwen Pritchard"], section="Leader"),
    ])  # fmt: skip
    Publication.objects.filter(name=BELL).update(publisher="North Wales Quarrymen's Union")


def atom_errors(content: bytes) -> list[str]:
    """What RFC 4287 requires that the document lacks: a feed id, title and updated; an author
    on the feed or on every entry; each entry's id, title, updated and link."""
    feed = etree.fromstring(content)
    found = []
    for name in ("id", "title", "updated"):
        if feed.find(f"a:{name}", ATOM) is None:
            found.append(f"feed has no {name}")
    feed_author = feed.find("a:author/a:name", ATOM) is not None
    for entry in feed.iterfind("a:entry", ATOM):
        for name in ("id", "title", "updated", "link"):
            if entry.find(f"a:{name}", ATOM) is None:
                found.append(f"an entry has no {name}")
        if not feed_author and entry.find("a:author/a:name", ATOM) is None:
            found.append(f"{entry.findtext('a:title', namespaces=ATOM)!r} has no author")
    return found


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/articles.atom",
        "/feeds/issues.atom",
        "/feeds/the-quarry-bell/articles.atom",
        "/feeds/the-quarry-bell/issues.atom",
        "/feeds/the-quarry-bell/sections/notes.atom",
        "/authors/gwen-pritchard/articles.atom",
        "/search/feed.atom?q=prices",
    ],
)
def test_every_feed_is_valid_atom_with_an_author_for_unsigned_entries(client, bell_archive, path):
    response = client.get(path)

    assert response.status_code == 200
    assert atom_errors(response.content) == []
    read_feed(client, path)  # feedparser reads it without complaint


def test_a_publications_feed_is_by_its_publisher_and_the_archives_by_the_archive(
    client, bell_archive
):
    own = etree.fromstring(client.get("/feeds/the-quarry-bell/issues.atom").content)
    whole = etree.fromstring(client.get("/feeds/issues.atom").content)

    assert own.findtext("a:author/a:name", namespaces=ATOM) == "North Wales Quarrymen's Union"
    assert whole.findtext("a:author/a:name", namespaces=ATOM) == BELL


def test_an_issue_entry_is_updated_when_its_articles_last_changed(client, bell_archive):
    changed = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    Article.objects.filter(issue__number=10).update(modified=changed)

    feed = read_feed(client, "/feeds/issues.atom")

    entry = next(e for e in feed.entries if "No. 10" in e.title)
    assert entry.updated.startswith("2026-12-01T09:30")
    assert entry.published.startswith("1921-05-10")


def test_an_authors_feed_holds_their_articles_newest_first(client, bell_archive):
    feed = read_feed(client, "/authors/gwen-pritchard/articles.atom")

    assert [e.title for e in feed.entries] == ["Strike at the Penrhyn", "Powder Prices Again"]
    assert feed.feed.author == "Gwen Pritchard"


def test_a_sections_feed_holds_that_section_only(client, bell_archive):
    feed = read_feed(client, "/feeds/the-quarry-bell/sections/leader.atom")

    assert [e.title for e in feed.entries] == ["Strike at the Penrhyn", "Powder Prices Again"]
    assert client.get("/feeds/the-quarry-bell/sections/sport.atom").status_code == 404


def test_a_search_feed_is_a_readers_alert_for_new_matches(client, bell_archive):
    before = read_feed(client, "/search/feed.atom?q=strike")
    load([bell("Strike Spreads to Dinorwig", 24, section="Leader")])
    after = read_feed(client, "/search/feed.atom?q=strike")

    assert [e.title for e in before.entries] == ["Strike at the Penrhyn"]
    assert [e.title for e in after.entries] == [
        "Strike Spreads to Dinorwig",
        "Strike at the Penrhyn",
    ]


def test_the_search_page_and_author_page_announce_their_feeds(client, bell_archive):
    search = client.get("/search/?q=strike").content.decode()
    author = client.get(Author.objects.get(name="Gwen Pritchard").get_absolute_url())

    assert 'href="/search/feed.atom?q=strike"' in search
    assert 'href="/authors/gwen-pritchard/articles.atom"' in author.content.decode()


def test_control_characters_in_stored_text_never_break_a_feed(client, bell_archive):
    Article.objects.filter(title="A Choir at Blaenau").update(
        title="A Choir\x0b at Blaenau\x1f", standfirst="Voices\x01 raised", section="No\x08tes"
    )
    Issue.objects.filter(number=10).update(title="Number\x01 Ten")

    articles = read_feed(client, "/feeds/articles.atom")
    issues = read_feed(client, "/feeds/issues.atom")
    section = read_feed(client, "/feeds/the-quarry-bell/sections/notes.atom")

    assert "A Choir at Blaenau" in [e.title for e in articles.entries]
    assert "Voices raised" in [e.get("summary") for e in articles.entries]
    assert f"{BELL}, Number Ten" in [e.title for e in issues.entries]
    assert "A Choir at Blaenau" in [e.title for e in section.entries]
