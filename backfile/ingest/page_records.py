"""Plain records of printed pages: what the print readers (PDF, page images, NDNP batches)
produce and the loader stores, beside `records.ArticleRecord`.

A page is one side of paper in an issue: its image (an asset, by the SHA-256 of its bytes),
its printed label (`7`, `iv`) and its text as laid out on it: blocks of lines of words, each
word with its box in the image's pixels and the confidence its OCR engine gave it. Where the
text came from is `text_source`: `pdf` (a born-digital text layer), `ocr` (Tesseract, run by
Backfile), `alto` or `hocr` (OCR that came with the source, used as it is).

Coordinates are always pixels of the page image, origin top left, as `x, y, w, h`. A page
without an image (a born-digital PDF page not rendered) uses the PDF's points scaled to the
`width` and `height` given.

The JSONL export writes a page as one line `{"record": "page", ...}` (see
docs/jsonl-format.md); words are compact arrays `[text, x, y, w, h, confidence]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backfile.ingest.records import AssetRecord, IssueRecord, Region, Source

TEXT_SOURCES = ("pdf", "ocr", "alto", "hocr", "transcription")
# What a block of a page is: the text read as the page's own (`text`), the furniture printed
# on every page (`header`, `footer`: running heads, folios, margin notes), or a picture
# (`illustration`: a photograph, a cartoon, a map, with any caption lines it holds).
BLOCK_ROLES = ("text", "header", "footer", "illustration")


@dataclass
class Word:
    """One word as printed, its box in the page image's pixels, and the OCR engine's confidence
    in it from 0 to 100 (None where the text is not OCR: a PDF's text layer)."""

    text: str
    x: int
    y: int
    w: int
    h: int
    confidence: float | None = None

    def __reduce__(self):
        return (Word, (self.text, self.x, self.y, self.w, self.h, self.confidence))

    def as_list(self) -> list:
        return [self.text, self.x, self.y, self.w, self.h, self.confidence]

    @classmethod
    def from_list(cls, data: list) -> Word:
        if not isinstance(data, list) or len(data) != 6:
            raise ValueError(f"a word is {data!r}, not [text, x, y, w, h, confidence]")
        text, x, y, w, h, confidence = data
        if not isinstance(text, str) or not all(isinstance(n, int) for n in (x, y, w, h)):
            raise ValueError(f"a word is {data!r}, not [text, x, y, w, h, confidence]")
        if confidence is not None and not isinstance(confidence, (int, float)):
            raise ValueError(f"a word's confidence is {confidence!r}, not a number")
        return cls(text, x, y, w, h, confidence)


class TextLine:
    """A line of words, in reading order. A word of empty text is the second half of a word
    hyphenated across lines (ALTO's `HypPart2`): the half before it carries the whole word, and
    this one only its box, so that both halves are highlighted and the text reads it once.

    A reader that lays out a whole page at once (the PDF reader) gives a line as a slice of
    the page's word columns (`of_columns`) rather than a Word each: a page holds hundreds of
    words, and the loader stores them as lists (`as_lists`) without ever needing the objects.
    `words` makes them on first use."""

    __slots__ = ("_words", "_columns", "_start", "_end")

    def __init__(self, words: list[Word] | None = None) -> None:
        self._words = [] if words is None else words
        self._columns: tuple | None = None
        self._start = self._end = 0

    @classmethod
    def of_columns(cls, columns: tuple, start: int, end: int) -> TextLine:
        """The words `start` to `end` of a page's columns `(texts, xs, ys, ws, hs)` (lists),
        without a confidence (a text layer's words)."""
        line = cls.__new__(cls)
        line._words, line._columns, line._start, line._end = None, columns, start, end
        return line

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            self._words = list(
                map(Word, *(column[self._start : self._end] for column in self._columns))
            )
            self._columns = None
        return self._words

    def as_lists(self) -> list[list]:
        """The words as `[text, x, y, w, h, confidence]` lists (the stored layout's form)."""
        if self._words is None:
            texts, xs, ys, ws, hs = (column[self._start : self._end] for column in self._columns)
            return [[*word, None] for word in zip(texts, xs, ys, ws, hs, strict=True)]
        return [word.as_list() for word in self._words]

    def scores(self) -> list[float]:
        """The words' confidences, where they have one (a text layer's words have none)."""
        if self._words is None:
            return []
        return [word.confidence for word in self._words if word.confidence is not None]

    @property
    def text(self) -> str:
        if self._words is None:
            return " ".join(word for word in self._columns[0][self._start : self._end] if word)
        return " ".join(word.text for word in self.words if word.text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TextLine):
            return NotImplemented
        return self.as_lists() == other.as_lists()

    __hash__ = None  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"TextLine({self.words!r})"

    def __reduce__(self):
        return (TextLine, (self.words,))


@dataclass
class TextBlock:
    """A block of lines on the page (a column's paragraph, a headline, a running head), in
    reading order. `zone` names the article (or other zone) the source assigns it to, as the
    source names it (a METS/ALTO article id); empty where the source zones nothing."""

    role: str = "text"
    x: int = 0
    y: int = 0
    w: int = 0
    h: int = 0
    lines: list[TextLine] = field(default_factory=list)
    zone: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class PageRecord:
    """One printed page of an issue.

    `sequence` orders the issue's pages from 1 and, with the publication and issue, identifies
    the page across re-ingests: a page read again with the same sequence updates that page.
    `image` is the SHA-256 of the page image, one of `assets` (readers give the bytes or a
    file there, like an article's pictures). `figures` are illustrations marked on the page
    (regions of this page: their `sequence` is this page's). `notes` are what the reader
    noticed about the page (no text layer, a box outside the image), for the report.
    """

    publication: str
    issue: IssueRecord
    sequence: int
    source: Source
    label: str = ""  # as printed: "7", "iv", "A3"; empty where no number is printed or known
    image: str = ""
    width: int | None = None
    height: int | None = None
    text_source: str = ""
    language: str = ""  # BCP 47; empty: not known
    blocks: list[TextBlock] = field(default_factory=list)
    figures: list[Region] = field(default_factory=list)
    assets: list[AssetRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The page's own text in reading order: lines by `\\n`, blocks by a blank line;
        running heads and footers left out."""
        return "\n\n".join(b.text for b in self.blocks if b.role == "text" and b.lines)

    @property
    def confidence(self) -> float | None:
        """The mean of the words' confidences, None where no word has one."""
        scores = [score for block in self.blocks for line in block.lines for score in line.scores()]
        return sum(scores) / len(scores) if scores else None


def blocks_to_layout(blocks: list[TextBlock]) -> list[dict]:
    """The blocks as `Page.layout` and the JSONL page line keep them, keys in sorted order:
    `{"box": [x, y, w, h], "lines": [[word, …], …], "role": "text", "zone": ""}`, each word
    `[text, x, y, w, h, confidence]`."""
    return [
        {
            "box": [block.x, block.y, block.w, block.h],
            "lines": [line.as_lists() for line in block.lines],
            "role": block.role,
            "zone": block.zone,
        }
        for block in blocks
    ]


def blocks_from_layout(layout: object) -> list[TextBlock]:
    """The blocks of a stored layout (or a JSONL page line's `blocks`); ValueError names what
    is not the shape `blocks_to_layout` gives."""
    if not isinstance(layout, list):
        raise ValueError(f"blocks is {layout!r}, not a list")
    blocks = []
    for number, data in enumerate(layout, start=1):
        if not isinstance(data, dict) or not {"box", "lines"} <= data.keys():
            raise ValueError(f"block {number} is not an object with a box and lines")
        box, lines = data["box"], data["lines"]
        if not (isinstance(box, list) and len(box) == 4):
            raise ValueError(f"block {number}'s box is {box!r}, not [x, y, w, h]")
        if not isinstance(lines, list) or not all(isinstance(line, list) for line in lines):
            raise ValueError(f"block {number}'s lines must be a list of lists of words")
        try:
            words = [TextLine([Word.from_list(word) for word in line]) for line in lines]
        except ValueError as error:
            raise ValueError(f"block {number}: {error}") from None
        blocks.append(
            TextBlock(data.get("role", "text"), *box, lines=words, zone=data.get("zone", ""))
        )
    return blocks
