"""Twelve articles of two invented periodicals, for the hand-checked citation table
(test_citation_table.py): signed and unsigned, two and eight writers, a review, a weekly
newspaper's and a monthly's, titles that quote or ask, a name with a particle, a byline with an
invisible character in it."""

from __future__ import annotations

from backfile.ingest.records import IssueRecord, ReviewedWork
from tests.helpers.records import invented_record

WEEKLY = "The Quarry Bell"  # a weekly: its articles are newspaper articles
MONTHLY = "The Estuary Review"  # a monthly magazine
BELL = IssueRecord(year=1921, number=12, volume=3, month=5, day=3)
ESTUARY = IssueRecord(year=1960, number=4, volume=2, month=6)  # a month-only issue

EIGHT = ["Ann Kell", "Bryn Hughes", "Cerys Lloyd", "Dai Evans", "Eira Jones", "Ffion Rees",
         "Gwyn Price", "Huw Parry"]  # fmt: skip

CASES = {
    "signed": invented_record(WEEKLY, BELL, "The Slate Owners Answer", authors=["Gwen Pritchard"],
                              pages="4"),
    "unsigned": invented_record(WEEKLY, BELL, "The Incline Accident", pages="2"),
    "two writers": invented_record(MONTHLY, ESTUARY, "Saltings and Sea Walls",
                                   authors=["Ann Kell", "Owain Rees"], pages="10-12"),
    "eight writers": invented_record(MONTHLY, ESTUARY, "A Survey of the Foreshore",
                                     authors=EIGHT, pages="3"),
    "review": invented_record(
        MONTHLY, ESTUARY, "Stones That Speak", authors=["Idris Morgan"], pages="20",
        reviewed_works=[ReviewedWork(title="Rocks and Their Uses", author="Thomas Lloyd",
                                     publisher="Cambrian Press", place="Bangor", year=1959)],
    ),
    "unsigned monthly": invented_record(MONTHLY, ESTUARY, "Notes of the Month", pages="1"),
    "quoted title": invented_record(WEEKLY, BELL, '"We will not go back"',
                                    authors=["Gwen Pritchard"], pages="1"),
    "question title": invented_record(MONTHLY, ESTUARY, "Recovery?", authors=["Jon Van Camp"],
                                      pages="6 and 7"),
    "particle": invented_record(MONTHLY, ESTUARY, "The Ferry Dispute",
                                authors=["Clémence de la Roche"], pages="8"),
    "invisible character": invented_record(WEEKLY, BELL, "Powder Prices Again",
                                           authors=["Owain\u200b Rees\u200b"], pages="3"),
    "collective byline": invented_record(WEEKLY, BELL, "From the Districts",
                                         authors=["Our Correspondent"], pages="5"),
    "nested quotes": invented_record(MONTHLY, ESTUARY, 'Why "Planning" Failed',
                                     authors=["Ann Kell"], pages="14"),
}  # fmt: skip
