"""Structure on the real legacy site (../shared/corpus): its block quotations are kept,
and its layout tables (the page grid, sidebar boxes, charts with a source line) never
become table blocks. Read straight from the .tar.xz through the reader, no database."""

from __future__ import annotations

import re

import pytest

from backfile.ingest.readers.legacy_html import LegacyHtmlReader
from backfile.ingest.records import ArticleRecord, Block
from backfile.ingest.sources import walk
from tests.conftest import corpus_path

pytestmark = pytest.mark.corpus

BLOCKQUOTE = re.compile(rb"<blockquote\s*>", re.IGNORECASE)  # well-formed opening tags


def of_type(blocks: list[Block], kind: str) -> list[Block]:
    found = []
    for block in blocks:
        if block.type == kind:
            found.append(block)
        found += of_type(block.blocks, kind)
    return found


@pytest.fixture(scope="module")
def articles():
    archive = corpus_path("socialist-worker-2001-2005.tar.xz")
    reader = LegacyHtmlReader("Socialist Worker")
    outputs: list = []
    for file in walk([archive]):
        outputs += reader.feed(file)
    outputs += reader.finish()
    records = [o for o in outputs if isinstance(o, ArticleRecord)]
    quoting = {r.key for r in records if BLOCKQUOTE.search(r.source.text.encode())}
    return records, quoting


def test_every_article_page_with_a_blockquote_keeps_a_quotation(articles):
    records, quoting = articles
    with_quotes = [r for r in records if r.key in quoting]
    assert len(with_quotes) >= 10  # most pages holding <blockquote> are contents pages
    for record in with_quotes:
        quotations = of_type(record.blocks, "quotation")
        assert quotations, record.key
        assert all(q.blocks for q in quotations), record.key


def test_layout_tables_never_become_tables(articles):
    records, _ = articles
    assert [r.key for r in records if of_type(r.blocks, "table")] == []
