"""The reference page capture from ../shared/corpus, checked line by line against issue 2's Done-when."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article
from tests.conftest import corpus_path

pytestmark = pytest.mark.corpus


@pytest.fixture
def reference(ingest_paths):
    path = corpus_path("socialist-standard", "000_a351202cb116f3a4.txt")
    report = ingest_paths(path)
    assert report.summary()["failed"] == 0
    assert report.summary()["added"] == 1
    return Article.objects.select_related("issue", "publication").get()


def all_texts(blocks: list[dict]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if block["text"]:
            found.append(block["text"])
        found.extend(all_texts(block.get("blocks", [])))
    return found


def test_issue_397_september_1937_in_the_1930s(reference):
    issue = reference.issue
    assert (issue.number, issue.month, issue.year) == (397, 9, 1937)
    assert issue.decade_label == "1930s"
    assert issue.slug == "no-397-september-1937"
    assert issue.label == "No. 397, September 1937"
    assert reference.publication.name == "Socialist Standard"


def test_section_title_standfirst_and_author(reference):
    assert reference.section == "Book Review"
    assert "From Lenin to Stalin" in reference.title
    assert "Book Review" not in reference.title
    assert reference.standfirst == "The Twilight of Bolshevism"
    assert [a.name for a in reference.ordered_authors()] == ["Eric Boden"]


def test_reviewed_work(reference):
    work = reference.reviewed_works.get()
    assert "From Lenin to Stalin" in work.title
    assert (work.author, work.publisher, work.place) == (
        "Victor Serge",
        "Pioneer Publishers",
        "New York",
    )


def test_kazan_passage_is_one_quotation_with_the_order_nested(reference):
    quotations = [b for b in reference.blocks if b["type"] == "quotation"]
    assert len(quotations) == 1
    quotation = quotations[0]
    at = reference.blocks.index(quotation)
    inside = quotation["blocks"]
    assert sum(1 for b in inside if b["type"] == "paragraph") >= 3
    assert "Kazan" in inside[0]["text"]
    nested = [b for b in inside if b["type"] == "quotation"]
    assert len(nested) == 1
    assert nested[0]["blocks"][0]["text"].lstrip("‘“'\"").startswith("I serve notice")
    assert not any("I serve notice" in b["text"] for b in inside if b["type"] == "paragraph")
    before, after = reference.blocks[at - 1], reference.blocks[at + 1]
    assert before["type"] == after["type"] == "paragraph"
    assert "page 30" in before["text"]  # a page citation stays text


def test_no_trailer_byline_or_breadcrumb_in_the_body(reference):
    texts = all_texts(reference.blocks)
    assert not any("Leave a Reply" in t for t in texts)
    assert "Eric Boden" not in texts
    assert not any(">>" in t or "no-397" in t for t in texts)
    assert not any("\u00a0" in t for t in texts)


def test_source_is_kept_whole(reference):
    path = corpus_path("socialist-standard", "000_a351202cb116f3a4.txt")
    source = reference.source
    assert source.format == "capture"
    assert source.text == path.read_text(encoding="utf-8")
    assert len(source.sha256) == 64


def test_url_follows_the_archive(reference):
    assert reference.get_absolute_url() == (
        "/socialist-standard/1930s/1937/no-397-september-1937/from-lenin-to-stalin/"
    )


def test_ingesting_it_again_changes_nothing(reference, ingest_paths):
    report = ingest_paths(corpus_path("socialist-standard", "000_a351202cb116f3a4.txt"))

    assert report.summary()["unchanged"] == 1
    assert Article.objects.count() == 1
