"""A born-digital PDF page's text layer as words with boxes, in reading order (pypdfium2).

PDFium gives each character of a page's text layer with its box. `page_words` groups them
into words (a space, a line's end or a gap breaks a word). `read_page` then lays the words
out as a reader reads them:

- **furniture** first: lines in the top or bottom margin band that are printed on other
  pages too (digits aside: `Federal Register / Vol. 85, No. 152 / … / 47699`), a lone page
  number, and rotated text (a production line printed sideways in a margin) become blocks
  of role `header` or `footer`; the folio among them is the page's printed label;
- **columns**: the gutters are the vertical strips of the page no word crosses (found from
  the words' boxes, so a page has as many columns as it prints); words crossing a gutter
  (a headline across columns) split the page into bands, and each band reads column by
  column, left to right;
- **blocks**: in a column, a gap between lines larger than the line spacing starts a block.

Boxes are PDF points from the page's top left here; the reader scales them to its image.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium

BAND = 0.08  # the top and bottom eighth… twelfth of a page where running heads are printed
BREAKS = {0x20, 0xA0, 0x09, 0x0A, 0x0D, 0x3000, 0xFFFE}
FOLIO = re.compile(r"^(?:\d{1,6}|[ivxlcdm]{1,8}|[A-Z]\d{1,3}|[-–—]\s*\d{1,5}\s*[-–—])$", re.I)
DIGITS = re.compile(r"\d+")
TOKEN = re.compile("[^" + "".join(map(chr, sorted(BREAKS))) + "]+")


@dataclass
class PdfWord:
    text: str
    x0: float
    y0: float  # from the page's top
    x1: float
    y1: float
    rotated: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PdfBlock:
    role: str
    lines: list[list[PdfWord]] = field(default_factory=list)


@dataclass
class PdfPage:
    blocks: list[PdfBlock]
    folio: str = ""


def page_words(textpage, page_height: float) -> list[PdfWord]:
    """The words of a page's text layer, in the order PDFium gives its characters.

    The page's text comes in one call, split at the spaces and line ends PDFium gives (or
    makes: it puts a space where it sees a gap); a word's box is the union of its first and
    last characters' boxes. Only a word whose ends do not sit on one line (a footnote's
    raised number run into the word after it, text turned on the page) is read character
    by character (`split_word`). A page whose text is not one UTF-16 unit a character is
    read character by character throughout."""
    raw = textpage.raw
    count = pdfium.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium.FPDFText_GetText(raw, 0, count, buffer)
    text = ctypes.string_at(buffer, 2 * max(0, written - 1)).decode("utf-16-le", "replace")
    if len(text) != count:  # characters outside the BMP: not one unit a character
        return split_word(raw, range(count), page_height)
    words: list[PdfWord] = []
    box = pdfium.FS_RECTF()
    for match in TOKEN.finditer(text):
        first, last = match.start(), match.end() - 1
        if not pdfium.FPDFText_GetLooseCharBox(raw, first, box):
            words.extend(split_word(raw, range(first, last + 1), page_height))
            continue
        left, top, right, bottom = box.left, box.top, box.right, box.bottom
        if last != first:
            if not pdfium.FPDFText_GetLooseCharBox(raw, last, box):
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
            height = max(top - bottom, 1.0)
            if (
                abs((box.top + box.bottom) - (top + bottom)) / 2 > height * 0.3
                or box.left < left
                or box.right - right > height * 0.8 * (last - first + 1)
            ):
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
            left, right = min(left, box.left), max(right, box.right)
            top, bottom = max(top, box.top), min(bottom, box.bottom)
        if last == first:  # longer words turned on the page failed the tests above
            angle = pdfium.FPDFText_GetCharAngle(raw, first)
            if angle > 0.1 and abs(angle - 2 * math.pi) > 0.1:
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
        word = match.group().replace("\x02", "-").replace("\xad", "-")
        words.append(PdfWord(word, left, page_height - top, right, page_height - bottom))
    return words


def split_word(raw, indices: range, page_height: float) -> list[PdfWord]:
    """Words of these characters read one by one: a word ends at a space, a line's end, a
    gap, a step up or down (a raised footnote number) or a turn."""
    words: list[PdfWord] = []
    box = pdfium.FS_RECTF()
    chars: list[str] = []
    x0 = y0 = x1 = y1 = 0.0
    rotated = False

    def flush() -> None:
        if chars:
            text = "".join(chars).replace("\x02", "-").replace("\xad", "-")
            if text.strip():
                words.append(PdfWord(text, x0, y0, x1, y1, rotated))
            chars.clear()

    for index in indices:
        code = pdfium.FPDFText_GetUnicode(raw, index)
        if code in BREAKS or pdfium.FPDFText_IsGenerated(raw, index) == 1 and code < 0x21:
            flush()
            continue
        if not pdfium.FPDFText_GetLooseCharBox(raw, index, box):
            continue
        left, right = box.left, box.right
        top, bottom = page_height - box.top, page_height - box.bottom
        if right - left <= 0 and bottom - top <= 0:
            continue
        angle = pdfium.FPDFText_GetCharAngle(raw, index)
        turned = angle > 0.1 and abs(angle - 2 * math.pi) > 0.1
        if chars:
            height = max(y1 - y0, 1.0)
            if (
                turned != rotated
                or not turned
                and (
                    abs((top + bottom) / 2 - (y0 + y1) / 2) > height * 0.3
                    or left - x1 > height * 0.25
                    or left < x0 - height * 0.5
                )
            ):
                flush()
        if not chars:
            x0, y0, x1, y1, rotated = left, top, right, bottom, turned
        else:
            x0, y0, x1, y1 = min(x0, left), min(y0, top), max(x1, right), max(y1, bottom)
        try:
            chars.append(chr(code))
        except ValueError:
            chars.append("\ufffd")
    flush()
    return words


def furniture_key(text: str) -> str:
    """A margin line as it repeats from page to page: its numbers (dates, folios) aside."""
    return DIGITS.sub("#", " ".join(text.split()).lower())


def band_lines(words: list[PdfWord], page_height: float) -> tuple[list, list]:
    """The lines in the top and bottom bands of a page (not rotated text)."""
    top = [w for w in words if not w.rotated and w.y1 <= page_height * BAND]
    bottom = [w for w in words if not w.rotated and w.y0 >= page_height * (1 - BAND)]
    return lines_of(top), lines_of(bottom)


def read_page(
    words: list[PdfWord], width: float, height: float, repeated: set[str] = frozenset()
) -> PdfPage:
    """The page's words as blocks in reading order; `repeated`: the margin lines' keys that
    other pages of the document print too."""
    furniture: list[PdfBlock] = []
    folio = ""
    body = [w for w in words if not w.rotated]
    top, bottom = band_lines(words, height)
    taken: set[int] = set()
    for role, lines in (("header", top), ("footer", bottom)):
        for line in lines:
            text = line_text(line)
            ends = [line[0].text, line[-1].text]
            number = next((end for end in ends[::-1] if FOLIO.match(end)), "")
            if furniture_key(text) in repeated or FOLIO.match(text.strip()):
                furniture.append(PdfBlock(role, [line]))
                taken.update(id(w) for w in line)
                if number and not folio:
                    folio = number.strip("-–— ")
    turned = [w for w in words if w.rotated]
    for line in lines_of_turned(turned):
        role = "header" if line[0].middle < height / 2 else "footer"
        furniture.append(PdfBlock(role, [line]))
    body = [w for w in body if id(w) not in taken]
    blocks = [b for b in furniture if b.role == "header"]
    blocks += reading_order(body, width)
    blocks += [b for b in furniture if b.role == "footer"]
    return PdfPage(blocks, folio)


def line_text(line: list[PdfWord]) -> str:
    return " ".join(word.text for word in line)


def lines_of(words: list[PdfWord]) -> list[list[PdfWord]]:
    """Words as lines, top to bottom, each left to right: a word joins the line whose middle
    is within half its height."""
    lines: list[list[PdfWord]] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines:
            line = lines[-1]
            middle = sum(w.middle for w in line) / len(line)
            size = max(max(w.height for w in line), 1.0)
            if abs(word.middle - middle) <= size * 0.5:
                line.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def lines_of_turned(words: list[PdfWord]) -> list[list[PdfWord]]:
    """Rotated words (a sideways margin line) as lines: the words in the order the text layer
    gives them, a line as long as they stay in one strip."""
    lines: list[list[PdfWord]] = []
    for word in words:
        if (
            lines
            and abs((word.x0 + word.x1) / 2 - (lines[-1][0].x0 + lines[-1][0].x1) / 2)
            < (word.x1 - word.x0) * 0.6
        ):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def gutters(words: list[PdfWord], width: float) -> list[tuple[float, float]]:
    """The vertical strips between columns: at least a line's height wide, with print on
    both sides, and crossed by hardly any word (a headline across columns may cross)."""
    if len(words) < 20:
        return []
    size = sorted(w.height for w in words)[len(words) // 2]
    bins = max(1, math.ceil(width))
    cover = [0] * (bins + 1)
    for word in words:
        for x in range(max(0, int(word.x0)), min(bins, math.ceil(word.x1))):
            cover[x] += 1
    inked = [x for x in range(bins) if cover[x]]
    if not inked:
        return []
    left, right = inked[0], inked[-1]
    allowed = max(1, len(words) // 200)
    found, start = [], None
    for x in range(left, right + 1):
        if cover[x] <= allowed:
            start = x if start is None else start
        else:
            if start is not None and x - start >= max(size * 0.8, 4.0):
                found.append((float(start), float(x)))
            start = None
    # A strip is a gutter only if both sides hold a fair share of the words (not an indent).
    result = []
    for low, high in found:
        leftward = sum(1 for w in words if w.x1 <= low + 1)
        rightward = sum(1 for w in words if w.x0 >= high - 1)
        if min(leftward, rightward) >= max(5, len(words) * 0.08):
            result.append((low, high))
    return result


def reading_order(words: list[PdfWord], width: float) -> list[PdfBlock]:
    """Body words as text blocks, column by column within bands split by spanning lines."""
    if not words:
        return []
    strips = gutters(words, width)
    if not strips:
        return blocks_of(lines_of(words))
    cuts = [(low + high) / 2 for low, high in strips]

    def column(word: PdfWord) -> int | None:
        """The column the word is in; None when it crosses a gutter."""
        for index, cut in enumerate(cuts):
            if word.x0 < cut < word.x1:
                return None
            if word.x1 <= cut:
                return index
        return len(cuts)

    spanning = [w for w in words if column(w) is None]
    span_lines = lines_of(spanning)
    # a band ends where a spanning line begins
    edges = [min(w.y0 for w in line) for line in span_lines]
    blocks: list[PdfBlock] = []
    bands: list[list[PdfWord]] = [[] for _ in range(len(edges) + 1)]
    for word in words:
        if column(word) is None:
            continue
        band = sum(1 for edge in edges if word.middle >= edge)
        bands[band].append(word)
    for index, band in enumerate(bands):
        if index > 0:
            blocks.extend(blocks_of([span_lines[index - 1]]))
        by_column = Counter()
        columns: dict[int, list[PdfWord]] = {}
        for word in band:
            number = column(word)
            columns.setdefault(number, []).append(word)
            by_column[number] += 1
        for number in sorted(columns):
            blocks.extend(blocks_of(lines_of(columns[number])))
    return blocks


def blocks_of(lines: list[list[PdfWord]]) -> list[PdfBlock]:
    """Lines as blocks: a gap between two lines wider than a line's height starts a block."""
    blocks: list[PdfBlock] = []
    previous = None
    for line in lines:
        top = min(w.y0 for w in line)
        size = max(w.height for w in line)
        if previous is None or top - previous > size * 0.9:
            blocks.append(PdfBlock("text"))
        blocks[-1].lines.append(line)
        previous = max(w.y1 for w in line)
    return blocks


__all__ = ["PdfBlock", "PdfPage", "PdfWord", "furniture_key", "page_words", "read_page"]
