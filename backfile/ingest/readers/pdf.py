"""A PDF per issue: each page with its text, word boxes and an image to show (pypdfium2).

Detected by its `%PDF-` signature. Which issue it is comes from a sidecar file
`NAME.issue.json` beside it or `--issue-from filename:PATTERN` (`issue_identity`).

Every page becomes a `PageRecord`:

- a page with a text layer (born digital) keeps that text (`text_source` "pdf"), read in
  reading order with running heads and footers marked (`pdf_text`), and is rendered at
  RENDER_DPI as a JPEG for the viewer; the word boxes are that image's pixels;
- a page without one (a scan) is OCR'd with Tesseract (`backfile.ingest.ocr`) in the
  language the sidecar names (default English). Its image is the scanner's JPEG as it is,
  where the page is one upright JPEG covering it; else the page rendered at its picture's
  own resolution or OCR_DPI.

The page's label is the folio printed in its running head or foot, else the PDF's own page
label, else empty. The PDF itself is an asset of the first page and the issue's `pdf`.

An encrypted, damaged or empty PDF fails as a whole, named with why; a page that cannot be
rendered or read fails by itself (`FILE#page=N`) and the rest of the issue goes in. Pages are
made one at a time and OCR runs a few pages ahead, so memory stays bounded on long issues.
PDFs in an NDNP batch (a folder with an issue METS) are left to that reader.
"""

from __future__ import annotations

import contextlib
import io
import operator
import re
from collections import Counter, deque
from collections.abc import Iterator
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image

from backfile.ingest.ocr import Progress, in_parallel
from backfile.ingest.page_records import PageRecord, TextBlock, TextLine
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.issue_identity import Identity, IdentityError, identify
from backfile.ingest.readers.page_pictures import (
    OcrJob,
    Scratch,
    job_outcome,
    jpeg_asset,
    max_pixels,
    run_ocr,
    too_many_pixels,
)
from backfile.ingest.readers.pdf_text import PdfPage, furniture_keys, read_page
from backfile.ingest.readers.pdf_words import as_shown, page_words
from backfile.ingest.records import AssetRecord, Failure, Notice, Source
from backfile.ingest.sources import SourceFile

FORMAT = "pdf"
RENDER_DPI = 150  # the image of a born-digital page, for the viewer
OCR_DPI = 300  # a scanned page without a picture of known resolution
MIN_DPI, MAX_DPI = 100, 400
LOOKAHEAD = 8  # pages whose words are read before a page is laid out (running heads)
EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*/Count\s+0\b")


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


@lru_cache(maxsize=256)
def in_ndnp_batch(folder: str) -> bool:
    """True when the folder holds an issue METS (an NDNP batch's issue folder)."""
    try:
        for child in Path(folder).iterdir():
            if child.suffix.lower() == ".xml" and child.is_file():
                with child.open("rb") as file:
                    if b"<mets" in file.read(4096).lower():
                        return True
    except OSError:
        return False
    return False


class PdfReader(Reader):
    format = FORMAT
    description = "a PDF per issue (born digital or scanned), with a sidecar naming the issue"
    priority = 45
    streamed = True  # page by page: the file is never held whole
    options = ("issue_from", "progress")

    def __init__(self, publication: str | None = None, issue_from=None, progress=None):
        super().__init__(publication)
        self.issue_from = issue_from
        self.progress = progress  # says "FILE: page 40 of 500, 2.1 pages/s" to the ingest

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        if not is_pdf(file.head):
            return False
        folder = Path(file.path).parent
        return not (folder.is_dir() and in_ndnp_batch(str(folder)))

    def feed(self, file: SourceFile) -> Iterator[Output]:
        path = Path(file.path)
        scratch = Scratch()
        document = None
        try:
            location = str(path) if path.is_file() else scratch.spool(file.stream, path.name)
            document, why = open_pdf(location)
            if document is None:
                yield Failure(file.path, why)
                return
            try:
                identity = identify(path, self.publication, self.issue_from)
            except IdentityError as error:
                yield Failure(file.path, str(error))
                return
            if not identity.publication:
                yield Failure(file.path, "no publication: give --publication or name it in "
                              f"the sidecar {path.stem}.issue.json")  # fmt: skip
                return
            yield from read_pdf(document, location, file.path, identity, scratch, self.progress)
        finally:
            if document is not None:
                document.close()
            scratch.close()


def open_pdf(location: str) -> tuple[pdfium.PdfDocument | None, str]:
    """The document, or None and why it cannot be read."""
    try:
        document = pdfium.PdfDocument(location)
    except pdfium.PdfiumError as error:
        return None, why_unreadable(location, str(error))
    except OSError as error:
        return None, f"the PDF could not be opened ({error})"
    if len(document) == 0:
        document.close()
        return None, "the PDF has no pages"
    return document, ""


def why_unreadable(location: str, error: str) -> str:
    """Why PDFium refused a file, from the file itself: PDFium's own last error can be an
    earlier document's, so an encryption dictionary or an empty page tree is looked for."""
    try:
        with open(location, "rb") as file:
            head = file.read(1 << 16)
            file.seek(0, 2)
            file.seek(max(0, file.tell() - (1 << 16)))
            tail = file.read()
    except OSError:
        head = tail = b""
    if b"/Encrypt" in head + tail:
        return "the PDF is encrypted (it needs a password): save a copy without one"
    if EMPTY_PAGE_TREE.search(head + tail):
        return "the PDF has no pages"
    return f"not a PDF that can be read (damaged or cut short; PDFium: {error})"


def read_pdf(
    document,
    location: str,
    name: str,
    identity: Identity,
    scratch: Scratch,
    progress=None,
    render: bool = True,
) -> Iterator[Output]:
    """The pages of the open PDF at `location` (reported as `name`) as PageRecords; without
    `render`, born-digital pages have no image and their boxes are in points."""
    pdf_asset = AssetRecord.of_file(
        location, media_type="application/pdf", filename=Path(name).name
    )
    identity.issue.pdf = pdf_asset.sha256
    counter = Progress(Path(name).name, len(document), progress)
    pages = prepared_pages(document, name, identity, scratch, render)
    carried = False  # the PDF goes with the first page that goes in (page 1 may fail)
    for page, future in in_parallel(pages, run_ocr_of, lambda page: "job" in page):
        counter.page()
        for output in finished(page, future.result()):
            if isinstance(output, PageRecord) and not carried:
                output.assets.append(pdf_asset)
                carried = True
            yield output


def prepared_pages(document, name, identity, scratch, render=True) -> Iterator[dict]:
    """Each page read and rendered in turn (PDFium is used from this thread only); a scanned
    page carries the OCR job the worker threads run.

    Running heads and feet are the margin lines printed on more than one page: the words of
    LOOKAHEAD pages are read ahead, and a page is laid out knowing the margin lines of the
    pages before it and of those read ahead (so the first page knows the next ones')."""
    count = len(document)
    seen: Counter[str] = Counter()
    ahead: deque[dict] = deque()
    following = 0
    for _ in range(count):
        while following < count and len(ahead) <= LOOKAHEAD:
            ahead.append(page_text(document, following, name, seen))
            following += 1
        text = ahead.popleft()
        if "failure" in text:
            yield text
            continue
        least = 2 if following < 10 else max(2, following // 5)
        repeated = {key for key, n in seen.items() if n >= least}
        try:
            yield prepare_page(document, text, identity, scratch, repeated, render)
        except Exception as error:  # one page must not cost the issue its other pages
            yield {"failure": Failure(text["where"], f"this page could not be read: {error!r}")}


def page_text(document, index: int, name: str, seen: Counter) -> dict:
    """A page's words, size and label, its margin lines counted in `seen`."""
    where = f"{name}#page={index + 1}"
    try:
        page = document[index]
        try:
            width, height = page.get_size()  # as shown: its crop box, its /Rotate applied
            rotation = page.get_rotation() % 360
            drawn = (height, width) if rotation in (90, 270) else (width, height)
            left, _bottom, _right, top = page.get_cropbox()
            textpage = page.get_textpage()
            words = page_words(textpage, top)  # from the crop box's top
            words = as_shown(words, rotation, *drawn, left)
            textpage.close()
        finally:
            page.close()
        label = ""
        with contextlib.suppress(pdfium.PdfiumError):
            label = document.get_page_label(index) or ""
    except Exception as error:  # one page must not cost the issue its other pages
        return {"failure": Failure(where, f"this page could not be read: {error!r}")}
    seen.update(furniture_keys(words, height))
    return {"index": index, "where": where, "label": label, "words": words,
            "width": width, "height": height}  # fmt: skip


def prepare_page(document, text: dict, identity, scratch, repeated, render=True) -> dict:
    """The page laid out and rendered (a born-digital page), or rendered with its OCR job."""
    index, where, words = text["index"], text["where"], text["words"]
    width, height = text["width"], text["height"]
    base = {"index": index, "where": where, "identity": identity, "label": text["label"]}
    if words:
        laid_out = read_page(words, width, height, repeated)
        base.update(folio=laid_out.folio, text_source="pdf", notes=[])
        if not render:  # the text alone, its boxes in points (bench/facsimile.py)
            text, blocks = blocks_in_pixels(words, laid_out, 1)
            size = (round(width), round(height))
            return {**base, "text": text, "blocks": blocks, "size": size}
        dpi = fitting_dpi(width, height, RENDER_DPI)
        if dpi is None:
            return {"failure": Failure(where, too_many_pixels(width, height))}
        page = document[index]
        try:
            image = page.render(scale=dpi / 72).to_pil()
        finally:
            page.close()
        asset = jpeg_asset(image, f"{Path(where).name}.jpg".replace("#", "-"))
        text, blocks = blocks_in_pixels(words, laid_out, dpi / 72)
        return {**base, "text": text, "asset": asset, "blocks": blocks}
    page = document[index]
    try:
        scan = embedded_scan(page, width, height)
        if scan is not None:  # the scanner's own JPEG: the page image as it is
            return scanned_as_is(scan, base, where, identity, scratch)
        dpi = scan_dpi(page, width)
        fitted = fitting_dpi(width, height, dpi)
        if fitted is None:
            return {"failure": Failure(where, too_many_pixels(width * dpi / 72, height * dpi / 72))}
        image = page.render(scale=fitted / 72, grayscale=True).to_pil()
    finally:
        page.close()
    asset = jpeg_asset(image, f"{Path(where).name}.jpg".replace("#", "-"))
    job = OcrJob(scratch.write(image), identity.language)
    del image
    notes = ["no text layer: the page was read by OCR"]
    if fitted < dpi:
        notes.append(f"rendered at {fitted} dpi, not {dpi}, to stay within the pixel limit")
    return {**base, "asset": asset, "job": job, "text_source": "ocr", "notes": notes}


def fitting_dpi(width_pt: float, height_pt: float, dpi: int) -> int | None:
    """`dpi`, or less so that the render stays within BACKFILE_MEDIA_MAX_PIXELS; None when
    even MIN_DPI / 2 would not (a page of absurd size)."""
    limit = max_pixels()
    pixels = width_pt * height_pt * (dpi / 72) ** 2
    if pixels <= limit:
        return dpi
    fitted = int(dpi * (limit / pixels) ** 0.5)
    return fitted if fitted >= MIN_DPI // 2 else None


def scan_dpi(page, width_pt: float) -> int:
    """The resolution of the one picture that covers a scanned page, else OCR_DPI."""
    try:
        images = list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except pdfium.PdfiumError:
        return OCR_DPI
    if len(images) != 1:
        return OCR_DPI
    left, bottom, right, top = images[0].get_bounds()
    page_w, page_h = width_pt, page.get_height()
    if (right - left) * (top - bottom) < 0.8 * page_w * page_h:
        return OCR_DPI
    pixels_wide, _ = images[0].get_px_size()
    dpi = round(pixels_wide / ((right - left) / 72))
    return min(MAX_DPI, max(MIN_DPI, dpi))


def embedded_scan(page, width: float, height: float) -> tuple[bytes, int, int] | None:
    """The JPEG of a page that is one scanned picture, upright, covering the page exactly
    (what a scanner's PDF holds), with its pixel size; None for any other page."""
    try:
        if page.get_rotation() % 360:
            return None
        images = list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=1))
        if len(images) != 1 or images[0].get_filters() != ["DCTDecode"]:
            return None
        image = images[0]
        left, bottom, right, top = image.get_bounds()
        a, b, c, d, _, _ = image.get_matrix().get()
        if b or c or a <= 0 or d <= 0:
            return None
        if max(abs(left), abs(bottom), abs(right - width), abs(top - height)) > 1.5:
            return None
        pixels_wide, pixels_high = image.get_px_size()
        return bytes(image.get_data(decode_simple=False)), pixels_wide, pixels_high
    except pdfium.PdfiumError:
        return None


def scanned_as_is(scan, base: dict, where: str, identity, scratch: Scratch) -> dict:
    """A scanned page whose JPEG is its image, decoded once for Tesseract."""
    data, pixels_wide, pixels_high = scan
    if why := too_many_pixels(pixels_wide, pixels_high):
        return {"failure": Failure(where, why)}
    asset = AssetRecord.of_bytes(
        data, media_type="image/jpeg", width=pixels_wide, height=pixels_high,
        filename=f"{Path(where).name}.jpg".replace("#", "-"),
    )  # fmt: skip
    with Image.open(io.BytesIO(data)) as image:
        job = OcrJob(scratch.write(image.convert("L")), identity.language)
        asset.width, asset.height = image.size
    notes = ["no text layer: the page was read by OCR"]
    return {**base, "asset": asset, "job": job, "text_source": "ocr", "notes": notes}


def run_ocr_of(page: dict):
    return run_ocr(page.get("job"))


def blocks_in_pixels(words, page: PdfPage, scale: float) -> tuple[str, list[TextBlock]]:
    """A laid-out PDF page (`pdf_text.PdfPage`) as its text (as `block_texts_of` reads
    TextBlocks) and TextBlocks, their boxes in the page image's pixels: the words' boxes are
    scaled all at once, and each line is a slice of the page's word columns
    (`TextLine.of_columns`)."""
    order = page.order
    if not len(order):
        return "", []
    in_order = list(map(words.texts.__getitem__, order.tolist()))
    columns = (in_order,) + tuple(side.tolist() for side in pixel_boxes(*words.box(order), scale))
    starts = page.line_starts
    ends = starts[1:] + [len(in_order)]
    made_lines = list(map(TextLine.of_columns, repeat(columns), starts, ends))
    block_starts = page.block_starts
    block_ends = block_starts[1:] + [len(starts)]
    firsts = [starts[line] for line in block_starts]  # each block's first word
    # the text: a space after each word, a line break after a line's last, a blank line
    # after a block's (one join over the page's words rather than one a line)
    breaks = [" "] * len(in_order)
    for end in ends:
        breaks[end - 1] = "\n"
    for first in firsts[1:]:
        breaks[first - 1] = "\n\n"
    breaks[-1] = ""
    text = "".join(map(operator.add, in_order, breaks))
    x0, y0, x1, y1 = words.box(order)
    spans = (
        numpy.minimum.reduceat(x0, firsts),
        numpy.minimum.reduceat(y0, firsts),
        numpy.maximum.reduceat(x1, firsts),
        numpy.maximum.reduceat(y1, firsts),
    )
    boxes = zip(*(side.tolist() for side in pixel_boxes(*spans, scale)), strict=True)
    return text, [
        TextBlock(role, *box, lines=made_lines[first:end])
        for role, first, end, box in zip(page.roles, block_starts, block_ends, boxes, strict=True)
    ]


def block_texts_of(blocks: list[TextBlock]) -> str:
    return "\n\n".join(block.text for block in blocks)


def pixel_boxes(x0, y0, x1, y1, scale: float) -> tuple:
    """Boxes in points (arrays) as pixels `x, y, w, h`: rounded, within the image, at least a
    pixel wide and high."""
    left = numpy.maximum(0, (x0 * scale + 0.5).astype(numpy.int64))
    top = numpy.maximum(0, (y0 * scale + 0.5).astype(numpy.int64))
    width = numpy.maximum(1, (x1 * scale + 0.5).astype(numpy.int64) - left)
    height = numpy.maximum(1, (y1 * scale + 0.5).astype(numpy.int64) - top)
    return left, top, width, height


def finished(page: dict, job: OcrJob | None) -> list[Output]:
    """The page's record (and a notice if its OCR failed), once any OCR of it is done."""
    if "failure" in page:
        return [page["failure"]]
    identity: Identity = page["identity"]
    notes, blocks = job_outcome(page, job)
    asset: AssetRecord | None = page.get("asset")
    width, height = (asset.width, asset.height) if asset else page["size"]
    record = PageRecord(
        publication=identity.publication,
        issue=identity.issue,
        sequence=page["index"] + 1,
        source=Source.of(page["where"], FORMAT, page.get("text") or block_texts_of(blocks)),
        label=page.get("folio") or page["label"],
        image=asset.sha256 if asset else "",
        width=width,
        height=height,
        text_source=page["text_source"],
        language=identity.bcp47,
        blocks=blocks,
        assets=[asset] if asset else [],
        notes=notes,
    )
    if job is not None and job.error:
        return [record, Notice(page["where"], notes[-1])]
    return [record]
