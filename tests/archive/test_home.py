"""The home page: each publication with its span and counts, the largest first; "this day in
the archive"; recent additions; and a page cache that turns over with the date.

The publications here (*The Ferry Ledger*, *A Test Blog*) and their articles are invented.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backfile.caching import http
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.archive.pages import fetch, links, one, text_of
from tests.helpers.records import invented_record

pytestmark = pytest.mark.django_db

LEDGER = "The Ferry Ledger"
BLOG = "A Test Blog"  # first by name, smallest by size: it must not open the page


def earlier_year(today: date) -> int:
    """A year before today's that has today's day and month (29 February: a leap year)."""
    year = today.year - 30
    while True:
        try:
            date(year, today.month, today.day)
            return year
        except ValueError:
            year -= 1


def on(day: date, number: int) -> IssueRecord:
    return IssueRecord(year=day.year, number=number, month=day.month, day=day.day)


@pytest.fixture
def archive(db):
    today = timezone.localdate()
    then = date(earlier_year(today), today.month, today.day)
    longer_ago = date(earlier_year(then), today.month, today.day)
    records = [
        invented_record(LEDGER, on(longer_ago, 2), "Ferry Strike Ends", position=1),
        invented_record(BLOG, IssueRecord(year=2019, number=1), "Hello world!", position=1),
        invented_record(LEDGER, on(then, 10), "The Slipway Reopens", position=1),
        invented_record(LEDGER, on(then, 10), "Fares Held for Winter", position=2),
        invented_record(LEDGER, on(then - timedelta(days=7), 9), "A Week Too Early", position=1),
        invented_record(LEDGER, on(date(1993, 3, 19), 442), "Crossing Notes", position=1),
        invented_record(LEDGER, on(date(1993, 3, 26), 443), "Last Sailing", position=1),
    ]
    report = load(records)
    assert report.count("failed") == 0, report.entries
    return then


def test_publications_are_listed_largest_first_with_span_and_counts(client, archive):
    main = one(fetch(client, "/"), "//main")
    names = [text_of(h) for h in main.xpath(".//ul[@class='publication-list']/li/h2")]
    assert names == [LEDGER, BLOG]
    ledger = main.xpath(".//ul[@class='publication-list']/li")[0]
    span = f"{min(earlier_year(archive), 1993)}–{max(archive.year, 1993)}"
    assert f"{span} · 5 issues · 6 articles" in text_of(ledger)
    blog = main.xpath(".//ul[@class='publication-list']/li")[1]
    assert "2019 · 1 issue · 1 article" in text_of(blog)
    assert links(blog)["2010s"] == "/a-test-blog/2010s/"


def test_this_day_shows_articles_of_issues_dated_today_in_earlier_years(client, archive):
    panel = one(fetch(client, "/"), "//section[@aria-labelledby='this-day']")
    today = timezone.localdate()
    assert f"{today.day} {today:%B}" in text_of(panel.xpath(".//h2")[0])
    titles = [text_of(a) for a in panel.xpath(".//li/a")]
    # Each issue's lead article, the latest year first, then the next articles.
    assert titles == ["The Slipway Reopens", "Ferry Strike Ends", "Fares Held for Winter"]
    assert links(panel)["The Slipway Reopens"].startswith(
        f"/the-ferry-ledger/{archive.year // 10 * 10}s/"
    )


def test_this_day_says_so_when_no_issue_falls_on_it(client, db):
    yesterday = timezone.localdate() - timedelta(days=1)
    then = date(earlier_year(yesterday), yesterday.month, yesterday.day)
    load([invented_record(LEDGER, on(then, 442), "Crossing Notes", position=1)])
    panel = one(fetch(client, "/"), "//section[@aria-labelledby='this-day']")
    assert "No issue in the archive is dated" in text_of(panel)
    assert panel.xpath(".//li") == []


def test_recent_additions_list_the_articles_stored_last_first(client, archive):
    load([invented_record(LEDGER, on(date(1994, 1, 7), 460), "Newly Brought In", position=1)])
    panel = one(fetch(client, "/"), "//section[@aria-labelledby='recent']")
    titles = [text_of(li.xpath("./a")[0]) for li in panel.xpath(".//li")]
    assert titles[0] == "Newly Brought In"
    assert (
        links(panel)["No. 460, 7 January 1994"]
        == "/the-ferry-ledger/1990s/1994/no-460-january-7-1994/"
    )


def test_home_queries_do_not_grow_with_the_archive(client, archive, django_assert_max_num_queries):
    load(
        invented_record(f"Gazette {n}", on(date(1950 + n, 1, 6), n), f"Item {n}", position=1)
        for n in range(15)
    )
    # Publications, their issues' counts, their articles' counts, their decades, this day's
    # issues and their articles, recent additions, and the generation.
    with django_assert_max_num_queries(8):
        fetch(client, "/")


def test_a_home_page_made_as_midnight_strikes_shows_the_day_it_is_kept_for(
    client, archive, monkeypatch
):
    """The page cache reads the date for the page's key; midnight strikes before the page
    is made. The page kept for the old day must show the old day, and the new day's
    readers get a page of their own."""
    day = timezone.localdate()
    midnight = day + timedelta(days=1)
    monkeypatch.setattr(http, "today", lambda: day)  # the date the cache's key is made with
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: midnight)  # the clock
    made = client.get("/")
    assert made["X-Cache"] == "MISS"
    assert f"{day.day} {day:%B}" in made.content.decode()
    assert f"{midnight.day} {midnight:%B}" not in made.content.decode()
    kept = Client().get("/")
    assert kept["X-Cache"] == "HIT" and kept.content == made.content
    monkeypatch.setattr(http, "today", lambda: midnight)  # the new day's readers
    fresh = Client().get("/")
    assert fresh["X-Cache"] == "MISS"
    assert f"{midnight.day} {midnight:%B}" in fresh.content.decode()


def test_the_home_page_is_cached_for_the_day_and_turns_over_at_midnight(
    client, archive, monkeypatch
):
    first = client.get("/")
    assert Client().get("/")["X-Cache"] == "HIT"
    etag, modified = first["ETag"], first.get("Last-Modified")

    # The next day: yesterday's page is neither served nor confirmed.
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    fresh = client.get("/")
    assert fresh.status_code == 200
    assert fresh["X-Cache"] == "MISS"
    assert fresh["ETag"] != etag
    assert f"{tomorrow.day} {tomorrow:%B}" in fresh.content.decode()
    assert client.get("/", headers={"if-none-match": etag}).status_code == 200
    if modified:
        assert client.get("/", headers={"if-modified-since": modified}).status_code == 200
    # And the new day's page is cached in its turn.
    assert client.get("/", headers={"if-none-match": fresh["ETag"]}).status_code == 304
    assert Client().get("/")["X-Cache"] == "HIT"
