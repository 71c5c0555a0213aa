"""The JSONL export and its lossless round trip (export → ingest → export, byte for byte)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from backfile.archive.models import Article, Author, Publication, ReviewedWork
from backfile.authority.models import Entry
from backfile.ingest.export import write_jsonl
from backfile.ingest.loader import load
from backfile.ingest.records import (
    ArticleRecord,
    AssetRecord,
    AssetUse,
    Block,
    Contributor,
    IssueRecord,
    ReplyRecord,
    Source,
)
from backfile.ingest.records import (
    ReviewedWork as ReviewedWorkRecord,
)
from backfile.replies.models import Reply
from tests.conftest import corpus_path


def sample_records() -> list[ArticleRecord]:
    review = ArticleRecord(
        publication="The Northern Review",
        key="test:review",
        issue=IssueRecord(year=1938, number=12, month=3),
        title="A Primer of Tides",
        section="Book Review",
        standfirst="Water, moons and the patience of harbourmasters",
        authors=["Mary Quill", "Tom Ashdown"],
        contributors=[
            Contributor("Tomás Ferrer", "translator"),
            Contributor("Ada Lind", "photographer"),
        ],
        reviewed_works=[
            ReviewedWorkRecord(
                title="A Primer of Tides",
                author="R. Fenn",
                publisher="Saltmarsh Press",
                place="Hull",
                year=1937,
                price="3s. 6d.",
            )
        ],
        blocks=[
            Block("paragraph", "The author begins at low water."),
            Block(
                "quotation",
                blocks=[
                    Block("paragraph", "Every harbour keeps two clocks."),
                    Block("quotation", blocks=[Block("paragraph", "Mind the second one.")]),
                ],
            ),
            Block("section_break"),
            Block("paragraph", "He calls it a débâcle.", html="He calls it a <em>débâcle</em>."),
        ],
        source=Source.of("review.txt", "capture", "raw review text\r\n“quoted”"),
        replies=[
            ReplyRecord(
                key="c1",
                author_name="Ann",
                text="Fine review.",
                status="approved",
                created=datetime(2001, 5, 1, 12, 30, 15, tzinfo=UTC),
            ),
            ReplyRecord(
                key="c2",
                author_name="Bo",
                text="Agreed 🙂",
                status="pending",
                created=datetime(2001, 5, 2, 8, 0, tzinfo=UTC),
                parent_key="c1",
                author_email="bo@example.org",
            ),
        ],
    )
    editorial = ArticleRecord(
        publication="The Northern Review",
        key="test:editorial",
        issue=IssueRecord(year=1938, number=12, month=3),
        title="A Primer of Tides",  # same title as the review: stays a separate article
        section="Editorial",
        position=0,
        published=date(1938, 3, 2),
        subjects=["harbours"],
        attachments=["https://example.org/map.png"],
        original_url="https://example.org/1938/03/tides",
        language="en-GB",
        blocks=[Block("heading", "At sea"), Block("paragraph", "Right-to-left: \u202eabc")],
        source=Source.of("editorial.txt", "capture", "raw editorial text"),
    )
    return [review, editorial]


def export_text() -> str:
    out = io.StringIO()
    write_jsonl(out)
    return out.getvalue()


def empty_archive() -> None:
    Publication.objects.all().delete()
    Author.objects.all().delete()
    ReviewedWork.objects.all().delete()
    Entry.objects.all().delete()


@pytest.mark.django_db
def test_export_has_the_documented_keys():
    load(sample_records())
    lines = export_text().splitlines()
    assert len(lines) == 2
    review = next(json.loads(line) for line in lines if '"Book Review"' in line)
    assert review["issue"] == {
        "number": 12,
        "year": 1938,
        "month": 3,
        "day": None,
        "volume": None,
        "decade": "1930s",
        "slug": "no-12-march-1938",
        "title": "",
    }
    assert review["authors"] == ["Mary Quill", "Tom Ashdown"]
    assert review["contributors"] == [
        {"name": "Tomás Ferrer", "role": "translator"},
        {"name": "Ada Lind", "role": "photographer"},
    ]
    assert review["reviewed_works"][0]["publisher"] == "Saltmarsh Press"
    assert review["blocks"][1]["blocks"][1]["blocks"][0]["text"] == "Mind the second one."
    assert review["url"] == "/the-northern-review/1930s/1938/no-12-march-1938/a-primer-of-tides/"
    assert review["source"]["format"] == "capture"
    assert len(review["source"]["sha256"]) == 64
    assert [r["parent_key"] for r in review["replies"]] == ["", "c1"]


@pytest.mark.django_db
def test_round_trip_is_byte_identical(tmp_path, ingest_paths):
    load(sample_records())
    article = Article.objects.get(key="test:review")
    Reply.objects.create(
        article=article,
        author_name="Site reader",
        text="Posted on the site.",
        status="approved",
        created=datetime(2020, 1, 1, tzinfo=UTC),
    )
    first = export_text()
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(first, encoding="utf-8")

    empty_archive()
    assert export_text() == ""
    report = ingest_paths(export_file)
    assert report.summary()["added"] == 2, report.entries
    assert export_text() == first

    again = ingest_paths(export_file)
    assert again.summary()["unchanged"] == 2


@pytest.mark.django_db
def test_bad_jsonl_lines_are_reported_and_good_lines_kept(tmp_path, ingest_paths):
    load(sample_records())
    good = export_text().splitlines()[0]
    empty_archive()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(good + "\n" + '{"blocks": [], "oops": 1}\n' + "{not json\n", encoding="utf-8")
    report = ingest_paths(broken)
    failures = [e for e in report.entries if e.status == "failed"]
    assert [f.path for f in failures] == [f"{broken}:2", f"{broken}:3"]
    assert "missing keys" in failures[0].reason
    assert Article.objects.count() == 1


def run_backfile(db: Path, *arguments: str, status: int = 0) -> str:
    environment = {**os.environ, "BACKFILE_DB": str(db)}
    result = subprocess.run(
        [sys.executable, "-m", "backfile.cli", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == status, result.stderr[-3000:]
    return result.stdout


@pytest.mark.corpus
def test_round_trip_on_the_whole_shared_corpus(tmp_path):
    corpus = corpus_path()
    first_db, second_db = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    run_backfile(
        first_db,
        "ingest",
        "--quiet",
        str(corpus / "socialist-standard"),
        "--publication",
        "Socialist Standard",
    )
    run_backfile(
        first_db,
        "ingest",
        "--quiet",
        str(corpus / "socialist-worker-2001-2005.tar.xz"),
        "--publication",
        "Socialist Worker",
    )
    # The exports include a malformed one and a post without a date: some failures, status 1
    run_backfile(first_db, "ingest", "--quiet", str(corpus / "wordpress-wxr"), status=1)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    run_backfile(first_db, "export", "--format", "jsonl", "-o", str(first))
    run_backfile(second_db, "ingest", "--quiet", str(first))
    run_backfile(second_db, "export", "--format", "jsonl", "-o", str(second))
    assert first.stat().st_size > 1_000_000
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.django_db
def test_a_moderators_decision_survives_the_reimport_of_a_changed_source():
    load(sample_records())
    reply = Reply.objects.get(key="c1")
    reply.status = Reply.Status.SPAM
    reply.save()

    changed = sample_records()
    changed[0].blocks.append(Block("paragraph", "A paragraph added in a later capture."))
    changed[0].replies[0].text = "Fine review, corrected."
    report = load(changed)

    assert report.count("updated") == 1
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SPAM
    assert reply.text == "Fine review, corrected."


@pytest.fixture
def media_folder(settings, tmp_path):
    """The media storage in a folder of the test's own (the settings fixture resets storages)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "media": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media/"},
        },
    }
    return tmp_path / "media"


def pictured_records() -> list[ArticleRecord]:
    """The sample records, the editorial with a figure of two pictures given as bytes (one a
    PNG with transparency, one random bytes that no reader of pictures takes)."""
    from tests.helpers.pictures import chart, random_bytes

    records = sample_records()
    pictures = [(chart(300, 200, 1, transparent=True), "image/png"), (random_bytes(), "")]
    assets = [
        AssetRecord(
            sha256=hashlib.sha256(data).hexdigest(),
            media_type=media_type,
            filename=f"figures/tides-{n}",
            source_url=f"https://example.org/figures/tides-{n}",
            alt="Tide tables, 1938" if n == 0 else "",
            credit="R. Fenn",
            content=data,
        )
        for n, (data, media_type) in enumerate(pictures)
    ]
    records[1].assets = assets
    records[1].blocks.append(
        Block(
            "figure",
            "High and low water at Hull",
            html="High and low water at <em>Hull</em>",
            credit="Saltmarsh Press",
            assets=[AssetUse(sha256=a.sha256, alt=a.alt, caption="Spring tides") for a in assets],
        )
    )
    return records


@pytest.mark.django_db
def test_round_trip_with_pictures_is_byte_identical_files_included(
    tmp_path, ingest_paths, media_folder
):
    from backfile.media.export import AssetFiles
    from backfile.media.models import Asset

    load(pictured_records())
    first_folder, second_folder = tmp_path / "first", tmp_path / "second"
    first = export_folder(first_folder, AssetFiles)
    assert len(list((first_folder / "assets").rglob("*.*"))) == 2

    empty_archive()
    Asset.objects.all().delete()
    shutil.rmtree(media_folder)
    report = ingest_paths(first_folder)
    assert report.summary()["added"] == 2, report.entries
    assert export_folder(second_folder, AssetFiles) == first
    assert files_in(second_folder / "assets") == files_in(first_folder / "assets")
    editorial = next(json.loads(line) for line in first.splitlines() if "figure" in line)
    assert editorial["blocks"][-1]["assets"][0]["caption"] == "Spring tides"
    assert [a["alt"] for a in editorial["assets"]] == ["Tide tables, 1938", ""]

    again = ingest_paths(first_folder)
    assert again.summary()["unchanged"] == 2
    assert Asset.objects.count() == 2


def export_folder(folder: Path, files) -> str:
    folder.mkdir()
    out = io.StringIO()
    write_jsonl(out, files(folder))
    (folder / "archive.jsonl").write_text(out.getvalue(), encoding="utf-8")
    return out.getvalue()


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_round_trip_with_audio_video_and_embeds_is_byte_identical(tmp_path, ingest_paths):
    media = [
        Block("paragraph", "The strike committee's broadcast, and the film of the march:"),
        Block("audio", "The committee speaks", url="https://example.org/speech.mp3"),
        Block("video", "", url="https://example.org/march.mp4"),
        Block(
            "embed", "La marcha", url="https://www.youtube.com/watch?v=a1b2c3", provider="YouTube"
        ),
        Block("quotation", blocks=[Block("embed", url="https://x.example/1", provider="Notes")]),
    ]
    record = ArticleRecord(
        publication="The Northern Review",
        key="test:broadcast",
        issue=IssueRecord(year=1938, number=13, month=4),
        title="On the air",
        source=Source.of("broadcast.txt", "capture", "On the air"),
        blocks=media,
    )
    load([record])
    first = export_text()
    line = json.loads(first)
    assert line["blocks"][1] == {
        "text": "The committee speaks",
        "type": "audio",
        "url": "https://example.org/speech.mp3",
    }
    assert line["blocks"][3]["provider"] == "YouTube"
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(first, encoding="utf-8")
    empty_archive()
    assert ingest_paths(export_file).summary()["added"] == 1
    assert export_text() == first
    assert ingest_paths(export_file).summary()["unchanged"] == 1

    bad = tmp_path / "bad.jsonl"
    bad.write_text(first.replace('"url": "https://example.org/march.mp4"', '"url": ""'))
    failed = [e for e in ingest_paths(bad).entries if e.status == "failed"]
    assert "block 3 (video): the video block needs the url" in failed[0].reason


@pytest.mark.django_db
def test_round_trip_keeps_the_publications_catalogue_record(tmp_path, ingest_paths):
    load(sample_records())
    Publication.objects.update(
        issn="0378-5955", publisher="Saltmarsh Press", frequency="monthly",
        rights="https://creativecommons.org/licenses/by/4.0/", languages="en, cy",
    )  # fmt: skip
    first = export_text()
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text(first, encoding="utf-8")

    empty_archive()
    report = ingest_paths(export_file)

    line = json.loads(first.splitlines()[0])
    assert line == {"record": "publication", "name": "The Northern Review", "issn": "0378-5955",
                    "publisher": "Saltmarsh Press", "frequency": "monthly", "languages": "en, cy",
                    "rights": "https://creativecommons.org/licenses/by/4.0/"}  # fmt: skip
    assert report.summary()["added"] == 2, report.entries
    assert export_text() == first
    assert Publication.objects.get().issn == "0378-5955"


@pytest.mark.django_db
def test_a_bad_publication_line_fails_alone_naming_its_line(tmp_path, ingest_paths):
    load(sample_records())
    lines = export_text().splitlines()
    bad = json.dumps({"record": "publication", "name": "The Northern Review", "issn": "1234"})
    unknown = json.dumps({"record": "publication", "name": "The Northern Review", "colour": "x"})
    export_file = tmp_path / "archive.jsonl"
    export_file.write_text("\n".join([bad, unknown, *lines]) + "\n", encoding="utf-8")
    empty_archive()

    report = ingest_paths(export_file)

    failed = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert any("is not an ISSN" in reason for reason in failed.values()), failed
    assert any(path.endswith(":2") and "colour" in reason for path, reason in failed.items())
    assert report.summary()["added"] == 2
