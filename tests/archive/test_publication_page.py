"""The publication page: its masthead from the catalogue record, its description, its
holdings year by year, the jump to a date and its feeds.

*The Ferry Ledger* and its catalogue record are invented for these tests.
"""

from __future__ import annotations

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord, PublicationRecord
from tests.archive.pages import fetch, links, one, text_of
from tests.helpers.records import invented_record

pytestmark = pytest.mark.django_db

LEDGER = "The Ferry Ledger"
CATALOGUE = {
    "full_title": "The Ferry Ledger: a weekly of the estuary crossings",
    "issn": "0378-5955",
    "publisher": "Estuary Boatmen's Society",
    "place": "Saltash",
    "frequency": "weekly",
    "languages": "en, cy",
    "rights": "http://rightsstatements.org/vocab/NoC-US/1.0/",
    "description": "Published by the boatmen for the passengers.\n\nIt printed the tide tables.",
    "first_issue": "No. 1 (May 1981)",
}


@pytest.fixture
def ledger(db):
    issues = [
        IssueRecord(year=1991, number=300, month=6, day=7),
        IssueRecord(year=1993, number=438, month=2, day=19),
        IssueRecord(year=1993, number=439, month=2, day=26),
        IssueRecord(year=2001, number=700, month=1, day=5),
    ]
    records = [
        invented_record(LEDGER, issue, f"Crossing Notes {issue.number}", position=1)
        for issue in issues
    ]
    report = load([PublicationRecord(LEDGER, CATALOGUE), *records])
    assert report.count("failed") == 0, report.entries


def test_the_masthead_gives_the_catalogue_record_and_the_run_held(client, ledger):
    main = one(fetch(client, "/the-ferry-ledger/"), "//main")
    assert text_of(one(main, ".//h1")) == (
        "The Ferry Ledger The Ferry Ledger: a weekly of the estuary crossings"
    )
    facts = {
        text_of(row.xpath("./dt")[0]): text_of(row.xpath("./dd")[0])
        for row in main.xpath(".//dl[@class='masthead__facts']/div")
    }
    assert facts == {
        "Published": "Saltash: Estuary Boatmen's Society",
        "Frequency": "Weekly",
        "ISSN": "0378-5955",
        "Languages": "English, Welsh",
        "Published from": "No. 1 (May 1981) to the present",
        "In the archive": "No. 300, 7 June 1991 to No. 700, 5 January 2001: 4 issues, 4 articles",
        "Rights": "http://rightsstatements.org/vocab/NoC-US/1.0/",
    }
    rights = one(main, ".//a[@rel='license']")
    assert rights.get("href") == "http://rightsstatements.org/vocab/NoC-US/1.0/"
    paragraphs = [text_of(p) for p in main.xpath(".//div[@class='masthead__description']/p")]
    assert paragraphs == [
        "Published by the boatmen for the passengers.",
        "It printed the tide tables.",
    ]


def test_holdings_count_the_issues_of_each_year_decade_by_decade(client, ledger):
    table = one(fetch(client, "/the-ferry-ledger/"), "//table[@class='holdings']")
    assert text_of(one(table, "./caption")).startswith("Issues in the archive, by year")
    rows = [
        [text_of(cell) for cell in row.xpath("./th|./td")] for row in table.xpath(".//tbody/tr")
    ]
    assert rows == [
        ["1990s", "", "1", "", "2", "", "", "", "", "", "", "3"],
        ["2000s", "", "1", "", "", "", "", "", "", "", "", "1"],
    ]
    year = one(table, ".//a[@aria-label='1993: 2 issues']")
    assert year.get("href") == "/the-ferry-ledger/1990s/1993/"
    assert fetch(client, year.get("href")).xpath("//h1")


def test_the_feeds_are_linked_from_the_page_and_its_head(client, ledger):
    page = fetch(client, "/the-ferry-ledger/")
    feeds = links(one(page, "//section[@aria-labelledby='feeds-title']"))
    assert feeds == {
        "Latest articles (Atom feed)": "/feeds/the-ferry-ledger/articles.atom",
        "New issues (Atom feed)": "/feeds/the-ferry-ledger/issues.atom",
    }
    alternates = {link.get("href") for link in page.xpath("//head/link[@rel='alternate']")}
    assert "/feeds/the-ferry-ledger/articles.atom" in alternates
    for url in feeds.values():
        assert client.get(url).status_code == 200


def test_a_publication_without_catalogue_record_or_issues_still_has_a_page(client, db):
    load([PublicationRecord("The Empty Quarterly", {})])
    main = one(fetch(client, "/the-empty-quarterly/"), "//main")
    assert "No issues of The Empty Quarterly are in the archive yet." in text_of(main)
    assert main.xpath(".//dl/div") == []
    assert main.xpath(".//form") == []
