"""ALTO: the OCR that comes with newspaper scans (Chronicling America, Europeana, Trove …).

`read_alto(data, path, image_size)` reads one ALTO file, any version (v1 to v4, the old
`www.loc.gov/standards/alto/` and `ns-v1`…`ns-v4#` namespaces, or none) into an
`OcrPage` (`ocr_files`): what the page-image reader and the NDNP reader give a page.

- Blocks are ALTO's `TextBlock`s in the order the file gives them (its reading order),
  with their `TextLine`s and `String`s; a block inside `TopMargin` (or lying wholly in its
  box, or wholly above a PrintSpace that is smaller than the page) is a `header`, inside
  `BottomMargin`, `LeftMargin` or `RightMargin` (or wholly below the PrintSpace) a
  `footer` (page furniture: running heads, folios, margin notes).
- An `Illustration` is a figure of the page and a block of role `illustration`; a
  `ComposedBlock` holding one is one illustration whose lines are the caption printed
  in it. `GraphicalElement`s (rules, ornaments) are left out.
- A word hyphenated across lines (`SUBS_TYPE` `HypPart1`/`HypPart2` with `SUBS_CONTENT`,
  or a line ending in `HYP` before ALTO had SUBS_CONTENT) is read once: the first half
  carries the whole word, the second half an empty text and its own box (see
  `page_records.TextLine`), so search highlights both halves and the text reads the word.
- Confidence is the word's `WC` (0–1) as 0–100, else from its characters' `CC` (0 sure,
  9 unsure).
- Boxes are in the image's pixels: scaled from `MeasurementUnit` (`pixel`, `mm10`,
  `inch1200`) by the image's real size against the `Page`'s `WIDTH`/`HEIGHT`; without an
  image, at 300 pixels an inch.
- The printed page number is `Page/@PRINTED_IMG_NR` where the file gives it.

The file is read as a stream (lxml iterparse, no DTD, entities or network), each element
dropped once read.
"""

from __future__ import annotations

import io
from collections import Counter

from lxml import etree

from backfile.ingest.page_records import TextBlock, TextLine, Word
from backfile.ingest.readers.ocr_files import (
    SAFE_XML,
    OcrFileError,
    OcrPage,
    Scale,
    confidence_of,
    language_tag,
    scale_for,
)
from backfile.ingest.records import Region

ASSUMED_DPI = 300  # where no image tells the resolution
UNIT_PIXELS = {"pixel": 1.0, "mm10": ASSUMED_DPI / 254, "inch1200": ASSUMED_DPI / 1200}
UNIT_WORDS = {"pixel": "pixels", "mm10": "tenths of a millimetre", "inch1200": "1200ths of an inch"}
MARGIN_ROLES = {
    "TopMargin": "header",
    "BottomMargin": "footer",
    "LeftMargin": "footer",
    "RightMargin": "footer",
}


def read_alto(data: bytes, path: str, image_size: tuple[int, int] | None = None) -> OcrPage:
    """One ALTO file's page, its boxes in the pixels of an image of `image_size` (width,
    height) where given. OcrFileError where the file is not well-formed ALTO."""
    reader = _AltoReader(path, image_size)
    try:
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), **SAFE_XML)
        for event, element in events:
            if not isinstance(element.tag, str):
                continue
            name = element.tag.rpartition("}")[2]
            if event == "start":
                reader.start(name, element)
            else:
                reader.end(name, element)
                if name in CLEARED:
                    element.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:
        line = f" at line {error.lineno}" if error.lineno else ""
        raise OcrFileError(f"{path}: not well-formed XML{line} ({error.msg})") from error
    if not reader.seen_root:
        raise OcrFileError(f"{path}: not an ALTO file")
    return reader.page()


CLEARED = {"TextBlock", "Illustration", "GraphicalElement", "ComposedBlock", "Page"}


class _AltoReader:
    def __init__(self, path: str, image_size: tuple[int, int] | None):
        self.path = path
        self.image_size = image_size
        self.seen_root = False
        self.unit = "pixel"
        self.scale: Scale | None = None
        self.result = OcrPage(text_source="alto")
        self.pages = 0
        self.roles: list[str] = []  # the margins the reader is inside
        self.margins: list[tuple[str, tuple]] = []  # (role, box in pixels) of Top/BottomMargin
        self.page_size: tuple[float, float] | None = None  # in the file's units
        self.print_space: tuple | None = None  # its box in pixels, where the file gives a sane one
        self.composed: list[tuple[int, tuple, bool]] = []  # (first block index, box, has picture)
        self.block: TextBlock | None = None
        self.line: TextLine | None = None
        self.hyphen_open: Word | None = None  # a HypPart1 word whose second half is to come
        self.hyp_word: Word | None = None  # a word before a line-end HYP without SUBS_CONTENT
        self.languages: Counter[str] = Counter()

    # -- events -------------------------------------------------------------------------
    def start(self, name: str, element) -> None:
        if name == "alto":
            self.seen_root = True
        elif name == "Page":
            self.pages += 1
            if self.pages == 1:
                self._page(element)
        elif self.pages > 1:
            return  # only a file's first page is read (noted in `page`)
        elif name in MARGIN_ROLES:
            self.roles.append(MARGIN_ROLES[name])
            if name in ("TopMargin", "BottomMargin") and self._has_box(element):
                self.margins.append((MARGIN_ROLES[name], self._box(element, count=False)))
        elif name == "PrintSpace":
            self._print_space(element)
        elif name == "ComposedBlock":
            self.composed.append((len(self.result.blocks), self._box(element, count=False), False))
        elif name == "TextBlock":
            self._text_block(element)
        elif name == "TextLine" and self.block is not None:
            self.line = TextLine()
        elif name == "String" and self.line is not None:
            self._string(element)
        elif name == "HYP" and self.line is not None and self.line.words:
            last = self.line.words[-1]
            if last is not self.hyphen_open:
                self.hyp_word = last
        elif name == "Illustration":
            self._illustration(element)

    def end(self, name: str, element) -> None:
        if name == "MeasurementUnit":
            self.unit = (element.text or "").strip() or "pixel"
        elif self.pages > 1:
            return
        elif name in MARGIN_ROLES:
            if self.roles:
                self.roles.pop()
        elif name == "TextLine" and self.line is not None and self.block is not None:
            if self.line.words:
                self.block.lines.append(self.line)
            self.line = None
        elif name == "TextBlock" and self.block is not None:
            if self.block.lines:
                self.result.blocks.append(self.block)
            self.block = None
        elif name == "ComposedBlock" and self.composed:
            self._end_composed()

    # -- parts --------------------------------------------------------------------------
    def _page(self, element) -> None:
        size = None
        width, height = _number(element.get("WIDTH")), _number(element.get("HEIGHT"))
        if width and height:
            size = (width, height)
        self.page_size = size
        unit = self.unit if self.unit in UNIT_PIXELS else "pixel"
        if self.unit not in UNIT_PIXELS:
            self.result.notes.append(
                f"{self.path}: unknown MeasurementUnit {self.unit!r}; read as pixels"
            )
        self.scale, notes = scale_for(
            self.path, UNIT_PIXELS[unit], size, self.image_size, UNIT_WORDS[unit]
        )
        self.result.notes.extend(notes)
        self.result.width, self.result.height = self.scale.width, self.scale.height
        self.result.label = (element.get("PRINTED_IMG_NR") or "").strip()[:40]

    def _text_block(self, element) -> None:
        role = self.roles[-1] if self.roles else "text"
        x, y, w, h = self._box(element, count=False)
        if role == "text" and (w or h):
            role = self._margin_role((x, y, w, h)) or role
        self.block = TextBlock(role=role, x=x, y=y, w=w, h=h)
        if block_id := element.get("ID"):
            self.result.ids[block_id] = self.block
        if language := element.get("language") or element.get("LANG"):
            self.languages[language] += 1

    def _string(self, element) -> None:
        content = element.get("CONTENT") or ""
        kind = element.get("SUBS_TYPE") or ""
        whole = element.get("SUBS_CONTENT") or ""
        text = content
        if kind == "HypPart1" and whole:
            text = whole
        elif kind == "HypPart2" and self.hyphen_open is not None:
            text = ""
        elif kind == "HypPart2" and whole:
            text = whole
        elif not kind and self.hyp_word is not None and not self.line.words:
            self.hyp_word.text = self.hyp_word.text + content  # HYP without SUBS_CONTENT
            text = ""
        self.hyp_word = None
        if not content and not text:
            return
        x, y, w, h = self._box(element)
        word = Word(text, x, y, w, h, self._confidence(element))
        self.hyphen_open = word if kind == "HypPart1" and whole else None
        self.line.words.append(word)

    def _confidence(self, element) -> float | None:
        value = confidence_of(element.get("WC"))
        if value is not None:
            return value
        characters = (element.get("CC") or "").split()
        digits = [int(c) for c in characters if c.isdigit() and len(c) == 1]
        if not digits:
            return None
        return round(100 - sum(digits) / len(digits) * 100 / 9, 1)

    def _illustration(self, element) -> None:
        x, y, w, h = self._box(element, count=False)
        if not (w and h):
            return
        if self.composed:
            start, box, _ = self.composed[-1]
            self.composed[-1] = (start, box, True)
        self.result.blocks.append(TextBlock(role="illustration", x=x, y=y, w=w, h=h))
        if block_id := element.get("ID"):
            self.result.ids[block_id] = self.result.blocks[-1]

    def _end_composed(self) -> None:
        """A composed block holding an illustration: one illustration, its box the composed
        block's, its lines the caption printed in it."""
        start, box, has_picture = self.composed.pop()
        if not has_picture:
            return
        if self.composed:  # the enclosing composed block holds a picture too
            outer_start, outer_box, _ = self.composed[-1]
            self.composed[-1] = (outer_start, outer_box, True)
        inner = self.result.blocks[start:]
        x, y, w, h = box if box[2] and box[3] else _union(inner)
        merged = TextBlock(role="illustration", x=x, y=y, w=w, h=h)
        merged.lines = [line for b in inner for line in b.lines]
        merged.zone = next((b.zone for b in inner if b.zone), "")
        for block_id, block in list(self.result.ids.items()):
            if any(block is b for b in inner):
                self.result.ids[block_id] = merged
        del self.result.blocks[start:]
        self.result.blocks.append(merged)

    def _print_space(self, element) -> None:
        """Keep the PrintSpace's box where it is a real part of the page (some files give one
        wider than the page, or the whole page)."""
        x, y, w, h = (_number(element.get(a)) for a in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        if None in (x, y, w, h) or not self.page_size or w <= 0 or h <= 0:
            return
        width, height = self.page_size
        inside = x >= 0 and y >= 0 and x + w <= width * 1.01 and y + h <= height * 1.01
        if inside and h < height * 0.98:
            self.print_space = self._box(element, count=False)

    def _margin_role(self, box: tuple) -> str:
        """`header`/`footer` for a block lying wholly inside the Top/BottomMargin's box."""
        x, y, w, h = box
        for role, (mx, my, mw, mh) in self.margins:
            if mw and mh and mx <= x and my <= y and x + w <= mx + mw and y + h <= my + mh:
                return role
        return ""

    def _outside_print_space(self) -> None:
        """Text blocks wholly above the PrintSpace are running heads, wholly below it feet
        (known once the page is read: a head may come before the PrintSpace in the file)."""
        if self.print_space is None:
            return
        top, bottom = self.print_space[1], self.print_space[1] + self.print_space[3]
        for block in self.result.blocks:
            if block.role == "text" and block.h and block.y + block.h <= top:
                block.role = "header"
            elif block.role == "text" and block.h and block.y >= bottom:
                block.role = "footer"

    def _has_box(self, element) -> bool:
        return all(element.get(a) is not None for a in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))

    def _box(self, element, count: bool = True) -> tuple:
        if self.scale is None:  # a String before any Page: scaled as pixels, unclipped
            self.scale = Scale(1.0, 1.0, None, None)
        return self.scale.box(
            _number(element.get("HPOS")) or 0,
            _number(element.get("VPOS")) or 0,
            _number(element.get("WIDTH")) or 0,
            _number(element.get("HEIGHT")) or 0,
            count,
        )

    def page(self) -> OcrPage:
        result = self.result
        if self.pages == 0:
            result.notes.append(f"{self.path}: an ALTO file without a Page; no text read")
        elif self.pages > 1:
            result.notes.append(
                f"{self.path} holds {self.pages} pages; only the first is read as this page"
            )
        self._outside_print_space()
        result.figures = [
            Region(0, b.x, b.y, b.w, b.h, caption=b.text)
            for b in result.blocks
            if b.role == "illustration"
        ]
        if self.languages:
            result.language = language_tag(self.languages.most_common(1)[0][0])
        if self.scale is not None:
            result.notes.extend(self.scale.notes(self.path))
        return result


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e9 else None


def _union(blocks: list[TextBlock]) -> tuple:
    boxes = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in blocks if b.w and b.h]
    if not boxes:
        return (0, 0, 0, 0)
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)
