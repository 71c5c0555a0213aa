"""Invented articles for the search tests, stored through the one loader."""

from __future__ import annotations

from datetime import date

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source


def record(
    key: str,
    title: str,
    body: str = "",
    *,
    publication: str = "The Lamplighter",
    year: int = 1937,
    month: int = 9,
    number: int | None = None,
    authors: tuple[str, ...] = (),
    section: str = "",
    kicker: str = "",
    standfirst: str = "",
    published: date | None = None,
) -> ArticleRecord:
    """One invented article; the body's paragraphs are separated by blank lines."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return ArticleRecord(
        publication=publication,
        key=key,
        issue=IssueRecord(year=year, month=month, number=number),
        title=title,
        source=Source.of(f"invented/{key}.txt", "test", f"{title}\n{body}"),
        section=section,
        kicker=kicker,
        standfirst=standfirst,
        authors=list(authors),
        published=published,
        blocks=[Block(type="paragraph", text=p) for p in paragraphs],
    )


@pytest.fixture
def store(db):
    """Store records through the loader (which is what keeps the index in step)."""

    def run(*records: ArticleRecord):
        report = load(records)
        assert report.count("failed") == 0, report.entries
        return report

    return run


ARCHIVE = [
    record(
        "ferry-strike",
        "Ferry crews stop the crossing",
        "The ferry crews walked off at dawn and the strike held all week.\n\n"
        "Their union branch met in the café by the slipway; the débâcle of the "
        "management's offer was plain to everyone on the quay.",
        year=1937,
        month=9,
        authors=("Ada Quillfeather",),
        section="Industry",
        kicker="Harbour workers show their strength",
    ),
    record(
        "nationalisation-mills",
        "The case for nationalisation of the mills",
        "Nationalisation alone will not organise the mill hands. The Labour "
        "benches talk of defence contracts while the looms stand idle.",
        year=1938,
        month=3,
        authors=("Bertram Oakes",),
        section="Comment",
    ),
    record(
        "organizing-labor",
        "Organizing labor in the canneries",
        "The cannery organization grew from twelve members to three hundred. "
        "Labor's defense fund paid the striking crews through the winter.",
        publication="The Night Signal",
        year=1952,
        month=6,
        authors=("Cora Pennywhistle",),
        section="Industry",
    ),
    record(
        "wal-mart",
        "Inside a Wal-Mart warehouse",
        "Pickers at the Wal-Mart depot are timed to the second by handheld scanners.",
        publication="The Night Signal",
        year=2004,
        month=2,
        authors=("Dev Okonjo",),
        section="Features",
    ),
    record(
        "walmart-wages",
        "Walmart wages fall again",
        "The retailer cut hours at its stores across the county.",
        publication="The Night Signal",
        year=2005,
        month=7,
        authors=("Dev Okonjo",),
        section="News",
    ),
    record(
        "union-poem",
        "Song of the slipway",
        "A strike is a long word in winter. The tide turned twice before the "
        "union hall lit its lamps again.",
        year=1939,
        month=1,
        authors=("Ada Quillfeather",),
        section="Poetry",
    ),
    record(
        "quotes",
        "Don’t mourn, organise",
        "“Workers’ councils” were the talk of the hall, said O’Brien.",
        year=1931,
        month=5,
        authors=("Ada Quillfeather", "Bertram Oakes"),
        section="Comment",
    ),
    record(
        "weather",
        "A fine week for the allotments",
        "Runner beans and marrows; nothing about the docks at all. Strike a match for the stove.",
        year=1937,
        month=9,
        section="Gardens",
        standfirst="Our gardener on the strike of frost",
    ),
]


@pytest.fixture
def archive(store):
    """The invented archive above, stored and indexed."""
    store(*ARCHIVE)
    return ARCHIVE
