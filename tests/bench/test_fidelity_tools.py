"""The comparison rules the fidelity bench scores by, on invented records."""

from __future__ import annotations

import json
import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from fidelity_tools import Score, compare, folded, normalise, page_numbers, seal  # noqa: E402

ENTRY = {
    "id": "invented/1",
    "family": "legacy-en",
    "source": {"corpus": "x", "path": "x"},
    "title": "The harbour “strike” goes on",
    "kicker": "Dockers hold out",
    "section": "On the picket line",
    "standfirst": "",
    "authors": [
        {"name": "Ada Quill", "role": "author"},
        {"name": "Ben Marsh", "role": "author"},
        {"name": "Cora Vane", "role": "contributor"},
    ],
    "issue": {"number": 12, "date": "1999-04-02", "precision": "day"},
    "published": "1999-04-02",
    "pages": "6 and 7",
    "language": "en",
    "body": {
        "first": "THE DOCKERS walked out on Monday--all of them",
        "last": "The fight goes on.",
        "paragraphs": 2,
        "quotations": 1,
        "lists": 0,
        "tables": 0,
        "subheads": 0,
        "footnotes": 0,
    },
}


def record(**changes):
    base = {
        "title": 'The harbour "strike" goes on',
        "kicker": "DOCKERS HOLD OUT",
        "section": "ON THE PICKET LINE",
        "standfirst": "",
        "authors": ["ADA QUILL", "Ben Marsh", {"name": "Cora Vane", "role": "contributor"}],
        "issue": {"number": 12, "year": 1999, "month": 4, "day": 2},
        "published": None,
        "pages": "Pages 6-7",
        "language": "en-GB",
        "blocks": [
            {"type": "paragraph", "text": "THE DOCKERS walked out on Monday—all of them, and"},
            {"type": "quotation", "text": "", "blocks": [{"type": "paragraph", "text": "Out!"}]},
            {"type": "paragraph", "text": "The fight\ngoes on."},
        ],
    }
    base.update(changes)
    return base


def scored(rec):
    score = Score()
    compare(ENTRY, rec, score)
    return {m.field for m in score.mismatches}


def test_quotes_dashes_case_of_labels_pages_and_region_are_forgiven():
    assert scored(record()) == set()


def test_author_order_and_roles_count():
    assert scored(record(authors=["Ben Marsh", "Ada Quill", "Cora Vane"])) == {
        "authors",
        "other roles",
    }


def test_a_dateline_left_in_the_first_paragraph_is_a_mismatch():
    blocks = record()["blocks"]
    blocks[0] = {"type": "paragraph", "text": "April 2, 1999 | Page 6 THE DOCKERS walked out"}
    assert scored(record(blocks=blocks)) == {"first paragraph"}


def test_a_flattened_quotation_changes_both_counts():
    blocks = record()["blocks"]
    blocks[1] = {"type": "paragraph", "text": "Out!"}
    assert scored(record(blocks=blocks)) == {"paragraphs", "quotations"}


def test_an_article_not_stored_fails_every_field():
    score = Score()
    compare(ENTRY, None, score)
    assert len(score.mismatches) == len({m.field for m in score.mismatches}) > 10


def test_normalise_and_page_numbers():
    assert normalise("  ‘a’ \u00a0 “b” …\u200b ") == "'a' \"b\" ..."
    assert page_numbers("Pages 6 and 7") == page_numbers("6-7") == [6, 7]
    assert page_numbers("") == []


def sealed_entry() -> dict:
    """ENTRY as the ground truth keeps it: its sentences sealed."""
    body = dict(ENTRY["body"])
    body["first"] = seal(body["first"], prefix=True)
    body["last"] = seal(body["last"], prefix=True)
    return {
        **ENTRY,
        "title": seal(ENTRY["title"]),
        "kicker": seal(ENTRY["kicker"], folded),
        "body": body,
    }


def test_sealed_texts_score_as_the_texts_do():
    entry = sealed_entry()
    assert "DOCKERS" not in json.dumps(entry) and "strike" not in json.dumps(entry)
    for changes, wrong in [
        ({}, set()),
        ({"title": "The harbour strike goes on"}, {"title"}),
        ({"kicker": "dockers hold on"}, {"kicker"}),
    ]:
        score = Score()
        compare(entry, record(**changes), score)
        assert {m.field for m in score.mismatches} == wrong
    blocks = record()["blocks"]
    blocks[0] = {"type": "paragraph", "text": "April 2, 1999 | Page 6 THE DOCKERS walked out"}
    score = Score()
    compare(entry, record(blocks=blocks), score)
    [mismatch] = score.mismatches
    assert mismatch.field == "first paragraph" and "sealed" in mismatch.expected
