"""What the OCR files that come with scans (ALTO, hOCR) give a page, and how to find them.

`read_ocr_file(data, path, image_size)` reads an ALTO or hOCR file (told apart by content)
into an `OcrPage`: the page's blocks of lines of words with boxes in the image's pixels,
its figures, its printed label and language where the file says, and notes for the report.
`find_sidecar(image_path)` finds the OCR file beside a page image (`0011.jpg` → `0011.xml`,
`0011.hocr`, `0011.html`). The page-image reader and the NDNP reader both use them.

Boxes are scaled from the file's units to the image's real pixels, axis by axis, from the
size the file gives the page and the image's own size (never from an assumed resolution
where both are known). Boxes that reach past the image are clipped to it; a word wholly
outside keeps its text with an empty box (0, 0, 0, 0), and the page is noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from backfile.ingest.page_records import PageRecord, TextBlock
from backfile.ingest.records import Region

# lxml parser options for every OCR and METS file: no DTD, no entities, no network, no
# unbounded trees (a page's OCR is a few megabytes at most).
SAFE_XML = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
SHAPE_TOLERANCE = 0.03  # how far the OCR page's proportions may differ from the image's
SIDECAR_SUFFIXES = (".xml", ".alto", ".alto.xml", ".hocr", ".html", ".htm")
IMAGE_SUFFIXES = (".jp2", ".jpg", ".jpeg", ".tif", ".tiff", ".png", ".j2k", ".jpx")
FIRST_TAG = re.compile(
    rb"\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([\w.:-]+)", re.DOTALL | re.I
)
HOCR_MARK = re.compile(rb"""class\s*=\s*["'][^"']*\bocr_page\b|name=["']ocr-system["']""")
# ISO 639-2 codes (ALTO's `language`, Tesseract's) → BCP 47, for the languages of the press
ISO_639_2 = {
    "eng": "en", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es", "ita": "it",
    "dut": "nl", "nld": "nl", "swe": "sv", "nor": "no", "dan": "da", "pol": "pl", "cze": "cs",
    "ces": "cs", "lat": "la", "por": "pt", "fin": "fi", "hun": "hu", "rus": "ru", "slo": "sk",
    "slk": "sk", "slv": "sl", "est": "et", "lav": "lv", "lit": "lt", "gre": "el", "ell": "el",
    "wel": "cy", "cym": "cy", "gle": "ga", "yid": "yi", "heb": "he", "ice": "is", "isl": "is",
}  # fmt: skip


class OcrFileError(Exception):
    """An OCR file that cannot be read (not well-formed, not ALTO or hOCR); says why."""


@dataclass
class OcrPage:
    """One page as its OCR file gives it, in the page image's pixels.

    `blocks` in reading order (roles `text`, `header`, `footer`, `illustration`); `figures`
    the illustrations' regions (their `sequence` is 0 until `apply` gives the page's);
    `ids` the file's own ids of its blocks (ALTO `TextBlock/@ID`), for METS article zoning.
    """

    text_source: str
    blocks: list[TextBlock] = field(default_factory=list)
    figures: list[Region] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    label: str = ""
    language: str = ""
    notes: list[str] = field(default_factory=list)
    ids: dict[str, TextBlock] = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return sum(len(line.words) for block in self.blocks for line in block.lines)

    def apply(self, page: PageRecord) -> PageRecord:
        """Give `page` this OCR: blocks, figures, size (where the page has none), the
        printed label and language (where the page has none), notes."""
        page.blocks = self.blocks
        page.figures = [Region(page.sequence, f.x, f.y, f.w, f.h, f.caption) for f in self.figures]
        page.text_source = self.text_source
        page.width = page.width or self.width
        page.height = page.height or self.height
        page.label = page.label or self.label
        page.language = page.language or self.language
        page.notes.extend(self.notes)
        return page


class Scale:
    """From an OCR file's units to the image's pixels, clipping to the image.

    `factor_x`, `factor_y` multiply the file's coordinates; `width`, `height` are the
    image's (or, without an image, the page's size in pixels). Counts the words clipped
    and the words wholly outside, for one note per page."""

    def __init__(self, factor_x: float, factor_y: float, width: int | None, height: int | None):
        self.factor_x, self.factor_y = factor_x, factor_y
        self.width, self.height = width, height
        self.clipped = 0
        self.outside = 0

    def box(self, x: float, y: float, w: float, h: float, count: bool = True) -> tuple:
        """(x, y, w, h) in pixels, clipped to the image; (0, 0, 0, 0) wholly outside it."""
        left, top = x * self.factor_x, y * self.factor_y
        right, bottom = left + max(w, 0) * self.factor_x, top + max(h, 0) * self.factor_y
        x0, y0, x1, y1 = round(left), round(top), round(right), round(bottom)
        if self.width is not None and self.height is not None:
            cx0, cy0 = min(max(x0, 0), self.width), min(max(y0, 0), self.height)
            cx1, cy1 = min(max(x1, 0), self.width), min(max(y1, 0), self.height)
            if (cx1 <= cx0 or cy1 <= cy0) and (x1 > x0 and y1 > y0):
                self.outside += count
                return (0, 0, 0, 0)
            if (cx0, cy0, cx1, cy1) != (x0, y0, x1, y1):
                self.clipped += count
            x0, y0, x1, y1 = cx0, cy0, cx1, cy1
        return (x0, y0, max(x1 - x0, 0), max(y1 - y0, 0))

    def notes(self, path: str) -> list[str]:
        notes = []
        if self.outside:
            notes.append(
                f"{self.outside} word(s) of {path} lie wholly outside the page image: their "
                "text is kept, without boxes"
            )
        if self.clipped:
            notes.append(
                f"{self.clipped} word box(es) of {path} reach past the page image: clipped to it"
            )
        return notes


def scale_for(
    path: str,
    unit_pixels: float,
    page_size: tuple[float, float] | None,
    image_size: tuple[int, int] | None,
    what: str,
) -> tuple[Scale, list[str]]:
    """The scale from a file's units to the image's pixels, and what to note about it.

    `unit_pixels` is one unit in pixels at the resolution assumed where nothing better is
    known; `page_size` the page's size in the file's units (where it says), `what` how to
    name the file's size in a note (`1200ths of an inch`)."""
    notes: list[str] = []
    if image_size and page_size and page_size[0] > 0 and page_size[1] > 0:
        width, height = image_size
        factor_x, factor_y = width / page_size[0], height / page_size[1]
        if abs(factor_x / factor_y - 1) > SHAPE_TOLERANCE:
            notes.append(
                f"{path} describes a page of {page_size[0]:g}×{page_size[1]:g} {what}, not the "
                f"shape of its image ({width}×{height} pixels): its boxes are scaled to the "
                "image axis by axis and may not sit on the words"
            )
        return Scale(factor_x, factor_y, width, height), notes
    if image_size:
        return Scale(unit_pixels, unit_pixels, *image_size), notes
    if page_size:
        width, height = round(page_size[0] * unit_pixels), round(page_size[1] * unit_pixels)
        return Scale(unit_pixels, unit_pixels, width, height), notes
    return Scale(unit_pixels, unit_pixels, None, None), notes


def language_tag(code: str) -> str:
    """`ger` → `de`, `en-US` → `en-US`; "" for what is not a language code."""
    from backfile.ingest.language import normalise_tag

    code = (code or "").strip()
    return ISO_639_2.get(code.lower()) or (normalise_tag(code) if len(code) != 3 else "")


def confidence_of(value: str | None) -> float | None:
    """An OCR engine's word confidence as 0–100: ALTO's WC is 0–1 (a value past 1 is taken
    as a percentage already)."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number < 0:  # NaN or negative: no confidence
        return None
    return round(min(number * 100 if number <= 1 else number, 100.0), 1)


def first_tag(head: bytes) -> str:
    """The local name of a file's first element (after the XML declaration, comments and
    doctype), lower-cased; "" where the file does not start as markup."""
    match = FIRST_TAG.match(head.removeprefix(b"\xef\xbb\xbf"))
    if not match:
        return ""
    return match.group(1).decode("ascii", "replace").rpartition(":")[2].lower()


def is_alto(head: bytes) -> bool:
    return first_tag(head) == "alto"


def is_hocr(head: bytes) -> bool:
    # (the plain `in` tests first: every HTML page of an ingest is asked, and few are hOCR)
    return (
        (b"ocr_page" in head or b"ocr-system" in head)
        and first_tag(head) == "html"
        and bool(HOCR_MARK.search(head))
    )


def read_ocr_file(data: bytes, path: str, image_size: tuple[int, int] | None = None) -> OcrPage:
    """An ALTO or hOCR file's page (told apart by content); OcrFileError where it is neither
    or cannot be read."""
    from backfile.ingest.readers.alto import read_alto
    from backfile.ingest.readers.hocr import read_hocr

    head = data[:8192]
    if is_alto(head):
        return read_alto(data, path, image_size)
    if is_hocr(head):
        return read_hocr(data, path, image_size)
    raise OcrFileError(f"{path}: neither ALTO nor hOCR")


def find_sidecar(image_path: str | Path) -> Path | None:
    """The ALTO or hOCR file beside a page image, by the image's name (`0011.jpg` →
    `0011.xml`, `0011.hocr`, `0011.html`; `page.jpg` → `page.alto.xml`), checked by content;
    None where there is none."""
    image = Path(image_path)
    for suffix in SIDECAR_SUFFIXES:
        candidate = image.with_name(image.stem + suffix)
        if candidate == image or not candidate.is_file():
            continue
        try:
            with candidate.open("rb") as file:
                head = file.read(8192)
        except OSError:
            continue
        if is_alto(head) or is_hocr(head):
            return candidate
    return None


def find_image(stem_path: str | Path) -> Path | None:
    """The page image beside a file of the same name (`0011.xml` → `0011.jpg`, `0011.jp2`,
    `0011.tif` …), whatever the format a METS names it in; None where there is none."""
    stem = Path(stem_path)
    base = stem.with_suffix("") if stem.suffix else stem
    for suffix in IMAGE_SUFFIXES:
        for candidate in (base.with_suffix(suffix), base.with_suffix(suffix.upper())):
            if candidate.is_file():
                return candidate
    return None
