"""Folders of page images read as `backfile ingest` reads them: one folder an issue, pages in
name order (TIFF, JPEG 2000, PNG, JPEG), each OCR'd in its issue's language; a decompression
bomb or a broken image fails by itself, named, and the rest of the issue goes in; a site's
loose pictures are still pictures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.pipeline import read_paths
from backfile.ingest.readers import detect
from backfile.ingest.readers.issue_identity import IssueFromFilename
from backfile.ingest.records import Failure
from backfile.ingest.report import IngestReport
from backfile.ingest.sources import walk
from tests.conftest import skip_unless
from tests.helpers import facsimiles as fx


@pytest.fixture(autouse=True)
def tesseract_and_fonts():
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(fx.has_fonts(), "DejaVu fonts are not installed")


def read(*paths: Path, **options) -> list:
    return list(read_paths(list(paths), None, IngestReport(), reader_options=options))


def pages_of(outputs: list) -> list[PageRecord]:
    return [o for o in outputs if isinstance(o, PageRecord)]


def issue_folder(folder: Path, language: str = "eng") -> Path:
    folder.mkdir(parents=True)
    (folder / "issue.json").write_text(
        json.dumps({"publication": "La Marea", "date": "1931-04-14", "number": 3,
                    "volume": 2, "language": language}),
    )  # fmt: skip
    return folder


def test_a_folder_of_scans_is_an_issue_read_in_name_order(tmp_path):
    folder = issue_folder(tmp_path / "marea-3", language="spa")
    lines = fx.SPANISH
    fx.scanned(fx.text_page(lines[0:2]), seed=1).save(folder / "page1.tif")
    fx.scanned(fx.text_page(lines[2:4]), seed=2).save(folder / "page2.jp2")
    fx.scanned(fx.text_page(lines[4:6]), seed=3).save(folder / "page10.png")
    outputs = read(tmp_path)
    pages = pages_of(outputs)
    assert [Path(p.source.path).name for p in pages] == ["page1.tif", "page2.jp2", "page10.png"]
    assert [p.sequence for p in pages] == [1, 2, 3]
    first = pages[0]
    assert (first.publication, first.issue.year, first.issue.volume, first.issue.number) == (
        "La Marea", 1931, 2, 3,
    )  # fmt: skip
    assert all(p.text_source == "ocr" and p.language == "es" for p in pages)
    assert "se reunió el martes" in first.text  # the Spanish model read the accents
    assert "transbordador a la isla" in pages[2].text
    assert all(p.confidence and p.confidence > 60 for p in pages)
    # a TIFF or JP2 is kept, and a JPEG made from it is what the viewer shows
    shown = next(a for a in first.assets if a.sha256 == first.image)
    assert shown.media_type == "image/jpeg"
    assert {a.media_type for a in first.assets} == {"image/jpeg", "image/tiff"}
    assert {a.media_type for a in pages[1].assets} == {"image/jpeg", "image/jp2"}
    # a PNG is shown as it is
    assert [a.media_type for a in pages[2].assets] == ["image/png"]
    assert (pages[2].width, pages[2].height) == Image.open(folder / "page10.png").size
    assert not any(isinstance(o, Failure) for o in outputs)


def test_a_bomb_and_a_broken_scan_fail_by_themselves(tmp_path):
    folder = issue_folder(tmp_path / "issue")
    fx.text_page(fx.ENGLISH[:2]).save(folder / "0001.tif")
    fx.huge_png(folder / "0002.png")  # 20,000 × 20,000 pixels in a small file
    data = (folder / "0001.tif").read_bytes()
    (folder / "0003.tif").write_bytes(data[: len(data) // 4])  # cut short
    fx.text_page(fx.ENGLISH[2:4]).save(folder / "0004.tif")
    outputs = read(tmp_path)
    failures = {Path(o.path).name: o.reason for o in outputs if isinstance(o, Failure)}
    assert set(failures) == {"0002.png", "0003.tif"}
    assert "20,000 × 20,000 pixels" in failures["0002.png"]
    assert "BACKFILE_MEDIA_MAX_PIXELS" in failures["0002.png"]
    assert "page 3" in failures["0003.tif"]
    pages = pages_of(outputs)
    assert [p.sequence for p in pages] == [1, 4]
    assert "Nobody disputed them" in pages[1].text


def test_without_an_issue_file_the_folder_fails_saying_what_to_add(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    fx.text_page(fx.ENGLISH[:1]).save(folder / "p1.tif")
    [failure] = read(tmp_path)
    assert failure.path == str(folder / "p1.tif")
    assert "issue.json" in failure.reason and "--issue-from" in failure.reason


def test_the_issue_from_the_folder_name(tmp_path):
    folder = tmp_path / "marea-1931-04-14"
    folder.mkdir()
    fx.text_page(fx.ENGLISH[:1]).save(folder / "p1.tif")
    plan = IssueFromFilename.parse(r"filename:(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)")
    outputs = list(
        read_paths([tmp_path], "La Marea", IngestReport(), reader_options={"issue_from": plan})
    )
    [page] = pages_of(outputs)
    assert (page.issue.year, page.issue.month, page.issue.day) == (1931, 4, 14)
    assert "harbour board" in page.text


def test_a_sites_loose_pictures_are_still_pictures(tmp_path):
    """A JPEG or PNG outside an issue folder is a web site's picture, as before."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    Image.new("RGB", (40, 30), "navy").save(uploads / "march.jpg")
    Image.new("RGB", (40, 30), "red").save(uploads / "banner.png")
    assert [detect(file) for file in walk([uploads])] == [None, None]


FIXTURE_ALTO = Path(__file__).resolve().parent.parent / "fixtures" / "zoned_issue" / "alto"


def test_an_alto_file_beside_a_scan_is_its_text_used_as_it_is(tmp_path):
    folder = issue_folder(tmp_path / "gazette-1")
    Image.new("L", (800, 1200), 255).save(folder / "00001.png")  # 8 × 12 in at 100 dpi
    shutil.copy(FIXTURE_ALTO / "00001.xml", folder / "00001.xml")
    (folder / "00002.xml").write_text("<alto><Layout><Page", encoding="utf-8")  # broken
    Image.new("L", (800, 1200), 255).save(folder / "00002.png")

    first, second = pages_of(read(tmp_path))

    assert first.text_source == "alto"  # not OCR'd again
    assert first.text.startswith("Strike at")
    words = [w for b in first.blocks for line in b.lines for w in line.words]
    assert all(w.x >= 0 and w.x + w.w <= 800 and w.y + w.h <= 1200 for w in words)
    assert second.text_source == "ocr"
    assert any("00002.xml" in note for note in second.notes)


def test_a_multi_page_tiff_is_a_page_a_frame_in_its_place_among_the_files(tmp_path):
    """An issue scanned into one TIFF, one frame a page, between single-page scans: every
    frame is a page, numbered in the folder's order, none of them lost."""
    folder = issue_folder(tmp_path / "issue")
    lines = [fx.ENGLISH[0], fx.ENGLISH[2], fx.ENGLISH[4], fx.ENGLISH[5]]
    scans = [fx.scanned(fx.text_page([line]), seed=n) for n, line in enumerate(lines)]
    scans[0].save(folder / "0001.tif")
    scans[1].save(folder / "0002.tif", save_all=True, append_images=scans[2:3])
    scans[3].convert("1").save(folder / "0003.tif", compression="group4")  # bilevel, as many scan
    outputs = read(tmp_path)
    assert not any(isinstance(o, Failure) for o in outputs)
    pages = pages_of(outputs)
    assert [Path(p.source.path).name for p in pages] == [
        "0001.tif", "0002.tif#page=1", "0002.tif#page=2", "0003.tif",
    ]  # fmt: skip
    assert [p.sequence for p in pages] == [1, 2, 3, 4]
    for page, word in zip(pages, ["harbour", "union", "ferry", "lamps"], strict=True):
        assert word in page.text, (page.sequence, page.text)
    # both frames keep the file they came from, and each its own page image
    second, third = pages[1], pages[2]
    kept = {a.sha256 for a in second.assets} & {a.sha256 for a in third.assets}
    assert len(kept) == 1 and second.image != third.image
