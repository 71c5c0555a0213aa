"""No input loses more than itself: a bad JSONL record, an impossible date, a damaged row.

Every text here is invented for these tests.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from backfile.archive.models import Article, Issue
from backfile.ingest.export import record_to_dict
from backfile.ingest.loader import load
from backfile.ingest.records import Block, IssueRecord
from tests.helpers.records import invented_record

PUBLICATION = "The Quarry Bell"

pytestmark = pytest.mark.django_db


def good_line(n: int, **changes) -> dict:
    record = invented_record(
        PUBLICATION,
        IssueRecord(year=1962, number=40 + n, month=5),
        f"Notes from the lower quarry {n}",
        blocks=[Block("paragraph", f"The lower quarry flooded for the {n}th time.")],
    )
    data = record_to_dict(record)
    data.update(changes)
    return data


def write_lines(path, lines) -> None:
    with path.open("wb") as out:
        for line in lines:
            out.write(line if isinstance(line, bytes) else json.dumps(line).encode())
            out.write(b"\n")


def failures(report) -> dict[str, str]:
    return {e.path: e.reason for e in report.entries if e.status == "failed"}


def test_each_bad_jsonl_record_fails_alone_with_its_line_and_reason(ingest_paths, tmp_path):
    bad_month = good_line(3)
    bad_month["issue"] = {**bad_month["issue"], "month": 13}
    bad_day = good_line(5)
    bad_day["issue"] = {**bad_day["issue"], "month": 2, "day": 30}
    path = tmp_path / "quarry.jsonl"
    write_lines(
        path,
        [
            good_line(1),
            good_line(2, title=7),
            bad_month,
            b"[1, 2, 3]",
            bad_day,
            good_line(6, published="1962-02-30"),
            b'{"title": "half a line',
            json.dumps(good_line(8)).encode().replace(b"lower", b"l\xe9wer", 1),  # not UTF-8
            json.dumps(good_line(9))
            .encode()
            .replace(b'"blocks": [', b'"blocks": ' + b"[" * 100_000, 1),
            good_line(10),
        ],
    )
    second = tmp_path / "more.jsonl"
    write_lines(second, [good_line(11)])

    report = ingest_paths(path, second)

    failed = failures(report)
    assert set(failed) == {f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9)}, failed
    assert "title is 7, not text" in failed[f"{path}:2"]
    assert "month 13 does not exist" in failed[f"{path}:3"]
    assert "not an object" in failed[f"{path}:4"]
    assert "February 1962 has no day 30" in failed[f"{path}:5"]
    assert "published '1962-02-30' is not a real date" in failed[f"{path}:6"]
    assert "not JSON" in failed[f"{path}:7"]
    assert "not UTF-8" in failed[f"{path}:8"]
    assert "nested too deep" in failed[f"{path}:9"]
    assert all(reason.startswith(f"line {p.rsplit(':', 1)[1]}:") for p, reason in failed.items())
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == {f"Notes from the lower quarry {n}" for n in (1, 10, 11)}


def test_a_record_of_the_wrong_types_is_refused_by_the_loader_whatever_made_it():
    fine = invented_record(PUBLICATION, IssueRecord(year=1962, month=5), "A fine record")
    wrong = invented_record(PUBLICATION, IssueRecord(year=1962, month=5), "Wrong authors")
    wrong.authors = "Ada Flint"  # a string, not a list of names
    impossible = invented_record(PUBLICATION, IssueRecord(year=1963, month=4, day=31), "Late")

    report = load([fine, wrong, impossible])

    failed = failures(report)
    assert "authors must be a list of texts" in failed[wrong.source.path]
    assert "April 1963 has no day 31" in failed[impossible.source.path]
    assert list(Article.objects.values_list("title", flat=True)) == ["A fine record"]


def test_a_capture_with_an_impossible_date_fails_with_its_reason(ingest_paths, tmp_path):
    folder = tmp_path / "the-quarry-bell"
    folder.mkdir()
    (folder / "no-4-february-30-1962_flood.txt").write_text(
        "1960s >> 1962 >> no-4-february-30-1962\n\nThe flood\n\nThe water rose all night.\n\n"
        "Ada Flint\n",
        encoding="utf-8",
    )
    (folder / "no-5-march-2-1962_dry.txt").write_text(
        "1960s >> 1962 >> no-5-march-2-1962\n\nDry again\n\nThe pumps won.\n\nAda Flint\n",
        encoding="utf-8",
    )

    report = ingest_paths(folder)

    (reason,) = failures(report).values()
    assert "impossible date" in reason and "February 1962 has no day 30" in reason
    assert list(Article.objects.values_list("title", flat=True)) == ["Dry again"]


@pytest.mark.parametrize(
    ("month", "day", "real"),
    [(2, 29, False), (2, 28, True), (13, None, False), (4, 31, False), (5, 0, False),
     (None, 3, False), (12, 31, True), (None, None, True)],
)  # fmt: skip
def test_the_issue_model_refuses_impossible_dates(db, month, day, real):
    issue = Issue(publication_id=1, year=1962, month=month, day=day, slug="x", decade=1960)
    if real:
        issue.clean()
    else:
        with pytest.raises(ValidationError):
            issue.clean()


def test_the_database_refuses_an_impossible_issue_date_but_takes_a_leap_day():
    load([invented_record(PUBLICATION, IssueRecord(year=1964, month=2, day=29), "Leap day")])
    issue = Issue.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(year=1963)  # 29 February 1963
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(month=13, day=None)


def damage(issue_id: int, month: int, day: int) -> None:
    """Write an impossible date straight into the table, as an old database might hold."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:  # dropped inside the test's transaction, which is rolled back after it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE archive_issue DROP CONSTRAINT issue_date_real")
        cursor.execute(
            "UPDATE archive_issue SET month = %s, day = %s WHERE id = %s", [month, day, issue_id]
        )
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.mark.parametrize(("month", "day"), [(2, 30), (13, 4), (6, 0)])
def test_pages_survive_an_impossible_date_already_stored(client, month, day):
    load([invented_record(PUBLICATION, IssueRecord(year=1962, number=7, month=5, day=1), "Dust")])
    article = Article.objects.get()
    damage(article.issue_id, month, day)
    article = Article.objects.select_related("issue", "publication").get()
    assert (article.issue.month, article.issue.day) == (month, day)

    urls = [
        article.get_absolute_url(),
        article.issue.get_absolute_url(),
        f"{article.get_absolute_url()}cite.ris",
        f"{article.get_absolute_url()}cite.json",
        "/feeds/articles.atom",
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:backfile.localhost:article:{article.pk}",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Dust" in page and "1962" in page


def test_pages_survive_an_impossible_published_date_already_stored(client):
    """Only SQLite can hold one (PostgreSQL's DATE column refuses it): the row's article
    reads as undated and takes its issue's date."""
    load([invented_record(PUBLICATION, IssueRecord(year=1962, number=7, month=5), "Dust")])
    article = Article.objects.get()
    if connection.vendor != "sqlite":
        with pytest.raises(DataError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE archive_article SET published = '1962-02-30' WHERE id = %s", [article.pk]
            )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_article SET published = '1962-02-30' WHERE id = %s", [article.pk]
        )
    assert Article.objects.get().published is None
    for url in (
        article.get_absolute_url(),
        article.issue.get_absolute_url(),
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:backfile.localhost:article:{article.pk}",
        f"{article.get_absolute_url()}cite.bib",
    ):
        assert client.get(url).status_code == 200, url
