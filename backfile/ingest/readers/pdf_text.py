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

import bisect
import ctypes
import math
import re
from dataclasses import dataclass, field

import numpy
import pypdfium2.raw as pdfium

BAND = 0.08  # the top and bottom eighth… twelfth of a page where running heads are printed
BREAKS = {0x20, 0xA0, 0x09, 0x0A, 0x0D, 0x3000, 0xFFFE}
FOLIO = re.compile(r"^(?:\d{1,6}|[ivxlcdm]{1,8}|[A-Z]\d{1,3}|[-–—]\s*\d{1,5}\s*[-–—])$", re.I)
DIGITS = re.compile(r"\d+")
TOKEN = re.compile("[^" + "".join(map(chr, sorted(BREAKS))) + "]+")


class PdfWord:
    """A word and its box in points from the page's top left (a plain class with slots: a
    page has hundreds, made and compared many times)."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "rotated", "middle", "height")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float, rotated=False):
        self.text, self.x0, self.y0, self.x1, self.y1 = text, x0, y0, x1, y1
        self.rotated = rotated
        self.middle = (y0 + y1) / 2
        self.height = y1 - y0

    def __repr__(self) -> str:
        return f"PdfWord({self.text!r}, {self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


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
    if "\x02" in text or "\xad" in text:  # soft hyphens at lines' ends, as printed
        text = text.replace("\x02", "-").replace("\xad", "-")
    words: list[PdfWord] = []
    box = pdfium.FS_RECTF()
    corners = (ctypes.c_float * 4).from_buffer(box)  # left, top, right, bottom
    loose_box = pdfium.FPDFText_GetLooseCharBox
    for match in TOKEN.finditer(text):
        first, last = match.span()
        last -= 1
        word = match.group()
        if word[0].isdigit() != word[-1].isdigit() and not word.isdigit():
            # a footnote's number set small against a word (`1Preliminary`, `alert,5`)?
            words.extend(split_word(raw, range(first, last + 1), page_height))
            continue
        if not loose_box(raw, first, box):
            words.extend(split_word(raw, range(first, last + 1), page_height))
            continue
        left, top, right, bottom = corners[:]
        if last != first:
            if not loose_box(raw, last, box):
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
            left2, top2, right2, bottom2 = corners[:]
            height = top - bottom if top - bottom > 1.0 else 1.0
            if (
                abs((top2 + bottom2) - (top + bottom)) > height * 0.6
                or left2 < left
                or right2 - right > height * 0.8 * (last - first + 1)
            ):
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
            if right2 > right:
                right = right2
            if top2 > top:
                top = top2
            if bottom2 < bottom:
                bottom = bottom2
        else:  # a word of one letter turned on the page (longer ones failed the tests above)
            angle = pdfium.FPDFText_GetCharAngle(raw, first)
            if angle > 0.1 and abs(angle - 2 * math.pi) > 0.1:
                words.extend(split_word(raw, range(first, last + 1), page_height))
                continue
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
    size = 0.0  # the font size of the word's letters

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
        font_size = pdfium.FPDFText_GetFontSize(raw, index)
        if chars:
            height = max(y1 - y0, 1.0)
            if (
                turned != rotated
                or abs(font_size - size) > 0.15 * max(size, 1.0)
                or not turned
                and (
                    abs((top + bottom) / 2 - (y0 + y1) / 2) > height * 0.3
                    or left - x1 > height * 0.25
                    or left < x0 - height * 0.5
                )
            ):
                flush()
        if not chars:
            x0, y0, x1, y1, rotated, size = left, top, right, bottom, turned, font_size
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


def furniture_keys(words: list[PdfWord], page_height: float) -> set[str]:
    """The keys of the lines a page prints in its margin bands, to count across pages."""
    top, bottom = band_lines(words, page_height)
    return {furniture_key(line_text(line)) for line in top + bottom}


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
    line: list[PdfWord] = []
    total = size = 0.0
    for word in sorted(words, key=by_middle):
        middle = word.middle
        if line and abs(middle - total / len(line)) <= size * 0.5:
            line.append(word)
            total += middle
            if word.height > size:
                size = word.height
            continue
        line = [word]
        lines.append(line)
        total, size = middle, (word.height if word.height > 1.0 else 1.0)
    for line in lines:
        line.sort(key=by_x)
    return lines


def by_middle(word: PdfWord) -> tuple[float, float]:
    return (word.middle, word.x0)


def by_x(word: PdfWord) -> float:
    return word.x0


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
    """The vertical strips between columns: at least most of a line's height wide, with print
    on both sides, and crossed by hardly any word (a headline across columns may cross)."""
    if len(words) < 20:
        return []
    size = float(numpy.median([w.height for w in words]))
    bins = max(1, math.ceil(width))
    starts = numpy.clip(numpy.array([w.x0 for w in words]).astype(int), 0, bins)
    ends = numpy.clip(numpy.ceil([w.x1 for w in words]).astype(int), 0, bins)
    change = numpy.zeros(bins + 1, dtype=numpy.int64)
    numpy.add.at(change, starts, 1)
    numpy.add.at(change, ends, -1)
    cover = numpy.cumsum(change)[:bins]  # words over each point of the page's width
    inked = numpy.flatnonzero(cover)
    if not len(inked):
        return []
    left, right = int(inked[0]), int(inked[-1])
    clear = cover[left : right + 1] <= max(1, len(words) // 200)
    # runs of clear points: where `clear` turns on and off
    edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], clear.astype(int), [0]))))
    xs = numpy.array(sorted((w.x0, w.x1) for w in words))
    result = []
    for on, off in zip(edges[::2], edges[1::2], strict=True):
        low, high = float(left + on), float(left + off)
        if high - low < max(size * 0.8, 4.0):
            continue
        # a gutter only if both sides hold a fair share of the words (not an indent)
        leftward = int(numpy.count_nonzero(xs[:, 1] <= low + 1))
        rightward = int(numpy.count_nonzero(xs[:, 0] >= high - 1))
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
    placed: list[tuple[int, PdfWord]] = []  # (column, word)
    spanning: list[PdfWord] = []  # words across a gutter
    for word in words:
        index = bisect.bisect_left(cuts, word.x1)
        if index < len(cuts) and word.x0 < cuts[index] < word.x1:
            spanning.append(word)
        else:
            placed.append((index, word))
    span_lines = lines_of(spanning)
    # a band ends where a spanning line begins
    edges = [min(w.y0 for w in line) for line in span_lines]
    bands: list[dict[int, list[PdfWord]]] = [{} for _ in range(len(edges) + 1)]
    for number, word in placed:
        band = bisect.bisect_right(edges, word.middle) if edges else 0
        column = bands[band].get(number)
        if column is None:
            bands[band][number] = [word]
        else:
            column.append(word)
    blocks: list[PdfBlock] = []
    for index, columns in enumerate(bands):
        if index > 0:
            blocks.extend(blocks_of([span_lines[index - 1]]))
        for number in sorted(columns):
            blocks.extend(blocks_of(lines_of(columns[number])))
    return blocks


def blocks_of(lines: list[list[PdfWord]]) -> list[PdfBlock]:
    """Lines as blocks: a gap between two lines wider than a line's height starts a block."""
    blocks: list[PdfBlock] = []
    previous = None
    for line in lines:
        top, size, bottom = line[0].y0, line[0].height, line[0].y1
        for word in line:
            if word.y0 < top:
                top = word.y0
            if word.height > size:
                size = word.height
            if word.y1 > bottom:
                bottom = word.y1
        if previous is None or top - previous > size * 0.9:
            blocks.append(PdfBlock("text"))
        blocks[-1].lines.append(line)
        previous = bottom
    return blocks


__all__ = [
    "PdfBlock",
    "PdfPage",
    "PdfWord",
    "furniture_key",
    "furniture_keys",
    "page_words",
    "read_page",
]
