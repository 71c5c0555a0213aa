"""A born-digital PDF page's text layer as words with boxes (pypdfium2).

PDFium gives each character of a page's text layer with its box. `page_words` groups them
into words: a space, a line's end or a gap breaks a word, and so does a footnote's number
set apart from the word it touches. A word whose ends lie on one line takes the box of its
first and last characters (two calls to PDFium a word); only words that are not so simple
(a raised number run into a word) are read letter by letter. Words turned on the page (a
production line printed sideways in a margin) are marked `rotated`.

Boxes are PDF points from the page's top left; `pdf_text` lays the words out.

Where `_pdf_words` is built (a C extension, `setup.py`), it runs the word rules in C
(`_pdf_layout` does the same for `pdf_text`'s lines and gutters); the
Python path below gives the same words, to the bit (`tests/ingest/test_pdf_words_native.py`),
and runs where no C compiler was at hand or `BACKFILE_PDF_WORDS=python`.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from itertools import islice, repeat

import numpy
import pypdfium2.raw as pdfium

from backfile.conf import from_environment

BREAKS = {0x20, 0xA0, 0x09, 0x0A, 0x0D, 0x3000, 0xFFFE}
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


def as_shown(
    words: PageWords, rotation: int, width: float, height: float, left: float = 0.0
) -> PageWords:
    """The words moved onto the page as it is shown and rendered: its crop box (`width` ×
    `height` points, from `left` across; PDFium gives boxes on the whole sheet) turned by
    its `/Rotate` (degrees clockwise). Their turn goes with them: text drawn sideways on a
    page shown turned (a scan's hidden text, a landscape table) reads upright, and upright
    text sideways."""
    if not rotation and not left:
        return words
    x0, y0, x1, y1 = words.x0 - left, words.y0, words.x1 - left, words.y1
    if rotation == 90:
        boxes = (height - y1, x0, height - y0, x1)
    elif rotation == 180:
        boxes = (width - x1, height - y1, width - x0, height - y0)
    elif rotation == 270:
        boxes = (y0, width - x1, y1, width - x0)
    else:
        return PageWords(words.texts, numpy.stack((x0, y0, x1, y1), axis=1), words.rotated)
    return PageWords(words.texts, numpy.stack(boxes, axis=1), ~words.rotated)


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


def native_module():
    """The words in C (`_pdf_words.c`, built by `pip install -e .`), set to call this PDFium;
    None where it was not built (no compiler) or BACKFILE_PDF_WORDS=python asks for the
    Python path, which gives the same words."""
    if from_environment("BACKFILE_PDF_WORDS") == "python":
        return None
    try:
        from backfile.ingest.readers import _pdf_words
    except ImportError:
        return None
    _pdf_words.configure(
        *(
            ctypes.cast(function, ctypes.c_void_p).value
            for function in (
                pdfium.FPDFText_GetLooseCharBox,
                pdfium.FPDFText_GetCharAngle,
                pdfium.FPDFText_GetFontSize,
            )
        )
    )
    return _pdf_words


NATIVE = native_module()


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
    if NATIVE is not None:
        address = ctypes.cast(raw, ctypes.c_void_p).value
        texts, boxes, rotated, split = NATIVE.page_words(address, text, page_height)
        if not texts:
            return PageWords.of([])
        boxes = numpy.frombuffer(boxes, dtype=numpy.float64).reshape(len(texts), 4)
        rotated = numpy.frombuffer(rotated, dtype=bool)
    else:
        found = python_words(raw, text, page_height)
        if found is None:
            return PageWords.of([])
        texts, boxes, rotated, split = found
    if not split:
        return PageWords(texts, boxes, rotated)
    # the words read character by character in the places of those they replace
    kept_texts: list[str] = []
    kept_boxes, kept_turns = [], []
    done = 0
    pieces = [range(first, last + 1) for _, first, last in split]
    for (index, _, _), words in zip(split, split_words(raw, pieces, page_height), strict=True):
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


def python_words(raw, text: str, page_height: float) -> tuple | None:
    """`page_words`' fast path in Python, where the native module is not built: the words'
    texts, their boxes (an array, four a word), which are turned, and which to read character
    by character as (word, first, last). None for a page without words."""
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    inked = numpy.concatenate(([False], ~BREAK_TABLE[numpy.minimum(codes, 0xFFFF)], [False]))
    turns = numpy.flatnonzero(inked[1:] != inked[:-1])
    firsts, lasts = turns[0::2], turns[1::2] - 1  # each word's first and last character
    texts = text.split() if not OTHER_SPACES.search(text) else TOKEN.findall(text)
    if not texts:
        return None
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
    split_at = numpy.flatnonzero(split).tolist()
    return texts, boxes, rotated, [(i, int(firsts[i]), int(lasts[i])) for i in split_at]


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


SURROGATES = re.compile("[\ud800-\udfff]")


def word_of(chars: list[str], x0, y0, x1, y1, rotated) -> tuple:
    """A word of these letters. PDFium gives a letter outside the BMP (an emoji, a
    mathematical letter) as two UTF-16 halves: they are joined into the letter, and a half
    without its other half becomes U+FFFD (a lone half cannot be stored or encoded)."""
    text = "".join(chars).replace("\x02", "-").replace("\xad", "-")
    if SURROGATES.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return (text, x0, y0, x1, y1, rotated)


__all__ = ["PageWords", "page_words"]
