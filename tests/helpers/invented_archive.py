"""A small invented archive for the feed and sitemap tests, stored through the real loader.

*The Weir Bulletin* (a monthly) and *Saltings Weekly* do not exist, and neither do
their writers: every line here is written for these tests.
"""

from __future__ import annotations

from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, IssueRecord
from tests.helpers.records import invented_record

WEIR = "The Weir Bulletin"
SALTINGS = "Saltings Weekly"

WEIR_ISSUES = [
    IssueRecord(year=1948, number=31, month=11),
    IssueRecord(year=1948, number=32, month=12),
    IssueRecord(year=1950, number=45),  # the source gives only the year
]
SALTINGS_ISSUES = [
    IssueRecord(year=1949, number=7, month=2, day=5),
    IssueRecord(year=1949, number=8, month=2, day=12),
]


def article(publication: str, issue: IssueRecord, title: str, **fields) -> ArticleRecord:
    return invented_record(publication, issue, title, **fields)


def archive_records() -> list[ArticleRecord]:
    """Two publications, five issues, eight articles with single, shared and no bylines."""
    nov, dec, undated = WEIR_ISSUES
    feb5, feb12 = SALTINGS_ISSUES
    return [
        article(
            WEIR,
            nov,
            "The Sluice Keepers' Ballot",
            section="Notes",
            position=1,
            authors=["Hester Marl"],
            standfirst="Eight keepers, one vote & no quorum",
        ),
        article(
            WEIR,
            nov,
            "Eels at Bramford Lock",
            section="Natural History",
            position=2,
            authors=["Owen Tarrant", "Hester Marl"],
            kicker="Upstream",
        ),
        article(
            WEIR,
            dec,
            "Winter Levels",
            section="Notes",
            position=1,
            authors=["Hester Marl"],
            summary="The river stands two feet above its mark.",
        ),
        article(
            WEIR,
            dec,
            "A Ferryman Remembers",
            section="Letters",
            position=2,
            authors=["Ada Penhallow", "Owen Tarrant", "Silas Crewe"],
        ),
        article(WEIR, undated, "Index to the Fifth Year", position=1),
        article(
            SALTINGS,
            feb5,
            "Tide Tables Revised",
            section="Harbour",
            position=1,
            authors=["Jory Bligh"],
        ),
        article(
            SALTINGS,
            feb12,
            "The Dredger Returns",
            section="Harbour",
            position=1,
            authors=["Jory Bligh", "Ada Penhallow"],
            kicker="Harbour works",
        ),
        article(SALTINGS, feb12, "Mud and Money", section="Comment", position=2),
    ]


def load_archive() -> list[ArticleRecord]:
    records = archive_records()
    report = load(records)
    assert report.count("added") == len(records), report.entries
    return records


def many_articles(count: int) -> list[ArticleRecord]:
    """`count` articles spread over monthly issues, each with two bylines: enough entries
    that a query per entry would show."""
    return [
        article(
            WEIR,
            IssueRecord(year=1960 + n // 36, number=100 + n // 3, month=n // 3 % 12 + 1),
            f"Gauge Reading {n}",
            section="Gauges",
            position=n % 3,
            authors=[f"Recorder {n % 4}", f"Assistant {n % 5}"],
        )
        for n in range(count)
    ]
