"""An invented archive for housekeeping: *The Quarry Gazette* (a monthly of 1952) with
two issues, and *The Lantern Weekly*, each stored by the loader, and an editor signed in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backfile.archive.models import Article, Issue
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from tests.desk.conftest import signed_in

GAZETTE = "The Quarry Gazette"
LANTERN = "The Lantern Weekly"
MARCH = IssueRecord(year=1952, number=88, month=3)
APRIL = IssueRecord(year=1952, number=89, month=4)
LANTERN_MAY = IssueRecord(year=1952, number=7, month=5, day=2)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def record(publication: str, issue: IssueRecord, key: str, title: str) -> ArticleRecord:
    text = f"{title}: a paragraph of the invented archive."
    return ArticleRecord(
        publication=publication,
        key=key,
        issue=issue,
        title=title,
        source=Source.of(f"{key}.txt", "text", f"{title}\n\n{text}"),
        blocks=[Block("paragraph", text)],
        authors=["Ada Penrose"],
    )


@pytest.fixture
def archive(db) -> dict[str, Article]:
    report = load(
        [
            record(GAZETTE, MARCH, "tram-strike", "The Tram Strike"),
            record(GAZETTE, MARCH, "quarry-wages", "Quarry Wages"),
            record(GAZETTE, APRIL, "april-tram-strike", "The Tram Strike"),
            record(GAZETTE, APRIL, "allotments", "Allotments Saved"),
            record(LANTERN, LANTERN_MAY, "lantern-editorial", "Our Editorial"),
        ]
    )
    assert report.count("failed") == 0, report.entries
    # as if ingested long ago: a harvest since then should see only what moves
    Article.objects.update(modified=LONG_AGO)
    return {a.key: a for a in Article.objects.select_related("issue", "publication")}


def issue(number: int) -> Issue:
    return Issue.objects.select_related("publication").get(number=number)


@pytest.fixture
def editor(client, db):
    return signed_in(client, "hilda", "editor")
