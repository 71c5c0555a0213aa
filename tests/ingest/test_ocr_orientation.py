"""A page scanned upside down or on its side is read turned upright: its text is the text of
the page, its word boxes lie where the words lie in the scan as it is kept, and the page
says it was read turned. An upright page is read once, as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backfile.ingest.ocr import recognise
from backfile.ingest.page_records import PageRecord
from backfile.ingest.pipeline import read_paths
from backfile.ingest.report import IngestReport
from tests.conftest import skip_unless
from tests.helpers import facsimiles as fx
from tests.ingest.test_print_page_images import issue_folder


@pytest.fixture(autouse=True)
def tesseract_and_fonts():
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(fx.has_fonts(), "DejaVu fonts are not installed")


def page():
    """An upright page of English, two dozen lines."""
    return fx.text_page(fx.column_text(200, seed=5, width_chars=56))


def words_of(ocr) -> list:
    return [word for block in ocr.blocks for line in block.lines for word in line.words]


@pytest.mark.parametrize("turn", [90, 180])
def test_a_turned_scan_reads_as_the_upright_page_with_its_boxes_where_the_words_lie(tmp_path, turn):
    upright = page()
    width, height = upright.size
    upright.save(tmp_path / "upright.png")
    upright.rotate(turn, expand=True).save(tmp_path / "turned.png")  # counter-clockwise
    straight = recognise(str(tmp_path / "upright.png"))
    turned = recognise(str(tmp_path / "turned.png"))
    assert straight.turned == 0
    assert turned.turned == turn  # clockwise, to stand upright again
    assert [w.text for w in words_of(turned)] == [w.text for w in words_of(straight)]
    for before, after in zip(words_of(straight), words_of(turned), strict=True):
        # where the upright page's word lies once the page is turned as scanned
        if turn == 180:
            expected = (
                width - before.x - before.w,
                height - before.y - before.h,
                before.w,
                before.h,
            )
        else:
            expected = (before.y, width - before.x - before.w, before.h, before.w)
        assert all(
            abs(a - b) <= 3
            for a, b in zip((after.x, after.y, after.w, after.h), expected, strict=True)
        )


def test_a_folder_with_an_upside_down_scan_reads_it_and_says_so(tmp_path):
    folder = issue_folder(tmp_path / "issue")
    fx.scanned(page(), seed=4).rotate(180).save(folder / "0001.png")
    outputs = list(read_paths([tmp_path], None, IngestReport()))
    (record,) = [o for o in outputs if isinstance(o, PageRecord)]
    assert " ".join(fx.column_text(200, seed=5, width_chars=56)[:2]) in " ".join(
        record.text.split()
    )
    assert record.confidence > 80
    assert any("read turned 180°" in note for note in record.notes), record.notes
    assert Path(record.source.path).name == "0001.png"


def test_when_the_upright_reading_fails_the_first_reading_is_kept(tmp_path, monkeypatch):
    """Tesseract failing (or timing out) on the page turned upright costs the page nothing:
    it keeps the reading it had, not an error in its place."""
    from backfile.ingest import ocr

    page().rotate(180, expand=True).save(tmp_path / "turned.png")
    real = ocr.tesseract

    def failing_upright(image_path, arguments, timeout):
        if "backfile-upright-" in image_path:
            raise ocr.OcrError("OCR stopped after 1 seconds (BACKFILE_OCR_TIMEOUT)")
        return real(image_path, arguments, timeout)

    monkeypatch.setattr(ocr, "tesseract", failing_upright)
    read = recognise(str(tmp_path / "turned.png"))
    assert read.turned == 0
    assert len(words_of(read)) > 100  # the first, upside-down reading, kept


def test_a_photograph_stored_sideways_with_its_exif_turn_is_shown_and_read_upright(tmp_path):
    """A phone's photograph of a page is often stored sideways with an EXIF tag saying how to
    turn it. The page image is the page upright (as a browser shows the photograph), its
    text is read upright, and the photograph itself is kept as it came."""
    import hashlib
    import io

    from PIL import Image

    folder = issue_folder(tmp_path / "issue")
    upright = fx.scanned(page(), seed=6)
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise to show
    photo = folder / "0001.jpg"
    upright.rotate(90, expand=True).save(photo, "JPEG", quality=92, exif=exif.tobytes())
    outputs = list(read_paths([tmp_path], None, IngestReport()))
    (record,) = [o for o in outputs if isinstance(o, PageRecord)]
    assert (record.width, record.height) == upright.size  # as the page stands, not as stored
    shown = next(a for a in record.assets if a.sha256 == record.image)
    assert shown.media_type == "image/jpeg" and (shown.width, shown.height) == upright.size
    with Image.open(io.BytesIO(shown.content)) as image:
        assert image.size == upright.size
    kept = [a for a in record.assets if a.sha256 != record.image]
    assert [a.sha256 for a in kept] == [hashlib.sha256(photo.read_bytes()).hexdigest()]
    assert " ".join(fx.column_text(200, seed=5, width_chars=56)[:2]) in " ".join(
        record.text.split()
    )
    assert record.confidence > 80
    assert any("EXIF orientation" in note for note in record.notes), record.notes
    assert not any("read turned" in note for note in record.notes)  # read upright at once


def test_reading_a_turned_page_upright_stays_within_the_pages_one_timeout(tmp_path, monkeypatch):
    """BACKFILE_OCR_TIMEOUT is what one page may take: the orientation check and the upright
    reading get what the first reading left of it, not a fresh timeout each."""
    from backfile.ingest import ocr

    page().rotate(180, expand=True).save(tmp_path / "turned.png")
    real, given = ocr.tesseract, []

    def timed(image_path, arguments, timeout):
        given.append(timeout)
        return real(image_path, arguments, timeout)

    monkeypatch.setattr(ocr, "tesseract", timed)
    read = recognise(str(tmp_path / "turned.png"), timeout=120)
    assert read.turned == 180
    assert len(given) == 3  # the first reading, the orientation, the upright reading
    assert given[0] == 120 and given[0] > given[1] > given[2]
    assert given[0] - given[2] <= read.seconds  # what was spent, taken off
