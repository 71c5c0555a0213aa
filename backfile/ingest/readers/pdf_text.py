"""A born-digital PDF page's words (`pdf_words.page_words`) laid out in reading order.

`read_page` lays the words out as a reader reads them:

- **furniture** first: lines in the top or bottom margin band that are printed on other
  pages too (digits aside: `Federal Register / Vol. 85, No. 152 / … / 47699`), a lone page
  number, and rotated text (a production line printed sideways in a margin) become blocks
  of role `header` or `footer`; the folio among them is the page's printed label;
- **columns**: the gutters are the vertical strips of the page no word crosses, or hardly
  any (found from the words' boxes, so a page has as many columns as it prints); the
  columns read one after the other, left to right, each word in the column its centre is
  in;
- **headlines across columns** (`spanning`: larger than the text, set as one line across a
  gutter) are read whole where they stand: they cut the page into bands read top to
  bottom, and a gutter no headline crosses cuts it into parts read left to right
  (`read_region`);
- **blocks**: in a column, a gap between lines larger than the line spacing starts a block.

The layout is kept as arrays (`PdfPage`), not an object a line: a page has hundreds of
words, and the reader turns the arrays into its records in one go.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy

from backfile.conf import from_environment
from backfile.ingest.readers.pdf_words import PageWords

BAND = 0.08  # the top and bottom eighth… twelfth of a page where running heads are printed
FOLIO = re.compile(r"^(?:\d{1,6}|[ivxlcdm]{1,8}|[A-Z]\d{1,3}|[-–—]\s*\d{1,5}\s*[-–—])$", re.I)
DIGITS = re.compile(r"\d+")
WIDEST = 100_000.0  # points (35 m): past this a page's width is nonsense, read as one column
HEADLINE = 1.25  # a headline across columns is set at least this much larger than the text
FEW = 24  # words laid out in lines in plain Python (`few_lines_of`): numpy costs more


def native_module():
    """The lines and gutters in C (`_pdf_layout.c`, built by `pip install -e .`); None where
    it was not built or BACKFILE_PDF_WORDS=python asks for the Python path (the same lines)."""
    if from_environment("BACKFILE_PDF_WORDS") == "python":
        return None
    try:
        from backfile.ingest.readers import _pdf_layout
    except ImportError:
        return None
    return _pdf_layout


NATIVE = native_module()


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
    body_order = reading_order(words, numpy.flatnonzero(body), width)
    return PdfPage(*with_furniture(headers, body_order, footers), folio)


def with_furniture(headers: list, body: tuple, footers: list) -> tuple:
    """The running heads (each line a block of its own), the body (`reading_order`'s arrays)
    and the feet (each line a block too) as one page's `PdfPage` arrays."""
    order, starts, blocks = body
    pieces: list = []
    line_starts: list[int] = []
    block_starts: list[int] = []
    roles: list[str] = []

    def furniture(lines: list[list[int]], role: str) -> None:
        for line in lines:
            block_starts.append(len(line_starts))
            roles.append(role)
            line_starts.append(sum(map(len, pieces)))
            pieces.append(numpy.array(line, dtype=numpy.int64))

    furniture(headers, "header")
    placed = sum(map(len, pieces))  # the running heads' words
    block_starts.extend(len(line_starts) + block for block in blocks)
    roles.extend(["text"] * len(blocks))
    line_starts.extend(placed + start for start in starts)
    pieces.append(order)
    furniture(footers, "footer")
    return numpy.concatenate(pieces), line_starts, block_starts, roles


def line_text(words: PageWords, line: list[int]) -> str:
    texts = words.texts
    return " ".join([texts[index] for index in line])


def lines_of(words: PageWords, chosen, group=None) -> tuple[numpy.ndarray, list[int], list]:
    """These words (numbers in `words`) as lines, top to bottom, each left to right: a word
    joins the line whose middle is within half its height. The lines come as the words'
    numbers one line after another, where each line starts among them, and each line's
    group: words of different `group`s (a number each, the columns of a page) are never on
    one line, and the groups' lines come one group after another, in the groups' order.
    In C where `_pdf_layout` is built (`lines`), the same rules in one pass."""
    if not len(chosen):
        return numpy.zeros(0, dtype=numpy.int64), [], []
    if NATIVE is not None:
        order, starts, groups = NATIVE.lines(
            words.middle, words.x0, words.height, numpy.asarray(chosen, dtype=numpy.int64), group
        )
        return numpy.frombuffer(order, dtype=numpy.int64), starts, groups
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
    if len(chosen) < 20 or not 0 < width <= WIDEST:
        return []
    if NATIVE is not None:  # the same in C (`_pdf_layout.gutters`)
        chosen = numpy.asarray(chosen, dtype=numpy.int64)
        return NATIVE.gutters(words.height, words.x0, words.x1, chosen, float(width))
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
    """Body words in reading order: the words' numbers in order, where each line starts among
    them and where each block starts among the lines (`PdfPage`'s arrays). The page is read
    as regions (`read_region`): columns one after the other, each top to bottom, a word in
    the column its centre is in; a headline across columns is read whole, where it stands,
    and the columns under it after it."""
    if not len(body):
        return numpy.zeros(0, dtype=numpy.int64), [], []
    pieces: list[tuple] = []
    read_region(words, numpy.asarray(body, dtype=numpy.int64), width, [], pieces)
    orders, starts, groups = [], [], []
    placed = base = 0
    for order, piece_starts, piece_groups in pieces:
        orders.append(order)
        starts += [placed + start for start in piece_starts]
        # each region's columns are groups of their own: a block starts at each
        groups += [base + int(group) for group in piece_groups]
        base += max(piece_groups, default=0) + 1
        placed += len(order)
    order = numpy.concatenate(orders) if len(orders) > 1 else orders[0]
    return order, starts, block_starts(words, order, starts, groups)


def read_region(words: PageWords, chosen, width: float, outer: list, pieces: list) -> None:
    """The words `chosen` (a region of the page) in reading order, appended to `pieces` as
    `lines_of` gives them.

    - No gutters: one column.
    - Gutters, and no headline across them (`spanning`): the columns one after the other.
    - A gutter no headline crosses cuts the region from top to bottom: the parts are read
      left to right, each a region.
    - Every gutter crossed: the headlines across them cut the region into bands, read top
      to bottom, each headline whole before the band under it.

    `outer` is the enclosing region's gutters: a band too small to show its own gutters
    keeps those of them it leaves clear."""
    strips = gutters(words, chosen, width) or still_clear(words, chosen, outer)
    if not strips:
        pieces.append(lines_of(words, chosen))
        return
    headlines = spanning(words, chosen, strips)
    if not headlines:
        centres = (words.x0[chosen] + words.x1[chosen]) / 2
        cuts = numpy.array([(low + high) / 2 for low, high in strips])
        pieces.append(lines_of(words, chosen, numpy.searchsorted(cuts, centres, side="left")))
        return
    crossed = set().union(*(across for _, across in headlines))
    free = [strip for number, strip in enumerate(strips) if number not in crossed]
    if free:
        cuts = numpy.array([(low + high) / 2 for low, high in free])
        part = numpy.searchsorted(cuts, (words.x0[chosen] + words.x1[chosen]) / 2)
        for number in range(len(free) + 1):
            inside = chosen[part == number]
            if len(inside):
                read_region(words, inside, width, strips, pieces)
        return
    headlines.sort(key=lambda headline: float(words.middle[headline[0]].mean()))
    levels = numpy.array([float(words.middle[line].mean()) for line, _ in headlines])
    taken = numpy.zeros(len(words), dtype=bool)
    for line, _ in headlines:
        taken[line] = True
    rest = chosen[~taken[chosen]]
    band = numpy.searchsorted(levels, words.middle[rest])
    for number in range(len(headlines) + 1):
        inside = rest[band == number]
        if len(inside):
            read_region(words, inside, width, strips, pieces)
        if number < len(headlines):
            line = headlines[number][0]
            pieces.append((line, [0], [0]))


def spanning(words: PageWords, chosen, strips: list) -> list[tuple[numpy.ndarray, set]]:
    """Headlines across gutters: runs of words on one line set as a headline sets them (each
    gap under half the smaller word's height), with words on both sides of a gutter's
    middle, set larger than the region's text (`HEADLINE`). Each comes as its words (left
    to right) and the gutters it crosses. Lines of two columns that stand level are not
    joined: a gutter is wider than such a gap; nor is a table's row, set apart by wide gaps
    or in the text's size."""
    heights = words.height[chosen]
    if len(chosen) < 2 or heights.max() < HEADLINE * lower_median(heights):
        return []  # nothing set larger than the text: no headline (most pages)
    order, starts, _ = lines_of(words, chosen)
    x0, x1, height = words.x0[order], words.x1[order], words.height[order]
    line = numpy.zeros(len(order), dtype=numpy.int64)
    line[starts[1:]] = 1
    line = numpy.cumsum(line)
    gap = x0[1:] - x1[:-1]
    tight = (line[1:] == line[:-1]) & (gap <= 0.5 * numpy.minimum(height[1:], height[:-1]))
    # runs of tightly set words: a run starts where a word is not tight against the one before
    run = numpy.cumsum(numpy.concatenate(([True], ~tight)))
    centres = (x0 + x1) / 2
    found: dict[int, set] = {}
    for number, (low, high) in enumerate(strips):
        middle = (low + high) / 2
        across = numpy.flatnonzero(tight & (centres[:-1] < middle) & (centres[1:] > middle))
        for pair in across.tolist():
            found.setdefault(int(run[pair]), set()).add(number)
    if not found:
        return []
    # set larger than the region's text, as a headline is (a table's row is not)
    text_size = float(numpy.median(height))
    headlines = [(order[run == number], across) for number, across in found.items()]
    return [
        (line, across)
        for line, across in headlines
        if float(numpy.median(words.height[line])) >= HEADLINE * text_size
    ]


def lower_median(values: numpy.ndarray) -> float:
    """The lower of the middle values (the median, for an odd count), in linear time."""
    middle = (len(values) - 1) // 2
    return float(numpy.partition(values, middle)[middle])


def still_clear(words: PageWords, chosen, strips: list) -> list:
    """Of the enclosing region's gutters, those no word of these crosses, with words on both
    sides: the columns of a band too small for `gutters` to find them."""
    if not strips or len(chosen) < 2:
        return []
    x0, x1 = words.x0[chosen], words.x1[chosen]
    return [
        (low, high)
        for low, high in strips
        if not ((x0 < high) & (x1 > low)).any() and (x1 <= low).any() and (x0 >= high).any()
    ]


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


__all__ = ["PdfPage", "furniture_key", "furniture_keys", "read_page"]
