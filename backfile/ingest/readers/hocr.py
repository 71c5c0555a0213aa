"""hOCR: OCR as HTML (Tesseract's `hocr` output, OCRopus, Kraken, Transkribus exports).

`read_hocr(data, path, image_size)` reads the first `ocr_page` of an hOCR file into an
`OcrPage` (`ocr_files`), like `alto.read_alto`:

- a block per paragraph (`ocr_par`), or per content area (`ocr_carea`, `ocrx_block`)
  where the file has no paragraphs; its lines (`ocr_line`, `ocrx_line`, `ocr_header`,
  `ocr_caption`, `ocr_textfloat`) and words (`ocrx_word`), in the file's order;
- boxes from each element's `bbox` (pixels of the image the OCR read), scaled to
  `image_size` where the page's own `bbox` is another size;
- confidence from `x_wconf` (0–100);
- pictures (`ocr_photo`, `ocr_image`, `ocr_graphic`) as figures and blocks of role
  `illustration`; separators left out;
- the language from the page's, area's or paragraph's `lang`; the printed page number
  from the page's `x_pagelabel` (rare) where given.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from backfile.ingest.page_records import TextBlock, TextLine, Word
from backfile.ingest.readers.ocr_files import (
    OcrFileError,
    OcrPage,
    Scale,
    confidence_of,
    language_tag,
    scale_for,
)
from backfile.ingest.records import Region

LINE_CLASSES = {"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
BLOCK_CLASSES = ("ocr_par", "ocr_carea", "ocrx_block")
PICTURE_CLASSES = {"ocr_photo", "ocr_image", "ocr_graphic"}
WORD_CLASSES = {"ocrx_word", "ocr_word"}


def read_hocr(data: bytes, path: str, image_size: tuple[int, int] | None = None) -> OcrPage:
    """One hOCR file's (first) page, its boxes in the pixels of an image of `image_size`
    where given. OcrFileError where the file has no `ocr_page`."""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise OcrFileError(f"{path}: not readable as HTML ({error})") from error
    if root is None:
        raise OcrFileError(f"{path}: an empty file")
    pages = [e for e in root.iter() if "ocr_page" in _classes(e)]
    if not pages:
        raise OcrFileError(f"{path}: an HTML file without an ocr_page: not hOCR")
    page_element = pages[0]
    properties = _properties(page_element)
    result = OcrPage(text_source="hocr")
    page_box = _bbox(properties)
    page_size = (page_box[2], page_box[3]) if page_box and page_box[2] > 0 else None
    scale, notes = scale_for(path, 1.0, page_size, image_size, "pixels")
    result.notes.extend(notes)
    if len(pages) > 1:
        result.notes.append(f"{path} holds {len(pages)} pages; only the first is read")
    result.width, result.height = scale.width, scale.height
    result.label = properties.get("x_pagelabel", "").strip('"')[:40]
    languages: Counter[str] = Counter()
    blocks: dict[int, TextBlock] = {}  # id(element) of a block's element → its block
    for element in page_element.iter():
        if not isinstance(element.tag, str):
            continue
        classes = _classes(element)
        if classes & PICTURE_CLASSES:
            _picture(element, scale, result)
        elif classes & LINE_CLASSES:
            owner = _block_element(element, page_element)
            block = blocks.get(id(owner))
            if block is None:
                block = _new_block(owner, scale, result)
                blocks[id(owner)] = block
                if language := _language(element, page_element):
                    languages[language] += 1
            line = _line(element, scale)
            if line.words:
                block.lines.append(line)
    result.blocks = [b for b in result.blocks if b.lines or b.role == "illustration"]
    if languages:
        result.language = language_tag(languages.most_common(1)[0][0])
    result.notes.extend(scale.notes(path))
    return result


def _new_block(element, scale: Scale, result: OcrPage) -> TextBlock:
    box = _bbox(_properties(element))
    x, y, w, h = scale.box(*box, count=False) if box else (0, 0, 0, 0)
    block = TextBlock(role="text", x=x, y=y, w=w, h=h)
    result.blocks.append(block)
    if element.get("id"):
        result.ids[element.get("id")] = block
    return block


def _line(element, scale: Scale) -> TextLine:
    line = TextLine()
    words = [e for e in element.iter() if isinstance(e.tag, str) and _classes(e) & WORD_CLASSES]
    if not words:  # a line without word elements: its text as one word with the line's box
        words = [element]
    for word_element in words:
        text = " ".join("".join(word_element.itertext()).split())
        if not text:
            continue
        properties = _properties(word_element)
        box = _bbox(properties)
        x, y, w, h = scale.box(*box) if box else (0, 0, 0, 0)
        line.words.append(Word(text, x, y, w, h, confidence_of(properties.get("x_wconf"))))
    return line


def _picture(element, scale: Scale, result: OcrPage) -> None:
    box = _bbox(_properties(element))
    if not box:
        return
    x, y, w, h = scale.box(*box, count=False)
    if w and h:
        result.blocks.append(TextBlock(role="illustration", x=x, y=y, w=w, h=h))
        result.figures.append(Region(0, x, y, w, h))


def _block_element(line, page):
    """The paragraph (else content area) a line belongs to; the page where there is none."""
    ancestors = list(line.iterancestors())
    for wanted in BLOCK_CLASSES:
        for ancestor in ancestors:
            if ancestor is page:
                break
            if wanted in _classes(ancestor):
                return ancestor
    return page


def _language(element, page) -> str:
    for candidate in (element, *element.iterancestors()):
        if candidate.get("lang") or candidate.get("{http://www.w3.org/XML/1998/namespace}lang"):
            return candidate.get("lang") or candidate.get(
                "{http://www.w3.org/XML/1998/namespace}lang"
            )
        if candidate is page:
            break
    return ""


def _classes(element) -> set[str]:
    value = element.get("class")
    return set(value.split()) if value else set()


def _properties(element) -> dict[str, str]:
    """hOCR's `title` properties: `bbox 10 20 30 40; x_wconf 93` → {bbox: "10 20 30 40", …}."""
    properties = {}
    for part in (element.get("title") or "").split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            properties[name] = value.strip()
    return properties


def _bbox(properties: dict[str, str]) -> tuple[float, float, float, float] | None:
    """(x, y, w, h) from `bbox x0 y0 x1 y1`; None where missing or malformed."""
    try:
        x0, y0, x1, y1 = (float(n) for n in properties.get("bbox", "").split())
    except ValueError:
        return None
    if x1 < x0 or y1 < y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)
