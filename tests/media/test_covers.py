"""Issues' covers: carried by the record format (the JSONL round trip stays byte-identical,
the cover's file included), stored by the loader, and shown on the year and issue pages as
a sized, lazy thumbnail with alt text; an issue without a cover shows as before."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from lxml import html

from backfile.archive.models import Issue
from backfile.ingest.export import write_jsonl
from backfile.ingest.loader import load
from backfile.media.export import AssetFiles
from backfile.media.models import Asset
from tests.helpers.covers import cover_picture, with_cover
from tests.helpers.pictures import figure_record, make_picture
from tests.ingest.test_jsonl import (
    empty_archive,
    export_folder,
    files_in,
    media_folder,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


def covered_records():
    """Two articles of one English issue with a cover, one of a Spanish issue without."""
    cover = cover_picture(seed=3)
    first = with_cover(figure_record(1, [make_picture(0, seed=5)]), cover, alt="Front page")
    second = with_cover(figure_record(2, [make_picture(1, seed=5)]), cover, alt="Front page")
    spanish = figure_record(
        200, [make_picture(2, seed=5)], language="es", title="El puerto", publication="La Linterna"
    )
    for record, picture in zip(
        (first, second, spanish), (make_picture(n, seed=5) for n in range(3)), strict=True
    ):
        record.assets[0].content = picture.data
    return cover, [first, second, spanish]


def covers_of(page: bytes) -> list:
    return html.fromstring(page).xpath("//*[contains(@class, 'cover')]//img")


def test_a_cover_survives_the_jsonl_round_trip_byte_for_byte(
    tmp_path,
    ingest_paths,
    media_folder,  # noqa: F811
):
    cover, records = covered_records()
    load(records)
    issue = Issue.objects.get(publication__slug="the-lantern")
    assert issue.cover == cover.sha256
    first = export_folder(tmp_path / "first", AssetFiles)
    lines = [json.loads(line) for line in first.splitlines()]
    lantern = [line for line in lines if line["publication"] == "The Lantern"]
    assert [line["issue"]["cover"] for line in lantern] == [cover.sha256] * 2
    assert all(line["assets"][-1]["sha256"] == cover.sha256 for line in lantern)
    (linterna,) = [line for line in lines if line["publication"] == "La Linterna"]
    assert "cover" not in linterna["issue"], "an issue without a cover has no `cover` key"

    empty_archive()
    Asset.objects.all().delete()
    shutil.rmtree(media_folder)
    report = ingest_paths(tmp_path / "first")
    assert report.summary()["added"] == 3, report.entries
    assert export_folder(tmp_path / "second", AssetFiles) == first
    assert files_in(tmp_path / "second" / "assets") == files_in(tmp_path / "first" / "assets")
    assert Issue.objects.get(publication__slug="the-lantern").cover == cover.sha256
    assert ingest_paths(tmp_path / "first").summary()["unchanged"] == 3


def test_a_cover_not_among_the_records_assets_fails_its_record_with_the_reason(
    media_folder,  # noqa: F811
):
    (record,) = covered_records()[1][:1]
    record.issue.cover = "f" * 64
    report = load([record])
    (failed,) = [e for e in report.entries if e.status == "failed"]
    assert f"the issue's cover {'f' * 64} is not among the record's assets" in failed.reason


def test_a_source_without_a_cover_keeps_the_stored_one(media_folder):  # noqa: F811
    cover, records = covered_records()
    load(records[:1])
    later = figure_record(1, [make_picture(0, seed=5)], title="Pictures of the harbour, again")
    load([later])
    assert Issue.objects.get(publication__slug="the-lantern").cover == cover.sha256


def test_year_and_issue_pages_show_the_cover_sized_lazy_and_described(
    client,
    media_folder,  # noqa: F811
):
    cover, records = covered_records()
    load(records)
    issue = Issue.objects.get(publication__slug="the-lantern")
    year = client.get(f"/the-lantern/{issue.decade}s/{issue.year}/")
    assert year.status_code == 200
    (thumbnail,) = covers_of(year.content)
    assert thumbnail.get("alt") == "Front page"
    assert thumbnail.get("loading") == "lazy"
    assert (int(thumbnail.get("width")), int(thumbnail.get("height"))) == (420, 560)
    assert thumbnail.get("sizes") == "6rem"
    assert thumbnail.xpath("ancestor::picture")
    jpeg = thumbnail.get("src")
    assert client.get(jpeg).status_code == 200

    page = client.get(issue.get_absolute_url())
    (large,) = covers_of(page.content)
    assert large.get("alt") == "Front page"
    assert (int(large.get("width")), int(large.get("height"))) == (420, 560)

    # No alt text of its own: the cover says whose it is.
    Asset.objects.filter(sha256=cover.sha256).update(alt="")
    Issue.objects.get(pk=issue.pk).save()  # (an update() sends no signal: retire the pages)
    (described,) = covers_of(client.get(issue.get_absolute_url()).content)
    assert described.get("alt") == f"Cover of The Lantern, {issue.label}"


def test_an_issue_without_a_cover_shows_no_picture_and_no_empty_box(
    client,
    media_folder,  # noqa: F811
):
    _cover, records = covered_records()
    load(records)
    issue = Issue.objects.get(publication__slug="la-linterna")
    for url in (f"/la-linterna/{issue.decade}s/{issue.year}/", issue.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        assert covers_of(page.content) == []
        assert b'class="cover' not in page.content


def test_a_cover_whose_file_is_missing_is_not_shown(client, media_folder):  # noqa: F811
    record = with_cover(
        figure_record(7, [make_picture(0, seed=5)]), cover_picture(seed=9), with_bytes=False
    )
    record.assets[0].content = make_picture(0, seed=5).data
    report = load([record])
    assert any("picture covers/cover-9.jpg" in e.reason for e in report.entries)
    issue = Issue.objects.get()
    assert issue.cover == record.issue.cover
    page = client.get(issue.get_absolute_url())
    assert page.status_code == 200
    assert covers_of(page.content) == []


def test_an_export_without_covers_is_as_before_and_a_cover_added_later_updates(
    media_folder,  # noqa: F811
):
    """No record of an issue without a cover gains a key; a source that gains a cover
    updates its articles, and the issue shows it."""
    from tests.ingest.test_jsonl import sample_records

    load(sample_records())
    out = io.StringIO()
    write_jsonl(out)
    assert out.getvalue() and '"cover"' not in out.getvalue()
    assert load(sample_records()).summary()["unchanged"] == 2

    cover = cover_picture(seed=4)
    records = [with_cover(record, cover, alt="Cubierta") for record in sample_records()]
    assert load(records).summary()["updated"] == 2
    assert Issue.objects.get().cover == cover.sha256


def test_a_cover_whose_picture_was_deleted_is_not_exported(
    tmp_path,
    ingest_paths,
    media_folder,  # noqa: F811
):
    """Every exported line can be read back: a cover is exported only with its picture."""
    cover, records = covered_records()
    load(records)
    Asset.objects.filter(sha256=cover.sha256).delete()
    first = export_folder(tmp_path / "first", AssetFiles)
    assert '"cover"' not in first
    empty_archive()
    report = ingest_paths(tmp_path / "first")
    assert report.summary()["added"] == 3 and report.summary()["failed"] == 0


def test_an_export_whose_picture_files_are_gone_from_storage_says_so_and_reads_back(
    tmp_path,
    ingest_paths,
    media_folder,  # noqa: F811
):
    """A cover's file (or any picture's) missing from the media storage: the export goes on,
    names what it could not write, and every line it wrote reads back."""
    from backfile.media.storage import media_storage

    cover, records = covered_records()
    load(records)
    media_storage().delete(Asset.objects.get(sha256=cover.sha256).original)
    files: list[AssetFiles] = []

    def made(folder):
        files.append(AssetFiles(folder))
        return files[0]

    export_folder(tmp_path / "first", made)
    assert files[0].missing == {cover.sha256}
    assert cover.sha256 not in files[0].written
    assert not list((tmp_path / "first").rglob("*.partial"))
    empty_archive()
    report = ingest_paths(tmp_path / "first")
    assert report.summary()["added"] == 3 and report.summary()["failed"] == 0
