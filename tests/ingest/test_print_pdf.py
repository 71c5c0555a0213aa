"""A PDF per issue, read as `backfile ingest` reads it (the pipeline's walk and detection):
pages in order with their printed labels, text column by column with running heads and
footers marked, word boxes on the page image, the PDF kept for download; scanned pages
OCR'd; and every kind of bad PDF failing by itself, named, while good ones go in."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.pipeline import read_paths
from backfile.ingest.readers.issue_identity import IssueFromFilename
from backfile.ingest.records import Failure, Notice
from backfile.ingest.report import IngestReport
from tests.conftest import corpus_path, skip_unless
from tests.helpers import facsimiles as fx

GAZETTE = {"publication": "The Tideway Gazette", "date": "2004-06-12", "number": 112}


def read(*paths: Path, **options) -> list:
    return list(read_paths(list(paths), None, IngestReport(), reader_options=options))


def pages_of(outputs: list) -> list[PageRecord]:
    return [o for o in outputs if isinstance(o, PageRecord)]


def sidecar(pdf: Path, data: dict = GAZETTE) -> None:
    pdf.with_name(pdf.stem + ".issue.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_three_column_issue_reads_column_by_column_with_its_running_heads(tmp_path):
    pdf = fx.newspaper_pdf(tmp_path / "gazette.pdf", pages=3, columns=3, first_folio=7)
    sidecar(pdf)
    outputs = read(tmp_path)
    pages = pages_of(outputs)
    assert [p.sequence for p in pages] == [1, 2, 3]
    assert [p.label for p in pages] == ["7", "8", "9"]  # the folios printed on them
    first = pages[0]
    assert first.publication == "The Tideway Gazette"
    assert (first.issue.year, first.issue.month, first.issue.day, first.issue.number) == (
        2004, 6, 12, 112,
    )  # fmt: skip
    assert first.text_source == "pdf" and first.language == "en"
    roles = [b.role for b in first.blocks]
    assert roles[0] == "header" and roles[-2:] == ["footer", "footer"]
    assert "Tideway Gazette" in first.blocks[0].text
    assert "Printed by the Tideway Press, sheet 7" in first.blocks[-1].text  # sideways
    assert "Tideway" not in first.text and "Printed" not in first.text
    # column by column: the whole first column's lines, then the second's, then the third's
    columns = [fx.column_text(180, seed=c, width_chars=30) for c in range(3)]
    expected = [line for column in columns for line in column]
    body_lines = [line.text for b in first.blocks if b.role == "text" for line in b.lines]
    assert body_lines == expected
    # the page image and the word boxes on it
    image = next(a for a in first.assets if a.sha256 == first.image)
    assert image.media_type == "image/jpeg"
    shown = Image.open(io.BytesIO(image.content))
    assert shown.size == (first.width, first.height) == (1275, 1651)
    words = [w for b in first.blocks for line in b.lines for w in line.words]
    assert all(w.x >= 0 and w.x + w.w <= first.width and w.y + w.h <= first.height for w in words)
    lines = [line for b in first.blocks for line in b.lines]
    column_two = next(line for line in lines if line.text == columns[1][0]).words[0]
    # printed at x = 56 + 500/3 points, 712 points up: in pixels of the 150 dpi image
    assert abs(column_two.x - (56 + 500 / 3) * 150 / 72) < 3
    assert abs(column_two.y + column_two.h - (792 - 712) * 150 / 72) < 8
    # the issue's PDF: an asset of the first page, and the issue's download
    pdf_asset = [a for a in first.assets if a.media_type == "application/pdf"]
    assert len(pdf_asset) == 1 and all(p.issue.pdf == pdf_asset[0].sha256 for p in pages)
    assert not any(isinstance(o, Failure) for o in outputs)


def assert_boxes_on_ink(page) -> None:
    """Every word's box lies on dark letters in the page's image, which has the page's size."""
    image = next(a for a in page.assets if a.sha256 == page.image)
    shown = Image.open(io.BytesIO(image.content)).convert("L")
    assert shown.size == (page.width, page.height)
    for word in (w for b in page.blocks for line in b.lines for w in line.words):
        ink = shown.crop((word.x, word.y, word.x + word.w, word.y + word.h)).getextrema()[0]
        assert ink < 100, (word.text, word.x, word.y)


# A page drawn on a portrait sheet (612 × 792 points) and shown turned by its /Rotate:
# the text matrix that reads upright once shown, and where a point shown at (u, v) from
# the top left is drawn (x, y from the bottom left).
TURNED = {
    90: (b"0 1 -1 0", lambda u, v: (v, u)),
    180: (b"-1 0 0 -1", lambda u, v: (612 - u, v)),
    270: (b"0 -1 1 0", lambda u, v: (612 - v, 792 - u)),
}


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_shown_turned_reads_as_shown_with_its_boxes_on_the_image(tmp_path, rotation):
    """A PDF page with /Rotate (a scan's hidden text, a landscape page) is read as it is shown
    and rendered: its text upright in the body, not sideways in the margin, and every word's
    box on its ink in the page image."""
    matrix, drawn_at = TURNED[rotation]
    lines = ["Harbour board meets on Tuesday", "The dockers ask for a shorter week"]
    content = b"".join(
        b"BT /F1 14 Tf %s %g %g Tm %s Tj ET\n"
        % (matrix, *drawn_at(72, 90 + 30 * n), fx.pdf_string(line))
        for n, line in enumerate(lines)
    )
    data = fx.write_pdf([content]).replace(
        b"/Type /Page /Parent", b"/Type /Page /Rotate %d /Parent" % rotation
    )
    pdf = tmp_path / "turned.pdf"
    pdf.write_bytes(data)
    sidecar(pdf)
    (page,) = pages_of(read(tmp_path))
    landscape = rotation in (90, 270)
    assert (page.width > page.height) == landscape
    assert [line.text for b in page.blocks if b.role == "text" for line in b.lines] == lines
    assert_boxes_on_ink(page)
    first = page.blocks[0].lines[0].words[0]
    assert abs(first.x - 72 * page.width / (792 if landscape else 612)) < 4  # left, as shown


@pytest.mark.parametrize(
    "boxes",
    [
        (b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 612 792] /CropBox [50 50 562 742]"),
        (b"/MediaBox [0 0 612 792]", b"/MediaBox [40 40 652 832]"),
    ],
    ids=["a crop box inside the sheet", "a sheet not at the origin"],
)
def test_the_word_boxes_lie_on_the_page_as_cropped(tmp_path, boxes):
    """PDFium gives boxes on the whole sheet and renders the crop box (a print PDF's trim, a
    scan cropped after): the boxes are moved onto the page as rendered."""
    content = fx.text_at(100, 700, "Harbour board meets on Tuesday", 14)
    pdf = tmp_path / "cropped.pdf"
    pdf.write_bytes(fx.write_pdf([content]).replace(*boxes))
    sidecar(pdf)
    (page,) = pages_of(read(tmp_path))
    words = [w for b in page.blocks for line in b.lines for w in line.words]
    assert [w.text for w in words] == ["Harbour", "board", "meets", "on", "Tuesday"]
    assert_boxes_on_ink(page)


def test_the_federal_register_reads_its_three_columns_in_order():
    source = corpus_path("facsimiles", "pdf", "federal-register-2020-17221.pdf")
    plan = IssueFromFilename.parse(r"filename:(?P<year>\d{4})-(?P<number>\d+)")
    outputs = list(
        read_paths(
            [source], "Federal Register", IngestReport(), reader_options={"issue_from": plan}
        )
    )
    pages = pages_of(outputs)
    assert len(pages) == 15
    assert [p.label for p in pages] == [str(n) for n in range(47698, 47713)]
    second = pages[1]
    assert second.blocks[0].role == "header" and "Federal Register" in second.blocks[0].text
    assert {b.role for b in second.blocks[-2:]} == {"footer"}  # the production lines
    text = second.text
    # the first column ends mid-sentence and the second column goes on from it
    assert text.index("Hatta International Airport") < text.index("altitude disagree alert")
    assert text.index("altitude disagree alert") < text.index("and the Ethiopian Civil Aviation")
    assert "VerDate" not in text and "Federal Register / Vol. 85" not in text
    # a footnote's number, set small, is a word of its own, not run into the next
    assert "1 Preliminary KNKT" in text and "1Preliminary" not in text


def test_without_a_sidecar_or_a_pattern_the_pdf_fails_saying_what_to_add(tmp_path):
    pdf = fx.newspaper_pdf(tmp_path / "no-name.pdf", pages=1)
    [failure] = read(pdf)
    assert isinstance(failure, Failure) and failure.path == str(pdf)
    assert "no-name.issue.json" in failure.reason and "--issue-from" in failure.reason


def test_the_issue_from_the_file_name(tmp_path):
    pdf = fx.newspaper_pdf(tmp_path / "gazette-1937-09-no397.pdf", pages=1)
    plan = IssueFromFilename.parse(r"filename:(?P<year>\d{4})-(?P<month>\d\d)-no(?P<number>\d+)")
    outputs = list(
        read_paths([pdf], "The Gazette", IngestReport(), reader_options={"issue_from": plan})
    )
    [page] = pages_of(outputs)
    assert (page.issue.year, page.issue.month, page.issue.number) == (1937, 9, 397)
    assert page.publication == "The Gazette"


def test_bad_pdfs_fail_by_themselves_and_the_good_one_goes_in(tmp_path):
    bad = {
        "locked.pdf": (fx.encrypted_pdf, "encrypted"),
        "empty.pdf": (fx.zero_page_pdf, "no pages"),
        "broken.pdf": (fx.corrupt_pdf, "damaged or cut short"),
    }
    for name, (make, _) in bad.items():
        make(tmp_path / name)
        sidecar(tmp_path / name)
    sidecar(fx.newspaper_pdf(tmp_path / "good.pdf", pages=2))
    outputs = read(tmp_path)
    failures = {Path(o.path).name: o.reason for o in outputs if isinstance(o, Failure)}
    assert set(failures) == set(bad)
    for name, (_, why) in bad.items():
        assert why in failures[name], failures[name]
    assert [p.sequence for p in pages_of(outputs)] == [1, 2]


def test_a_page_too_large_to_render_fails_by_itself(tmp_path):
    """One page of 200 × 200 inches: past BACKFILE_MEDIA_MAX_PIXELS at any sensible
    resolution. It fails, named with its page; the other pages go in."""
    normal = fx.newspaper_page([fx.column_text(60, 1)], 1)
    pdf = tmp_path / "mixed.pdf"
    sizes = [(612, 792), (14_400, 14_400), (612, 792)]
    fx.write_pdf([normal, fx.text_at(72, 14_000, "giant"), normal], pdf, sizes=sizes)
    sidecar(pdf)
    outputs = read(pdf)
    failures = [o for o in outputs if isinstance(o, Failure)]
    assert [f.path for f in failures] == [f"{pdf}#page=2"]
    assert "BACKFILE_MEDIA_MAX_PIXELS" in failures[0].reason
    assert [p.sequence for p in pages_of(outputs)] == [1, 3]


def test_the_pdf_goes_in_with_the_first_page_that_does(tmp_path):
    """Page 1 fails; the issue's PDF (its download) is carried by page 2."""
    normal = fx.newspaper_page([fx.column_text(60, 1)], 1)
    pdf = tmp_path / "first-too-big.pdf"
    fx.write_pdf([normal, normal], pdf, sizes=[(14_400, 14_400), (612, 792)])
    sidecar(pdf)
    [page] = pages_of(read(pdf))
    assert page.sequence == 2
    [download] = [a for a in page.assets if a.media_type == "application/pdf"]
    assert page.issue.pdf == download.sha256


def test_a_scanned_pdf_is_read_by_ocr_with_confidence(tmp_path):
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(fx.has_fonts(), "DejaVu fonts are not installed")
    pages = [fx.scanned(fx.text_page(fx.ENGLISH[:3])), fx.scanned(fx.text_page(fx.ENGLISH[3:]))]
    pdf = fx.scanned_pdf(tmp_path / "scan.pdf", pages)
    sidecar(pdf)
    outputs = read(tmp_path)
    read_pages = pages_of(outputs)
    assert [p.sequence for p in read_pages] == [1, 2]
    first = read_pages[0]
    assert first.text_source == "ocr" and first.confidence > 60
    assert "harbour board met on Tuesday" in first.text
    assert "board adjourned until Friday" in read_pages[1].text
    assert any("OCR" in note for note in first.notes)
    # its image is the scanner's own JPEG, as it is in the PDF, the words on it
    image = next(a for a in first.assets if a.sha256 == first.image)
    assert image.media_type == "image/jpeg" and image.content[:3] == b"\xff\xd8\xff"
    assert image.content in pdf.read_bytes()
    assert (first.width, first.height) == pages[0].size
    word = next(w for b in first.blocks for line in b.lines for w in line.words
                if w.text == "harbour")  # fmt: skip
    assert 150 < word.x < 900 and 100 < word.y < 400
    assert not any(isinstance(o, Failure) for o in outputs)


def test_a_stuck_ocr_page_is_stopped_with_a_notice(tmp_path, monkeypatch):
    skip_unless(shutil.which("tesseract") is not None, "tesseract is not installed")
    skip_unless(fx.has_fonts(), "DejaVu fonts are not installed")
    from backfile.ingest import ocr

    monkeypatch.setattr(ocr, "OCR_TIMEOUT", 0.01)  # BACKFILE_OCR_TIMEOUT, as a user sets it
    pdf = fx.scanned_pdf(tmp_path / "scan.pdf", [fx.text_page(fx.ENGLISH)])
    sidecar(pdf)
    outputs = read(tmp_path)
    [page] = pages_of(outputs)
    assert page.blocks == [] and page.image
    [notice] = [o for o in outputs if isinstance(o, Notice) and o.kind != "issue sidecar"]
    assert notice.path == f"{pdf}#page=1" and "BACKFILE_OCR_TIMEOUT" in notice.message


@pytest.mark.parametrize("value", ["filename:(", "filename:(?P<month>\\d+)", "filename:(?P<x>.)"])
def test_a_bad_pattern_is_a_usage_error(value):
    import argparse

    from backfile.ingest.readers.issue_identity import issue_from_argument

    with pytest.raises(argparse.ArgumentTypeError, match="--issue-from"):
        issue_from_argument(value)
