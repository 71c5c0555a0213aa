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
def test_new_reviews_written_together_share_their_works_and_keep_their_order():
    from backfile.archive.models import Article, ReviewedWork
    from backfile.ingest.records import ReviewedWork as Work

    stored = {"title": "A Primer of Tides", "author": "R. Fenn", "year": 1950}
    first = ReviewedWork.objects.create(**stored)
    ReviewedWork.objects.create(**stored)  # an editor's duplicate: the first is taken
    issue = IssueRecord(year=1951, number=8, month=4)
    shoals = Work(title="Shoals", author="M. Quill")
    records = [record(title, issue) for title in ("One", "Two", "Three")]
    records[0].reviewed_works = [shoals, Work(**stored)]
    records[1].reviewed_works = [Work(title="Shoals", author="M. Quill")]
    records[2].reviewed_works = [Work(title="Shoals", author="M. Quill", year=1949)]

    report = load(records)

    assert report.count("added") == 3, report.entries

    def works(title):  # in the order of the article's reviews
        article = Article.objects.get(key=f"test:{title}")
        return [review.work for review in article.reviews.order_by("position")]

    one, two, three = works("One"), works("Two"), works("Three")
    assert [w.title for w in one] == ["Shoals", "A Primer of Tides"]  # as the record lists them
    assert one[1] == first
    assert two == [one[0]]  # the same work, made once
    assert three[0] != one[0] and three[0].year == 1949  # another edition, another work
    assert ReviewedWork.objects.count() == 4


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
def test_the_loader_reads_on_while_a_batch_is_analysed_and_never_inside_a_transaction(
    monkeypatch,
):
    """A batch is announced (`articles_coming`) outside any transaction; while its receivers'
    work is pending the loader reads on (the next batch grows); every record is read, and
    the pending work waited for, with no transaction open; a grown batch is written in
    transactions of at most MAX_WRITE_SIZE articles, each announced in its own."""
    from django.db import connection

    from backfile.archive.models import Article
    from backfile.archive.signals import PendingWork, articles_changed, articles_coming
    from backfile.ingest import pacing
    from backfile.ingest.loader import GROWTH, Loader

    monkeypatch.setattr(pacing, "FIRST_WRITE_SIZE", 5)
    monkeypatch.setattr(pacing, "MAX_WRITE_SIZE", 5)
    monkeypatch.setattr(pacing, "MIN_WRITE_SIZE", 5)
    outer = len(connection.atomic_blocks)  # the test's own transaction

    def in_a_transaction() -> bool:
        return len(connection.atomic_blocks) > outer

    coming: list[int] = []
    written: list[int] = []
    polls: list[int] = []
    in_transaction: list[str] = []  # what happened inside a transaction that should not have

    def never_ready() -> bool:
        polls.append(1)
        if in_a_transaction():
            in_transaction.append("waited for pending work")
        return False

    def slow_receiver(sender, previews, workers=None, **kwargs):
        coming.append(len(previews))
        if in_a_transaction():
            in_transaction.append("announced coming articles")
        return PendingWork(finish=lambda: None, ready=never_ready)

    def write_receiver(sender, articles, **kwargs):
        written.append(len(articles))
        assert in_a_transaction(), "announced in the transaction that wrote them"

    def records():
        issue = IssueRecord(year=1952, number=1, month=1)
        for n in range(30):
            if in_a_transaction():
                in_transaction.append(f"read record {n}")
            yield record(f"Tide table {n}", issue)

    articles_coming.connect(slow_receiver, dispatch_uid="test.slow_receiver")
    articles_changed.connect(write_receiver, dispatch_uid="test.write_receiver")
    try:
        report = Loader(batch_size=4).load(records())
    finally:
        articles_coming.disconnect(dispatch_uid="test.slow_receiver")
        articles_changed.disconnect(dispatch_uid="test.write_receiver")

    assert report.count("added") == 30
    assert sum(coming) == 30 and sum(written) == 30 and Article.objects.count() == 30
    assert coming[:2] == [4, 4 * GROWTH]  # the second batch grew while the first was pending
    assert written[:4] == [4, 5, 5, 2]  # the grown batch: three short transactions
    assert polls
    assert in_transaction == []
    assert search("tide").total == 30  # every batch indexed, grown or not


@pytest.mark.django_db
def test_text_that_changed_after_its_analysis_is_indexed_as_written(monkeypatch):
    """What was analysed ahead is a hint: an article written with other text than previewed
    (an editor's rename meanwhile) is indexed by what was written."""
    from backfile.search import index

    original = index.preview_texts

    def stale_preview(preview):
        title, *rest = original(preview)
        return ("Something else entirely", *rest)

    monkeypatch.setattr(index, "preview_texts", stale_preview)
    load([record("Lighthouse keepers", IssueRecord(year=1952, number=2, month=2))])

    assert search("lighthouse").total == 1
    assert search("entirely").total == 0
