"""An editor signed in at the desk, and an invented review with a nested quotation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import Block, ReviewedWork
from tests.replies.helpers import article_record, create_editor, sign_in

NESTED = "No map shall show the mill, the chapel, or the ford."
BODY = [
    Block("paragraph", "Mr Pellow has walked every lane of the old county."),
    Block(
        "quotation",
        blocks=[
            Block("paragraph", "The surveyors came in spring."),
            Block("quotation", blocks=[Block("paragraph", NESTED)]),
            Block("paragraph", "So the order ran, and so the maps were drawn."),
        ],
    ),
    Block(
        "paragraph",
        "Readers will want the second volume & its index.",
        html='Readers will want the <em>second</em> volume &amp; <a href="https://example.org/i">'
        "its index</a>.",
    ),
    Block("list", blocks=[Block("list_item", "Maps"), Block("list_item", "Roads")], start=3),
    Block(
        "table",
        "Miles walked",
        blocks=[
            Block(
                "table_row", blocks=[Block("table_header", "Year"), Block("table_header", "Miles")]
            ),
            Block("table_row", blocks=[Block("table_cell", "1951"), Block("table_cell", "412")]),
        ],
    ),
    Block("notes", blocks=[Block("note", "As printed.", label="1")]),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(client, db):
    create_editor("hilda")
    return sign_in(client)


@pytest.fixture
def review(db) -> Article:
    """An invented review: a quotation inside a quotation, markup, a list, a table, notes."""
    record = replace(
        article_record(
            key="pellow-review",
            title="Lanes of the Old County",
            reviewed_works=[ReviewedWork(title="The Old County", author="J. Pellow")],
        ),
        blocks=BODY,
    )
    report = load([record])
    assert report.count("failed") == 0, report.entries
    return Article.objects.get(key="pellow-review")
