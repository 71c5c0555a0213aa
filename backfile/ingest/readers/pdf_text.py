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
import threading
from dataclasses import dataclass
from itertools import islice, repeat

import numpy
import pypdfium2.raw as pdfium

BAND = 0.08  # the top and bottom eighth… twelfth of a page where running heads are printed
BREAKS = {0x20, 0xA0, 0x09, 0x0A, 0x0D, 0x3000, 0xFFFE}
FOLIO = re.compile(r"^(?:\d{1,6}|[ivxlcdm]{1,8}|[A-Z]\d{1,3}|[-–—]\s*\d{1,5}\s*[-–—])$", re.I)
DIGITS = re.compile(r"\d+")
FEW = 24  # words laid out in lines in plain Python (`few_lines_of`): numpy costs more
TOKEN = re.compile("[^" + "".join(map(chr, sorted(BREAKS))) + "]+")
# what str.split() takes for a space and BREAKS do not (and a break it does not take): a
# page's text without any of them is split by str.split(), four times faster than TOKEN
OTHER_SPACES = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\ufffe]"
)


class PageWords:
    """A page's words: their texts, and their boxes in points from the page's top left as
    arrays (`x0`, `y0`, `x1`, `y1`, with each box's `middle` and `height`, and which words are
    `rotated`). The layout works on these arrays and the words' numbers in them: a page has
    hundreds of words, and an object each would cost more than reading them."""

    __slots__ = ("texts", "x0", "y0", "x1", "y1", "rotated", "middle", "height", "bands")

    def __init__(self, texts: list[str], boxes, rotated) -> None:
        self.texts = texts
        boxes = numpy.asarray(boxes, dtype=numpy.float64).reshape(len(texts), 4)
        self.x0, self.y0, self.x1, self.y1 = (boxes[:, k].copy() for k in range(4))
        self.rotated = numpy.asarray(rotated, dtype=bool).reshape(len(texts))
        self.middle = (self.y0 + self.y1) / 2
        self.height = self.y1 - self.y0
        self.bands: tuple[float, tuple] | None = None  # band_lines, kept for the page height

    @classmethod
    def of(cls, words: list[tuple]) -> PageWords:
        """From (text, x0, y0, x1, y1, rotated) tuples."""
        return cls([w[0] for w in words], [w[1:5] for w in words], [w[5] for w in words])

    def box(self, chosen) -> tuple:
        """The boxes of these words (their numbers) as arrays x0, y0, x1, y1."""
        return self.x0[chosen], self.y0[chosen], self.x1[chosen], self.y1[chosen]

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        return f"PageWords({len(self)} words: {' '.join(self.texts[:8])!r}…)"


@dataclass
class PdfPage:
    """A page laid out, as arrays rather than an object a line: the words' numbers in reading
    order (`order`, numbers in the page's `PageWords`), where each line starts among them
    (`line_starts`), where each block starts among the lines (`block_starts`) and each
    block's role (`text`, `header`, `footer`); and the folio printed on the page."""

    order: numpy.ndarray
    line_starts: list[int]
    block_starts: list[int]
    roles: list[str]
    folio: str = ""

    @property
    def blocks(self) -> list[tuple[str, list[list[int]]]]:
        """Each block as its role and its lines (lists of the words' numbers)."""
        lines = listed(self.order, self.line_starts)
        ends = self.block_starts[1:] + [len(lines)]
        return [
            (role, lines[start:end])
            for role, start, end in zip(self.roles, self.block_starts, ends, strict=True)
        ]


def unchecked(function, restype=ctypes.c_int):
    """A function of pypdfium2.raw called without its argument types' checks (it then takes
    a pointer from `ctypes.byref` and an int as they are): half the cost of a call, which
    counts at two calls a word."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = restype
    return bare


LOOSE_BOX = unchecked(pdfium.FPDFText_GetLooseCharBox)
UNICODE = unchecked(pdfium.FPDFText_GetUnicode, ctypes.c_uint)
GENERATED = unchecked(pdfium.FPDFText_IsGenerated)
ANGLE = unchecked(pdfium.FPDFText_GetCharAngle, ctypes.c_float)
FONT_SIZE = unchecked(pdfium.FPDFText_GetFontSize, ctypes.c_double)
BREAK_TABLE = numpy.zeros(0x10000, dtype=bool)  # which UTF-16 units end a word
BREAK_TABLE[sorted(BREAKS)] = True


class Slots(threading.local):
    """Room for the boxes of a page's characters, with a pointer to each box, kept from page
    to page (per thread: PDFium is used from one thread at a time)."""

    boxes = None
    pointers: list = []

    def get(self, count: int):
        if len(self.pointers) < count:
            size = max(count, 2 * len(self.pointers), 1024)
            self.boxes = (ctypes.c_float * (4 * size))()
            self.pointers = [ctypes.byref(self.boxes, 16 * k) for k in range(size)]
        return self.boxes, self.pointers


SLOTS = Slots()


def page_words(textpage, page_height: float) -> PageWords:
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
        return PageWords.of([])
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium.FPDFText_GetText(raw, 0, count, buffer)
    text = ctypes.string_at(buffer, 2 * max(0, written - 1)).decode("utf-16-le", "replace")
    if len(text) != count:  # characters outside the BMP: not one unit a character
        return PageWords.of(split_word(raw, range(count), page_height))
    if "\x02" in text or "\xad" in text:  # soft hyphens at lines' ends, as printed
        text = text.replace("\x02", "-").replace("\xad", "-")
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    inked = numpy.concatenate(([False], ~BREAK_TABLE[numpy.minimum(codes, 0xFFFF)], [False]))
    turns = numpy.flatnonzero(inked[1:] != inked[:-1])
    firsts, lasts = turns[0::2], turns[1::2] - 1  # each word's first and last character
    texts = text.split() if not OTHER_SPACES.search(text) else TOKEN.findall(text)
    if not texts:
        return PageWords.of([])
    # a footnote's number set small or apart against a word (`1Preliminary`, `alert,5`)?
    digit = (codes >= 0x30) & (codes <= 0x39)
    beyond = numpy.flatnonzero(codes > 0x7F)  # other digits (`²`, `٣`): each letter asked once
    if len(beyond):
        letters, where = numpy.unique(codes[beyond], return_inverse=True)
        digit[beyond] = numpy.array([chr(c).isdigit() for c in letters.tolist()])[where]
    digits = numpy.concatenate(([0], numpy.cumsum(digit)))
    all_digits = digits[lasts + 1] - digits[firsts] == lasts + 1 - firsts
    numbered = numpy.flatnonzero((digit[firsts] != digit[lasts]) & ~all_digits)
    # the boxes of each word's first and last characters, two calls a word
    number = len(texts)
    ends = numpy.empty(2 * number, dtype=numpy.int64)
    ends[0::2], ends[1::2] = firsts, lasts
    slots, pointers = SLOTS.get(2 * number)
    found = numpy.fromiter(
        map(LOOSE_BOX, repeat(raw), ends.tolist(), pointers), dtype=bool, count=2 * number
    )
    corners = numpy.frombuffer(slots, dtype=numpy.float32, count=8 * number)
    corners = corners.astype(numpy.float64).reshape(number, 8)
    left, top, right, bottom = (corners[:, k] for k in range(4))
    left2, top2, right2, bottom2 = (corners[:, k] for k in range(4, 8))
    height = numpy.where(top - bottom > 1.0, top - bottom, 1.0)
    longer = lasts != firsts
    split = ~found[0::2]
    if len(numbered):
        split[numbered] |= steps_at_numbers(raw, digit, firsts[numbered], lasts[numbered])
    askew = (
        longer
        & (  # the word's ends not on one line: turned on the page, or two words
            ~found[1::2]
            | (numpy.abs((top2 + bottom2) - (top + bottom)) > height * 0.6)
            | (left2 < left)
            | (right2 - right > height * 0.8 * (lasts - firsts + 1))
        )
    )
    # words turned on the page (a production line printed sideways in a margin): those of
    # one letter, and those whose ends are askew and both turned alike, in one size
    rotated = numpy.zeros(number, dtype=bool)
    asked = numpy.flatnonzero(~split & (askew | ~longer))
    if len(asked):
        first_turned = turned(raw, firsts[asked])
        alike = ~askew[asked] | (
            found[1::2][asked]
            & first_turned
            & turned(raw, lasts[asked])
            & same_size(raw, firsts[asked], lasts[asked])
        )
        rotated[asked] = first_turned & alike
        split[asked] |= ~alike
    boxes = numpy.stack(
        (
            left,
            page_height - numpy.maximum(top, top2),
            numpy.maximum(right, right2),
            page_height - numpy.minimum(bottom, bottom2),
        ),
        axis=1,
    )
    if not split.any():
        return PageWords(texts, boxes, rotated)
    # the words read character by character in the places of those they replace
    kept_texts: list[str] = []
    kept_boxes, kept_turns = [], []
    done = 0
    replaced = numpy.flatnonzero(split).tolist()
    pieces = [range(firsts[index], lasts[index] + 1) for index in replaced]
    for index, words in zip(replaced, split_words(raw, pieces, page_height), strict=True):
        kept_texts += texts[done:index]
        kept_texts += [word[0] for word in words]
        kept_boxes += [boxes[done:index], numpy.array([w[1:5] for w in words]).reshape(-1, 4)]
        kept_turns += [rotated[done:index], [w[5] for w in words]]
        done = index + 1
    kept_texts += texts[done:]
    kept_boxes.append(boxes[done:])
    kept_turns.append(rotated[done:])
    return PageWords(
        kept_texts, numpy.concatenate(kept_boxes), numpy.concatenate(kept_turns).astype(bool)
    )


def turned(raw, indices: numpy.ndarray) -> numpy.ndarray:
    """Whether these characters are turned on the page (set at an angle, not upright)."""
    angles = numpy.fromiter(map(ANGLE, repeat(raw), indices.tolist()), dtype=float)
    return (angles > 0.1) & (numpy.abs(angles - 2 * math.pi) > 0.1)


def same_size(raw, these: numpy.ndarray, those: numpy.ndarray) -> numpy.ndarray:
    """Whether these characters are set in the size of those (within 15%, as `split_words`)."""
    first = numpy.fromiter(map(FONT_SIZE, repeat(raw), these.tolist()), dtype=float)
    second = numpy.fromiter(map(FONT_SIZE, repeat(raw), those.tolist()), dtype=float)
    return numpy.abs(second - first) <= 0.15 * numpy.maximum(first, 1.0)


def steps_at_numbers(raw, digit, firsts, lasts) -> numpy.ndarray:
    """For words with a number at one end only (characters `firsts` to `lasts`; `digit`: which
    characters of the page are digits), whether the number is set apart from the rest as
    `split_words` would see it (a footnote's number: another size, raised or lowered, or a
    gap): the two letters where the digits end are compared, not the whole word (`85,` and
    `2019–NM–035–AD]` are not read letter by letter for nothing)."""
    other = numpy.flatnonzero(~digit)  # the characters that are not digits
    leading = digit[firsts]
    # the pair of letters at the number's end: (last digit, next) or (last non-digit, digit)
    after = other[numpy.searchsorted(other, firsts)]  # first non-digit after a leading number
    before = other[numpy.searchsorted(other, lasts, side="right") - 1]
    left = numpy.where(leading, after - 1, before)
    pairs = numpy.empty(2 * len(left), dtype=numpy.int64)
    pairs[0::2], pairs[1::2] = left, left + 1
    slots, pointers = SLOTS.get(len(pairs))
    found = numpy.fromiter(map(LOOSE_BOX, repeat(raw), pairs.tolist(), pointers), dtype=bool)
    box = numpy.frombuffer(slots, dtype=numpy.float32, count=4 * len(pairs)).astype(float)
    a, b = box.reshape(-1, 8)[:, :4], box.reshape(-1, 8)[:, 4:]  # left, top, right, bottom
    sizes = numpy.fromiter(map(FONT_SIZE, repeat(raw), pairs.tolist()), dtype=float)
    height = numpy.maximum(a[:, 1] - a[:, 3], 1.0)
    return (
        ~found[0::2]
        | ~found[1::2]
        | (numpy.abs(sizes[1::2] - sizes[0::2]) > 0.15 * numpy.maximum(sizes[0::2], 1.0))
        | (numpy.abs((b[:, 1] + b[:, 3]) - (a[:, 1] + a[:, 3])) > height * 0.6)
        | (b[:, 0] - a[:, 2] > height * 0.25)
        | (b[:, 0] < a[:, 0] - height * 0.5)
    )


def split_word(raw, indices: range, page_height: float) -> list[tuple]:
    """Words of these characters read one by one (`split_words`)."""
    return split_words(raw, [indices], page_height)[0]


def split_words(raw, pieces: list[range], page_height: float) -> list[list[tuple]]:
    """Words of these runs of characters read one by one, the words of each run: a word ends
    at a space, a line's end, a gap, a step up or down (a raised footnote number) or a turn,
    and at a run's end. Each word is a tuple (text, x0, y0, x1, y1, rotated). The characters'
    codes, boxes, angles and sizes are read for all the runs at once."""
    indices = [int(index) for piece in pieces for index in piece]
    slots, pointers = SLOTS.get(len(indices))
    found = list(map(LOOSE_BOX, repeat(raw), indices, pointers))
    boxes = numpy.frombuffer(slots, dtype=numpy.float32, count=4 * len(indices))
    boxes = boxes.astype(numpy.float64).reshape(-1, 4)
    lefts, rights = boxes[:, 0].tolist(), boxes[:, 2].tolist()
    tops, bottoms = (page_height - boxes[:, 1]).tolist(), (page_height - boxes[:, 3]).tolist()
    codes = list(map(UNICODE, repeat(raw), indices))
    angles = numpy.array(list(map(ANGLE, repeat(raw), indices)), dtype=numpy.float64)
    turns = ((angles > 0.1) & (numpy.abs(angles - 2 * math.pi) > 0.1)).tolist()
    sizes = list(map(FONT_SIZE, repeat(raw), indices))
    chars = zip(codes, found, lefts, tops, rights, bottoms, turns, sizes, indices, strict=True)
    result: list[list[tuple]] = []
    for piece in pieces:
        words: list[tuple] = []
        letters: list[str] = []
        x0 = y0 = x1 = y1 = 0.0
        rotated = False
        size = 0.0  # the font size of the word's letters
        for code, ok, left, top, right, bottom, turned, font_size, index in islice(
            chars, len(piece)
        ):
            if code in BREAKS or code < 0x21 and GENERATED(raw, index) == 1:
                if letters:
                    words.append(word_of(letters, x0, y0, x1, y1, rotated))
                    letters = []
                continue
            if not ok or right - left <= 0 and bottom - top <= 0:
                continue
            if letters:
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
                    words.append(word_of(letters, x0, y0, x1, y1, rotated))
                    letters = []
            if not letters:
                x0, y0, x1, y1, rotated, size = left, top, right, bottom, turned, font_size
            else:  # as min() and max() would, without their calls
                if left < x0:
                    x0 = left
                if top < y0:
                    y0 = top
                if right > x1:
                    x1 = right
                if bottom > y1:
                    y1 = bottom
            letters.append(chr(code) if code < 0x110000 else "\ufffd")
        if letters:
            words.append(word_of(letters, x0, y0, x1, y1, rotated))
        result.append([word for word in words if word[0].strip()])
    return result


def word_of(chars: list[str], x0, y0, x1, y1, rotated) -> tuple:
    text = "".join(chars).replace("\x02", "-").replace("\xad", "-")
    return (text, x0, y0, x1, y1, rotated)


def furniture_key(text: str) -> str:
    """A margin line as it repeats from page to page: its numbers (dates, folios) aside."""
    return DIGITS.sub("#", " ".join(text.split()).lower())


def band_lines(words: PageWords, page_height: float) -> tuple[list, list]:
    """The lines in the top and bottom bands of a page (not rotated text); found once a page
    (the margin lines are counted across pages, and then read as the page is laid out)."""
    if words.bands is not None and words.bands[0] == page_height:
        return words.bands[1]
    upright = ~words.rotated
    top = numpy.flatnonzero(upright & (words.y1 <= page_height * BAND))
    bottom = numpy.flatnonzero(upright & (words.y0 >= page_height * (1 - BAND)))
    found = listed(*lines_of(words, top)[:2]), listed(*lines_of(words, bottom)[:2])
    words.bands = (page_height, found)
    return found


def furniture_keys(words: PageWords, page_height: float) -> set[str]:
    """The keys of the lines a page prints in its margin bands, to count across pages."""
    top, bottom = band_lines(words, page_height)
    return {furniture_key(line_text(words, line)) for line in top + bottom}


def read_page(
    words: PageWords, width: float, height: float, repeated: set[str] = frozenset()
) -> PdfPage:
    """The page's words as blocks in reading order; `repeated`: the margin lines' keys that
    other pages of the document print too. Running heads come first, each line a block of
    its own, then the body, then the feet."""
    headers: list[list[int]] = []
    footers: list[list[int]] = []
    folio = ""
    top, bottom = band_lines(words, height)
    body = ~words.rotated
    texts = words.texts
    for lines, kept in ((top, headers), (bottom, footers)):
        for line in lines:
            text = line_text(words, line)
            ends = [texts[line[0]], texts[line[-1]]]
            number = next((end for end in ends[::-1] if FOLIO.match(end)), "")
            if furniture_key(text) in repeated or FOLIO.match(text.strip()):
                kept.append(line)
                body[line] = False
                if number and not folio:
                    folio = number.strip("-–— ")
    turned = numpy.flatnonzero(words.rotated).tolist()
    for line in lines_of_turned(words, turned):
        (headers if words.middle[line[0]] < height / 2 else footers).append(line)
    order, starts, blocks = reading_order(words, numpy.flatnonzero(body), width)
    head = [index for line in headers for index in line]
    foot = [index for line in footers for index in line]
    line_starts = numpy.cumsum([0] + [len(line) for line in headers[:-1]]).tolist()[: len(headers)]
    line_starts += [start + len(head) for start in starts]
    line_starts += [
        start + len(head) + len(order)
        for start in numpy.cumsum([0] + [len(line) for line in footers[:-1]]).tolist()
    ][: len(footers)]
    block_starts = list(range(len(headers)))
    block_starts += [start + len(headers) for start in blocks]
    first_foot = len(headers) + len(starts)
    block_starts += range(first_foot, first_foot + len(footers))
    roles = ["header"] * len(headers) + ["text"] * len(blocks) + ["footer"] * len(footers)
    order = numpy.concatenate(
        (numpy.array(head, dtype=numpy.int64), order, numpy.array(foot, dtype=numpy.int64))
    )
    return PdfPage(order, line_starts, block_starts, roles, folio)


def line_text(words: PageWords, line: list[int]) -> str:
    texts = words.texts
    return " ".join([texts[index] for index in line])


def lines_of(words: PageWords, chosen, group=None) -> tuple[numpy.ndarray, list[int], list]:
    """These words (numbers in `words`) as lines, top to bottom, each left to right: a word
    joins the line whose middle is within half its height. The lines come as the words'
    numbers one line after another, where each line starts among them, and each line's
    group: words of different `group`s (a number each, the columns of a page) are never on
    one line, and the groups' lines come one group after another, in the groups' order."""
    if not len(chosen):
        return numpy.zeros(0, dtype=numpy.int64), [], []
    if len(chosen) <= FEW and group is None:
        return few_lines_of(words, chosen)
    if group is None:
        group = numpy.zeros(len(chosen), dtype=numpy.int64)
    by = numpy.lexsort((words.x0[chosen], words.middle[chosen], group))
    order, group = chosen[by], group[by]
    middles, heights = words.middle[order], words.height[order]
    starts = line_starts(middles, heights, group)
    if starts is None:  # too near to call at once: word by word
        starts = line_starts_in_turn(middles.tolist(), heights.tolist(), group.tolist())
    groups = group[starts].tolist()
    # each line left to right (a stable sort: words at one x keep their order)
    line = numpy.zeros(len(order), dtype=numpy.int64)
    line[starts[1:]] = 1
    order = order[numpy.lexsort((words.x0[order], numpy.cumsum(line)))]
    return order, starts, groups


def few_lines_of(words: PageWords, chosen) -> tuple[numpy.ndarray, list[int], list]:
    """`lines_of` for a few words of one group (a margin band's), in plain Python: the same
    sorts (both stable) and the rule of `line_starts_in_turn`, without numpy's cost a call."""
    indices = chosen.tolist()
    middle, height, x0 = words.middle, words.height, words.x0
    keyed = sorted(zip(middle[chosen].tolist(), x0[chosen].tolist(), indices, strict=True))
    middles = [key[0] for key in keyed]
    heights = height[[key[2] for key in keyed]].tolist()
    starts = line_starts_in_turn(middles, heights, [0] * len(keyed))
    ends = starts[1:] + [len(keyed)]
    order = [
        key[2]
        for start, end in zip(starts, ends, strict=True)
        for key in sorted(keyed[start:end], key=lambda key: key[1])
    ]
    return numpy.array(order, dtype=numpy.int64), starts, [0] * len(starts)


def line_starts(middles, heights, group) -> list[int] | None:
    """Where lines start among words sorted by their middles (the rule of
    `line_starts_in_turn`), found for all words at once: lines are guessed from the gaps
    between the middles, and the rule checked for every word against the guess; None where
    the guess fails or a word is too near the limit for the check to be sure."""
    new = numpy.empty(len(middles), dtype=bool)
    new[0] = True
    other = group[1:] != group[:-1]
    new[1:] = other | (middles[1:] - middles[:-1] > numpy.maximum(heights[:-1], 1.0) * 0.3)
    line = numpy.cumsum(new) - 1
    firsts = numpy.flatnonzero(new)
    sums = numpy.cumsum(middles)
    begun = firsts[line[:-1]]  # for each word after the first: where the line before it began
    mean = (sums[:-1] - (sums - middles)[begun]) / (numpy.arange(1, len(middles)) - begun)
    sizes = numpy.maximum(heights, 1.0)
    lift = 2 * float(sizes.max()) + 2  # the line's tallest word so far, each line apart
    size = numpy.maximum.accumulate(sizes + line * lift)[:-1] - line[:-1] * lift
    slack = size * 0.5 - numpy.abs(middles[1:] - mean)
    checked = ~other
    if (
        ((slack >= 0) == new[1:])[checked].any()
        or (numpy.abs(slack[checked]) < 1e-6).any()
        or numpy.isnan(slack).any()
    ):
        return None
    return firsts.tolist()


def line_starts_in_turn(middles: list, heights: list, group: list) -> list[int]:
    """Where lines start among words sorted by their middles: a word joins the line whose
    mean middle is within half its tallest word's height (at least a point), if in its group."""
    starts: list[int] = []
    total = size = 0.0
    count = 0
    last = None
    for position, (middle, height, of) in enumerate(zip(middles, heights, group, strict=True)):
        if of == last and abs(middle - total / count) <= size * 0.5:
            total += middle
            count += 1
            if height > size:
                size = height
            continue
        starts.append(position)
        total, count, last = middle, 1, of
        size = height if height > 1.0 else 1.0
    return starts


def listed(order: numpy.ndarray, starts: list[int]) -> list[list[int]]:
    """Lines as lists of their words' numbers."""
    flat = order.tolist()
    if not starts:
        return []
    return [flat[a:b] for a, b in zip(starts, starts[1:] + [len(flat)], strict=True)]


def lines_of_turned(words: PageWords, turned: list[int]) -> list[list[int]]:
    """Rotated words (a sideways margin line) as lines: the words in the order the text layer
    gives them, a line as long as they stay in one strip."""
    lines: list[list[int]] = []
    x0, x1 = words.x0, words.x1
    for word in turned:
        if lines:
            first = lines[-1][0]
            if (
                abs((x0[word] + x1[word]) / 2 - (x0[first] + x1[first]) / 2)
                < (x1[word] - x0[word]) * 0.6
            ):
                lines[-1].append(word)
                continue
        lines.append([word])
    return lines


def gutters(words: PageWords, chosen, width: float) -> list[tuple[float, float]]:
    """The vertical strips between columns: at least most of a line's height wide, with print
    on both sides, and crossed by hardly any word (a headline across columns may cross)."""
    if len(chosen) < 20:
        return []
    heights = numpy.sort(words.height[chosen])  # their median, without numpy.median's cost
    middle = len(heights) // 2
    size = float(heights[middle] if len(heights) % 2 else heights[middle - 1 : middle + 1].mean())
    bins = max(1, math.ceil(width))
    x0, x1 = words.x0[chosen], words.x1[chosen]
    starts = numpy.minimum(numpy.maximum(x0.astype(int), 0), bins)
    ends = numpy.minimum(numpy.maximum(numpy.ceil(x1).astype(int), 0), bins)
    change = numpy.bincount(starts, minlength=bins + 1) - numpy.bincount(ends, minlength=bins + 1)
    cover = numpy.cumsum(change)[:bins]  # words over each point of the page's width
    inked = numpy.flatnonzero(cover)
    if not len(inked):
        return []
    left, right = int(inked[0]), int(inked[-1])
    clear = cover[left : right + 1] <= max(1, len(chosen) // 200)
    # runs of clear points: where `clear` turns on and off
    edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], clear.astype(int), [0]))))
    result = []
    for on, off in zip(edges[::2], edges[1::2], strict=True):
        low, high = float(left + on), float(left + off)
        if high - low < max(size * 0.8, 4.0):
            continue
        # a gutter only if both sides hold a fair share of the words (not an indent)
        leftward = int(numpy.count_nonzero(x1 <= low + 1))
        rightward = int(numpy.count_nonzero(x0 >= high - 1))
        if min(leftward, rightward) >= max(5, len(chosen) * 0.08):
            result.append((low, high))
    return result


def reading_order(words: PageWords, body, width: float) -> tuple[numpy.ndarray, list, list]:
    """Body words in reading order, column by column, each column top to bottom: the words'
    numbers in order, where each line starts among them and where each block starts among
    the lines (`PdfPage`'s arrays). A word is in the column its centre is in (the gutters let
    a word or two cross them); a headline across columns is read in the columns its words
    fall in."""
    if not len(body):
        return numpy.zeros(0, dtype=numpy.int64), [], []
    strips = gutters(words, body, width)
    if not strips:
        order, starts, groups = lines_of(words, body)
    else:
        cuts = numpy.array([(low + high) / 2 for low, high in strips])
        centres = (words.x0[body] + words.x1[body]) / 2
        column = numpy.searchsorted(cuts, centres, side="left")
        order, starts, groups = lines_of(words, body, column)
    return order, starts, block_starts(words, order, starts, groups)


def block_starts(words: PageWords, order: numpy.ndarray, starts: list[int], groups: list) -> list:
    """Where blocks start among lines: a gap between two lines wider than the lower line's
    height starts a block, and so does another group (a column)."""
    if not starts:
        return []
    tops = numpy.minimum.reduceat(words.y0[order], starts)
    sizes = numpy.maximum.reduceat(words.height[order], starts)
    bottoms = numpy.maximum.reduceat(words.y1[order], starts)
    group = numpy.asarray(groups)
    new = numpy.empty(len(starts), dtype=bool)
    new[0] = True
    new[1:] = (group[1:] != group[:-1]) | (tops[1:] - bottoms[:-1] > sizes[1:] * 0.9)
    return numpy.flatnonzero(new).tolist()


__all__ = [
    "PageWords",
    "PdfPage",
    "furniture_key",
    "furniture_keys",
    "page_words",
    "read_page",
]
