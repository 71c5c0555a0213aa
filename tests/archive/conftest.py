"""An invented monthly and an invented weekly, stored through the real loader.

Everything here is written for these tests: *The Lamplighter* and *The Tideway*
do not exist, and neither do their writers.
"""

from __future__ import annotations

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, ReviewedWork
from tests.helpers.records import invented_record

LAMPLIGHTER = "The Lamplighter"
TIDEWAY = "The Tideway"
MARCH_1954 = IssueRecord(year=1954, number=118, month=3)
APRIL_1954 = IssueRecord(year=1954, number=119, month=4)
MAY_1955 = IssueRecord(year=1955, number=132, month=5)
JANUARY_1961 = IssueRecord(year=1961, number=200, month=1)
TIDEWAY_ISSUE = IssueRecord(year=2003, number=455, month=7, day=4)


def paragraph(text: str, html: str = "") -> Block:
    return Block("paragraph", text=text, html=html)


def quotation(*blocks: Block) -> Block:
    return Block("quotation", blocks=list(blocks))


def article(
    title: str, issue: IssueRecord = MARCH_1954, publication: str = LAMPLIGHTER, **fields
) -> ArticleRecord:
    return invented_record(publication, issue, title, **fields)


REVIEW_BODY = [
    paragraph("Mr Pellow has walked every lane of the old county and measured most of them."),
    quotation(
        paragraph("The surveyors came in spring, when the roads were at their worst."),
        quotation(paragraph("No map shall show the mill, the chapel, or the ford.")),
        paragraph("So the order ran, and so the maps were drawn."),
    ),
    paragraph("It is a strange instruction to find in a public office."),
    Block("section_break"),
    Block("heading", text="The second volume"),
    paragraph(
        "Readers will want the second volume & its index.",
        html='Readers will want the <em>second</em> volume &amp; <a href="https://example.org/index">its index</a>.',
    ),
]


def lamplighter_records() -> list[ArticleRecord]:
    return [
        article(
            "Cheap Bread and Dear Rents",
            section="Editorial",
            position=1,
            pages="1",
            authors=["Martha Quill"],
            blocks=[paragraph("Wages rose by a penny and rents by a shilling.")],
        ),
        article(
            "Maps of a Lost Province",
            section="Book Review",
            kicker="Surveying the vanished county",
            standfirst="What the cartographers were told to leave out",
            summary="A history of the county maps, reviewed.",
            position=2,
            pages="6-7",
            authors=["Oswin Hale", "Martha Quill"],
            reviewed_works=[
                ReviewedWork(
                    title="The Unmapped Shire",
                    author="Gideon Pellow",
                    publisher="Harrow & Vane",
                    place="Bristol",
                    year=1953,
                    price="12s. 6d.",
                )
            ],
            blocks=REVIEW_BODY,
        ),
        article(
            "Seed Catalogues of the Year",
            section="Book Review",
            position=3,
            pages="8",
            authors=["Oswin Hale"],
            blocks=[
                paragraph("<script>alert('hi')</script> grows best in clay."),
                paragraph(
                    "Order from the society.",
                    html='<a href="javascript:alert(1)" onclick="steal()">Order</a> from the '
                    '<img src="x" onerror="steal()"><b>society</b>.<script>steal()</script>',
                ),
            ],
        ),
        article("Notes from the Canal", section="Letters", position=4, authors=["P. Dunmore"]),
        article("Spring Lectures", issue=APRIL_1954, section="Notices", position=1),
        article("Hale on Hire Purchase", issue=MAY_1955, position=1, authors=["Oswin Hale"]),
        article("The Sixties Begin", issue=JANUARY_1961, position=1, authors=["Oswin Hale"]),
        article(
            "Dockers Hold the Line",
            issue=TIDEWAY_ISSUE,
            publication=TIDEWAY,
            kicker="Transit workers show their power",
            position=1,
            authors=["Oswin Hale"],
        ),
    ]


REVIEW_URL = "/the-lamplighter/1950s/1954/no-118-march-1954/maps-of-a-lost-province/"
ISSUE_URL = "/the-lamplighter/1950s/1954/no-118-march-1954/"


@pytest.fixture
def lamplighter(db):
    """The invented archive, loaded; returns the loader's report."""
    report = load(lamplighter_records())
    assert report.count("failed") == 0, report.entries
    return report
