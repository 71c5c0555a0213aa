"""The authority file in the JSONL export: its entries lead the file and read back into an
empty archive; each article carries the entries it mentions and the passages it quotes,
derived fields the ingest works out again, so the round trip stays byte for byte."""

from __future__ import annotations

import json

import pytest

from backfile.archive.models import Article, ReviewedWork
from backfile.authority.models import Alias, Entry, Mention
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from backfile.ingest.records import ReviewedWork as ReviewedWorkRecord
from backfile.quotations.models import Quotation
from tests.ingest.test_jsonl import empty_archive, export_text, sample_records

pytestmark = pytest.mark.django_db


def authority_file() -> None:
    lenin = Entry.objects.create(type="person", name="Lenin", note="Bolshevik", dates="1870–1924")
    for alias in ("Vladimir Lenin", "V. I. Lenin"):
        Alias.objects.create(entry=lenin, name=alias)
    ussr = Entry.objects.create(type="place", name="U.S.S.R.", capitalised=True)
    for alias in ("USSR", "Soviet Union"):
        Alias.objects.create(entry=ussr, name=alias)
    poum = Entry.objects.create(type="organisation", name="P.O.U.M.")
    Alias.objects.create(entry=poum, name="POUM")


def a_review() -> ArticleRecord:
    """A review that names the entries above and quotes its book with the page."""
    return ArticleRecord(
        publication="The Northern Review",
        key="test:tides-and-lenin",
        issue=IssueRecord(year=1938, number=12, month=3),
        title="Tides and Lenin",
        section="Book Review",
        reviewed_works=[ReviewedWorkRecord(title="A Harbour History", author="R. Fenn")],
        blocks=[
            Block("paragraph", "Fenn writes of Lenin, of the U.S.S.R. and of the P.O.U.M."),
            Block("quotation", blocks=[Block("paragraph", "The tide waits for no committee.")]),
            Block("paragraph", "So he says on page 30, and he is right."),
        ],
        source=Source.of("tides.txt", "capture", "raw text of the review"),
    )


def test_the_export_begins_with_the_authority_file():
    load(sample_records())
    authority_file()

    lines = [json.loads(line) for line in export_text().splitlines()]

    assert lines[:3] == [
        {"record": "authority", "type": "organisation", "name": "P.O.U.M.", "aliases": ["POUM"],
         "note": "", "dates": ""},
        {"record": "authority", "type": "person", "name": "Lenin",
         "aliases": ["V. I. Lenin", "Vladimir Lenin"], "note": "Bolshevik", "dates": "1870–1924"},
        {"record": "authority", "type": "place", "name": "U.S.S.R.",
         "aliases": ["Soviet Union", "USSR"], "note": "", "dates": "", "capitalised": True},
    ]  # fmt: skip
    assert all("record" not in line or line["record"] != "authority" for line in lines[3:])


def test_articles_carry_their_mentions_and_quotations():
    load(sample_records())
    authority_file()
    review = Article.objects.get(key="test:review")
    Mention.objects.all().delete()
    Quotation.objects.all().delete()
    for name in ("Lenin", "P.O.U.M.", "U.S.S.R."):
        Mention.objects.create(article=review, entry=Entry.objects.get(name=name))
    work = ReviewedWork.objects.get(title="A Primer of Tides")
    Quotation.objects.create(article=review, position=1, kind="inline", text="Mind the second one.")
    Quotation.objects.create(article=review, position=0, kind="block", pages="12–14", work=work,
                             text="Every harbour keeps two clocks.")  # fmt: skip

    articles = {
        line["key"]: line
        for line in map(json.loads, export_text().splitlines())
        if "record" not in line
    }

    assert articles["test:review"]["mentions"] == [
        {"type": "organisation", "name": "P.O.U.M."},
        {"type": "person", "name": "Lenin"},
        {"type": "place", "name": "U.S.S.R."},
    ]
    assert articles["test:review"]["quotations"] == [
        {"text": "Every harbour keeps two clocks.", "pages": "12–14", "work": "A Primer of Tides"},
        {"text": "Mind the second one.", "pages": "", "work": None},
    ]
    assert articles["test:editorial"]["mentions"] == []
    assert articles["test:editorial"]["quotations"] == []


def test_the_authority_file_reads_back_into_an_empty_archive_byte_for_byte(tmp_path, ingest_paths):
    authority_file()
    load([*sample_records(), a_review()])
    first = export_text()
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(first, encoding="utf-8")

    empty_archive()
    assert export_text() == ""
    report = ingest_paths(export_file)

    assert report.summary()["added"] == 3, report.entries
    assert export_text() == first
    lenin = Entry.objects.get(type="person", name="Lenin")
    assert (lenin.note, lenin.dates) == ("Bolshevik", "1870–1924")
    assert sorted(a.name for a in lenin.aliases.all()) == ["V. I. Lenin", "Vladimir Lenin"]
    assert Entry.objects.get(name="U.S.S.R.").capitalised
    assert Entry.objects.count() == 3

    again = ingest_paths(export_file)
    assert again.summary()["unchanged"] == 3
    assert Entry.objects.count() == 3 and Alias.objects.count() == 5
    assert export_text() == first


def test_a_bad_authority_line_fails_alone_naming_its_line(tmp_path, ingest_paths):
    load(sample_records())
    authority_file()
    lines = export_text().splitlines()
    bad_type = json.dumps({"record": "authority", "type": "ship", "name": "Aurora"})
    no_name = json.dumps({"record": "authority", "type": "person", "aliases": ["X"]})
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text("\n".join([bad_type, no_name, *lines]) + "\n", encoding="utf-8")
    empty_archive()

    report = ingest_paths(export_file)

    failed = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert "type is 'ship'" in failed[f"{export_file}:1"]
    assert "without a name" in failed[f"{export_file}:2"]
    assert Entry.objects.count() == 3 and report.summary()["added"] == 2


def test_an_authority_line_with_a_value_too_long_fails_with_its_reason(tmp_path, ingest_paths):
    """Too long for its column: reported as failed, saying which value, on any database
    (PostgreSQL would otherwise refuse the row with a traceback)."""
    lines = [
        {"record": "authority", "type": "person", "name": "Lenin " + "x" * 300},
        {"record": "authority", "type": "person", "name": "Zinoviev", "aliases": ["y" * 301]},
        {"record": "authority", "type": "person", "name": "Kamenev", "dates": "1" * 101},
        {"record": "authority", "type": "person", "name": "Bukharin", "dates": "1888–1938"},
    ]
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    report = ingest_paths(export_file)

    failed = [e.reason for e in report.entries if e.status == "failed"]
    assert len(failed) == 3, report.entries
    assert "the name is longer than 300 characters" in failed[0]
    assert "an alias is longer than 300 characters" in failed[1]
    assert "the dates are longer than 100 characters" in failed[2]
    assert list(Entry.objects.values_list("name", flat=True)) == ["Bukharin"]


def test_an_authority_line_links_its_articles_once(tmp_path, ingest_paths, monkeypatch):
    """An entry with its aliases is several saves; the articles they concern are linked
    again once for the line, not once for each save."""
    from backfile.authority import linking

    load(sample_records())
    load([a_review()])
    relinked = []
    relink = linking.relink
    monkeypatch.setattr(linking, "relink", lambda ids: relinked.append(1) or relink(ids))
    line = {"record": "authority", "type": "person", "name": "Lenin",
            "aliases": ["Vladimir Lenin", "V. I. Lenin", "Ulyanov"]}  # fmt: skip
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(json.dumps(line) + "\n", encoding="utf-8")

    report = ingest_paths(export_file)

    assert not [e for e in report.entries if e.status == "failed"], report.entries
    assert Alias.objects.filter(entry__name="Lenin").count() == 3
    assert len(relinked) == 1
    review = Article.objects.get(title="Tides and Lenin")
    assert list(Mention.objects.filter(article=review).values_list("entry__name", flat=True)) == [
        "Lenin"
    ]


def test_an_authority_line_with_an_alias_holding_the_csv_separator_fails(tmp_path, ingest_paths):
    line = {"record": "authority", "type": "place", "name": "U.S.S.R.",
            "aliases": ["USSR|Soviet Union"]}  # fmt: skip
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(json.dumps(line) + "\n", encoding="utf-8")

    report = ingest_paths(export_file)

    (failed,) = [e.reason for e in report.entries if e.status == "failed"]
    assert "'|'" in failed
    assert not Entry.objects.exists()
