"""The sample archive Backfile ships (`make demo` without ../shared/corpus) ingests cleanly.

(The picture sample beside it, backfile/sample/the-tideway, is tested with the demo:
tests/test_demo.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import backfile
from backfile.archive.models import Article, Author, Issue, Publication, ReviewedWork

SAMPLE = Path(backfile.__file__).resolve().parent / "sample" / "the-northern-review"


@pytest.fixture
def sample(ingest_paths):
    return ingest_paths(SAMPLE)


def test_the_whole_sample_goes_in_without_failures_or_notes(sample):
    files = sorted(SAMPLE.rglob("*.txt"))
    assert len(files) >= 12
    assert sample.summary()["failed"] == 0
    assert sample.summary()["noted"] == 0
    assert sample.summary()["added"] == len(files) == Article.objects.count()


def test_sample_is_one_monthly_over_three_issues_and_two_decades(sample):
    assert list(Publication.objects.values_list("name", flat=True)) == ["The Northern Review"]
    assert Issue.objects.count() >= 3
    assert set(Issue.objects.values_list("decade", flat=True)) >= {1930, 1950}
    assert all(issue.number and issue.month for issue in Issue.objects.all())


def test_sample_shows_every_part_of_the_format(sample):
    sections = set(Article.objects.values_list("section", flat=True))
    assert {"Editorial", "Book Review", "Letter", "Features"} <= sections
    assert Article.objects.exclude(standfirst="").count() >= 3
    assert ReviewedWork.objects.exclude(publisher="").exclude(price="").count() >= 3
    nested = [
        a
        for a in Article.objects.all()
        for block in a.blocks
        if block["type"] == "quotation"
        and any(inner["type"] == "quotation" for inner in block["blocks"])
    ]
    assert nested
    several = [a for a in Article.objects.all() if a.bylines.count() >= 2]
    assert several
    assert Author.objects.filter(name__regex=r"^([A-Z]\. ?)+$").exists()  # initials only


def test_sample_holds_british_spellings_and_diacritics_for_search(sample):
    body = " ".join(b.get("text", "") for a in Article.objects.all() for b in a.blocks)
    titles = " ".join(Article.objects.values_list("title", flat=True))
    for word in ("nationalisation", "labour", "organise", "régime", "café"):
        assert word in body
    assert "Débâcle" in titles


def test_ingesting_the_sample_again_changes_nothing(sample, ingest_paths):
    again = ingest_paths(SAMPLE)

    assert again.summary()["unchanged"] == sample.summary()["added"]
    assert again.summary()["added"] == again.summary()["updated"] == 0
