"""The loader's promises around editors' corrections of issues."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from backfile.archive.models import Issue
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from backfile.search.backends import search


def record(title: str, issue: IssueRecord, text: str = "Tides and harbours.") -> ArticleRecord:
    return ArticleRecord(
        publication="The Harbour Gazette",
        key=f"test:{title}",
        issue=issue,
        title=title,
        blocks=[Block("paragraph", text)],
        source=Source.of(f"{title}.txt", "capture", text),
    )


@pytest.mark.django_db
def test_an_editors_correction_of_an_issue_is_not_overwritten_by_ingest():
    load([record("Low water", IssueRecord(year=1951, number=8, month=4, slug="spring-1951"))])
    issue = Issue.objects.get(slug="spring-1951")
    issue.month = 5
    issue._history_user = User.objects.create_user("ed", password="x")
    issue.save()

    load([record("High water", IssueRecord(year=1951, number=8, month=4, slug="spring-1951"))])

    issue.refresh_from_db()
    assert issue.month == 5
    assert issue.articles.count() == 2


@pytest.mark.django_db
def test_an_issue_whose_date_a_source_changes_moves_all_its_articles_in_search():
    first = IssueRecord(year=1951, number=8, month=4, slug="no-8")
    load([record("Low water", first), record("High water", first)])
    moved = IssueRecord(year=1961, number=8, month=4, slug="no-8")
    load([record("Low water", moved, text="Tides and harbours, revised.")])

    assert Issue.objects.get(slug="no-8").year == 1961
    assert search("tides year:1961").total == 2
    assert search("tides year:1951").total == 0


@pytest.mark.django_db
def test_two_identical_reviewed_works_do_not_stop_an_ingest():
    from backfile.archive.models import Article, ReviewedWork
    from backfile.ingest.records import ReviewedWork as Work

    work = {"title": "A Primer of Tides", "author": "R. Fenn", "publisher": "Saltmarsh Press"}
    ReviewedWork.objects.create(**work)
    ReviewedWork.objects.create(**work)  # as an editor's correction can leave them
    review = record("Reviewed", IssueRecord(year=1951, number=8, month=4))
    review.reviewed_works = [Work(**work)]

    report = load([review])

    assert report.count("added") == 1, report.entries
    [stored] = Article.objects.get(key="test:Reviewed").reviewed_works.all()
    assert stored.title == "A Primer of Tides"


@pytest.mark.django_db
def test_a_record_the_database_refuses_is_reported_and_the_rest_go_in():
    from django.db import connection

    from backfile.archive.models import Article

    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce column lengths; this runs in the PostgreSQL pass")
    issue = IssueRecord(year=1951, number=8, month=4)
    too_long = record("Too long", issue)
    too_long.pages = "9" * 500  # longer than the column allows
    report = load([record("Fine", issue), too_long, record("Also fine", issue)])

    [failure] = [e for e in report.entries if e.status == "failed"]
    assert failure.path == "Too long.txt"
    assert "could not store" in failure.reason
    assert set(Article.objects.values_list("title", flat=True)) == {"Fine", "Also fine"}


@pytest.mark.django_db
def test_while_a_batchs_indexing_is_pending_the_loader_reads_on_and_loses_nothing():
    from backfile.archive.models import Article
    from backfile.archive.signals import PendingWork, articles_changed
    from backfile.ingest.loader import GROWTH, Loader

    batches: list[int] = []
    polls: list[int] = []

    def never_ready() -> bool:
        polls.append(1)
        return False

    def slow_receiver(sender, articles, finish_later=False, **kwargs):
        batches.append(len(articles))
        return PendingWork(finish=lambda: None, ready=never_ready)

    articles_changed.connect(slow_receiver, dispatch_uid="test.slow_receiver")
    try:
        issue = IssueRecord(year=1952, number=1, month=1)
        report = Loader(batch_size=4).load(record(f"Tide table {n}", issue) for n in range(30))
    finally:
        articles_changed.disconnect(dispatch_uid="test.slow_receiver")

    assert report.count("added") == 30
    assert sum(batches) == 30 and Article.objects.count() == 30
    assert batches[:2] == [4, 4 * GROWTH]  # the second batch grew while the first was pending
    assert polls
    assert search("tide").total == 30  # every batch indexed, grown or not
