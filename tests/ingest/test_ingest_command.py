"""`backfile ingest`: idempotent re-runs, updates, failures that spare the rest, reports, archives."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from backfile.archive.models import Article, Author, Issue
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from tests.conftest import FIXTURES

LANTERN = FIXTURES / "capture" / "the-lantern"
BROKEN = FIXTURES / "capture" / "broken"
CAPTURES = sorted(LANTERN.glob("*.txt"))


def run_ingest(*arguments) -> str:
    out = io.StringIO()
    call_command(
        "ingest", *[str(a) for a in arguments], "--quiet", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def statuses(report) -> dict[str, str]:
    return {Path(e.path).name: e.status for e in report.entries if e.status != "noted"}


@pytest.fixture
def lantern(tmp_path) -> Path:
    """A writable copy of The Lantern's captures."""
    folder = tmp_path / "the-lantern"
    shutil.copytree(LANTERN, folder)
    return folder


def test_ingesting_the_same_folder_again_changes_nothing(ingest_paths, lantern):
    first = ingest_paths(lantern)
    stored = list(Article.objects.values_list("pk", "title", "blocks"))

    second = ingest_paths(lantern)

    assert first.summary()["added"] == len(CAPTURES)
    assert set(statuses(second).values()) == {"unchanged"}
    assert list(Article.objects.values_list("pk", "title", "blocks")) == stored
    assert Issue.objects.count() == 5


def test_a_changed_file_updates_its_article(ingest_paths, lantern):
    capture = lantern / "no-40-december-1948_greaves.txt"
    ingest_paths(lantern)
    capture.write_text(
        capture.read_text(encoding="utf-8").replace("seventy-one", "seventy-two"),
        encoding="utf-8",
    )

    report = ingest_paths(lantern)

    assert statuses(report)[capture.name] == "updated"
    assert report.summary()["unchanged"] == len(CAPTURES) - 1
    greaves = Article.objects.get(title="Walter Greaves")
    assert "seventy-two" in greaves.blocks[0]["text"]
    assert "seventy-two" in greaves.source.text
    assert Article.objects.count() == len(CAPTURES)


def test_the_same_file_twice_in_one_run_is_stored_once(ingest_paths):
    capture = LANTERN / "no-40-december-1948_greaves.txt"

    report = ingest_paths(capture, capture)

    assert [e.status for e in report.entries] == ["added", "unchanged"]
    assert Article.objects.count() == 1


def test_broken_files_are_reported_and_every_other_file_goes_in(ingest_paths, lantern):
    (lantern / "aaa-damaged.tar.gz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    (lantern / "aab-damaged.zip").write_bytes(b"PK\x03\x04 not really zip")
    (lantern / "empty.txt").write_bytes(b"")
    shutil.copy(BROKEN / "bad-year.txt", lantern / "bad-year.txt")

    report = ingest_paths(lantern)

    failed = {
        Path(e.path.split("!")[0]).name: e.reason for e in report.entries if e.status == "failed"
    }
    assert set(failed) == {"aaa-damaged.tar.gz", "aab-damaged.zip", "empty.txt", "bad-year.txt"}
    assert "not a readable archive" in failed["aaa-damaged.tar.gz"]
    assert "not a readable archive" in failed["aab-damaged.zip"]
    assert failed["empty.txt"] == "empty file"
    assert "1947" in failed["bad-year.txt"]
    assert Article.objects.count() == len(CAPTURES)


def test_a_file_that_cannot_be_opened_is_reported_and_the_walk_goes_on(
    ingest_paths, lantern, monkeypatch
):
    locked = lantern / "no-12-13-winter-1937_hunger-road.txt"  # sorts first in the folder
    real_open = Path.open

    def refuse_locked(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse_locked)

    report = ingest_paths(lantern)

    failed = [(Path(e.path).name, e.reason) for e in report.entries if e.status == "failed"]
    assert failed == [(locked.name, "cannot read: Permission denied")]
    assert Article.objects.count() == len(CAPTURES) - 1


def test_command_prints_the_summary_and_writes_the_json_report(db, lantern, tmp_path):
    shutil.copy(BROKEN / "no-title.txt", lantern / "no-title.txt")
    report_file = tmp_path / "report.json"

    output = run_ingest(lantern, "--report", report_file)

    count = len(CAPTURES)
    assert (
        f"{count + 1} files: {count} articles, 1 failed; "
        f"articles: added {count}, updated 0, unchanged 0, failed 1"
    ) in output
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["summary"]["read"] == count + 1
    assert report["summary"]["added"] == count
    assert report["summary"]["failed"] == 1
    by_file = {Path(e["path"]).name: e for e in report["entries"]}
    assert by_file["no-title.txt"]["status"] == "failed"
    assert "no title" in by_file["no-title.txt"]["reason"]
    greaves = by_file["no-40-december-1948_greaves.txt"]
    assert greaves["status"] == "added"
    assert greaves["url"] == Article.objects.get(title="Walter Greaves").get_absolute_url()

    again = run_ingest(lantern, "--report", report_file)

    assert (
        f"{count + 1} files: {count} articles, 1 failed; "
        f"articles: added 0, updated 0, unchanged {count}, failed 1"
    ) in again
    rerun = json.loads(report_file.read_text(encoding="utf-8"))
    assert rerun["summary"]["unchanged"] == count


def test_a_folder_s_read_me_and_licence_are_skipped_not_failed(db, lantern, tmp_path):
    """A folder handed over with its documentation goes in whole: the read-me and licence
    are named as skipped, and the ingest succeeds; a page merely named `readme.html` is
    still read (and, being no article, fails as one)."""
    (lantern / "README.md").write_text("# The Lantern\n\nCaptures of the back issues.\n")
    (lantern / "LICENSE").write_text("Permission is granted to read these pages.\n")
    (lantern / "NOTES.rst").write_text("Notes\n=====\n")
    report_file = tmp_path / "report.json"

    output = run_ingest(lantern, "--report", report_file)

    count = len(CAPTURES)
    assert f"{count + 3} files: {count} articles, 3 skipped;" in output
    assert "failed 0" in output
    by_file = {Path(e["path"]).name: e for e in json.loads(report_file.read_text())["entries"]}
    for name in ("README.md", "LICENSE", "NOTES.rst"):
        assert by_file[name]["status"] == "noted", by_file[name]  # (no article made or failed)
        assert "documentation" in by_file[name]["reason"] and "skipped" in by_file[name]["reason"]

    (lantern / "readme.html").write_text("<html><body><p>Hello.</p></body></html>")
    assert "1 failed" in run_ingest(lantern, "--report", report_file)
    by_file = {Path(e["path"]).name: e for e in json.loads(report_file.read_text())["entries"]}
    assert by_file["readme.html"]["status"] == "failed"


def test_command_publication_option(db, lantern):
    run_ingest(lantern, "--publication", "Lantern Monthly")

    assert {a.publication.name for a in Article.objects.select_related("publication")} == {
        "Lantern Monthly"
    }


def pack(folder: Path, archive: Path) -> Path:
    """`folder` as a .zip, .tar.gz or .tar.xz, its files under the folder's own name."""
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive, "w") as out:
            for file in sorted(folder.iterdir()):
                out.write(file, f"{folder.name}/{file.name}")
    else:
        mode = "w:gz" if archive.name.endswith(".gz") else "w:xz"
        with tarfile.open(archive, mode) as out:
            out.add(folder, arcname=folder.name)
    return archive


@pytest.mark.parametrize("name", ["lantern.zip", "lantern.tar.gz", "lantern.tar.xz"])
def test_archives_are_read_member_by_member(ingest_paths, lantern, tmp_path, name):
    archive = pack(lantern, tmp_path / name)

    report = ingest_paths(archive)
    again = ingest_paths(archive)

    assert report.summary()["added"] == len(CAPTURES)
    assert report.summary()["failed"] == 0
    assert all(e.path.startswith(f"{archive}!the-lantern/") for e in report.entries)
    assert {a.publication.name for a in Article.objects.select_related("publication")} == {
        "The Lantern"
    }
    assert again.summary()["unchanged"] == len(CAPTURES)


def test_capture_at_the_top_of_an_archive_takes_the_archive_name(ingest_paths, tmp_path):
    archive = tmp_path / "the-lantern-1948.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        out.add(LANTERN / "no-40-december-1948_greaves.txt", arcname="greaves.txt")

    ingest_paths(archive)

    assert Article.objects.get().publication.name == "The Lantern"


def record(title: str, author: str) -> ArticleRecord:
    text = f"{title} by {author}"
    return ArticleRecord(
        publication="The Lantern",
        key=f"test:{title}",
        issue=IssueRecord(year=1952, number=91, month=6),
        title=title,
        authors=[author],
        blocks=[Block("paragraph", text)],
        source=Source.of(f"{title}.txt", "capture", text),
    )


@pytest.mark.django_db
def test_loader_keeps_one_author_per_name_however_spaced_or_cased():
    load(
        [
            record("First", "Eric Boden"),
            record("Second", "Eric  Boden"),
            record("Third", "eric boden"),
            record("Fourth", "E. Boden"),
        ]
    )

    assert sorted(Author.objects.values_list("name", flat=True)) == ["E. Boden", "Eric Boden"]
    boden = Author.objects.get(name="Eric Boden")
    assert sorted(boden.articles.values_list("title", flat=True)) == ["First", "Second", "Third"]
    assert boden.bylines.get(article__title="Third").as_printed == "eric boden"


@pytest.mark.django_db
def test_two_sources_of_one_article_in_one_run_keep_the_first_and_rerun_writes_nothing():
    first, later = record("Depot", "Eric Boden"), record("Depot", "Eric Boden")
    later.blocks = [Block("paragraph", "A second transcription.")]
    later.source = Source.of("Depot (second copy).txt", "capture", "A second transcription.")

    report = load([first, later])
    again = load([first, later])

    assert [e.status for e in report.entries] == ["added", "noted"]
    assert "not stored: the same article" in report.entries[1].reason
    assert "Depot.txt" in report.entries[1].reason
    assert [e.status for e in again.entries] == ["unchanged", "noted"]
    assert Article.objects.get().blocks[0]["text"] == "Depot by Eric Boden"


def test_a_reader_that_fails_at_the_end_of_the_run_is_reported(tmp_path, ingest_paths, monkeypatch):
    from backfile.ingest.readers.capture import CaptureReader

    def broken_finish(self):
        raise RuntimeError("lost its place")
        yield  # a generator, as readers' finish() are

    monkeypatch.setattr(CaptureReader, "finish", broken_finish)
    folder = tmp_path / "the-lantern"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "1950s >> 1951 >> no-8-april-1951\n\nLow Water\n\nThe tide went out.\n\nA. Writer\n",
        encoding="utf-8",
    )
    report = ingest_paths(folder)
    [failure] = [e for e in report.entries if e.status == "failed"]
    assert "capture reader failed" in failure.reason and "lost its place" in failure.reason
    assert report.count("added") == 1
