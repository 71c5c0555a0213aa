"""Finding a reader's words on an issue's pages: the hits the page view draws on the image and
marks in the text, the IIIF Content Search answers with, and the issue's "search within" lists.

A query is read by the site's own search (`backfile.search.query.parse`), and a page's words
go through the same analysis as the index (`backfile.search.text.analyse_word`: case and
accents folded, apostrophes dropped, stemmed in English and Spanish), so the page a search
result links to highlights exactly the words that search matched. A word of the query is a hit
wherever it stands; a phrase (`"tram strike"`) only where its words follow one another, across
a line's end or a block's. Words the query excludes (`-depot`) are never hits.

An issue's pages are looked over by their plain text first (`pages_to_read`: could any word
of it begin a hit? each word's verdict kept for the whole issue), and only the layouts of
those that could are read: on 200 pages of 3,000 words a search within takes about half a
second, a word on none of them a third. (A word an editor corrected into the text but not
into the layout is found by that look, and a word corrected out of the text is passed over.)

A page's words are read from `Page.layout` (blocks of lines of words, each word
`[text, x, y, w, h, confidence]`, see `backfile.ingest.page_records`) by `page_words`, which
skips anything it cannot read, so odd stored data makes fewer boxes, never an error. Boxes
are clipped to the page image; a box wholly outside it is no box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from backfile.search.query import Match, Near, Query, parse
from backfile.search.query_syntax import And, Or
from backfile.search.text import QUERY_LANGUAGES, WORD, analyse_word

SNIPPET_BEFORE = 8  # words before a hit in a listed snippet
SNIPPET_AFTER = 10


@dataclass(frozen=True)
class Run:
    """Index terms that must follow one another; the last may be a prefix (`organi*`)."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass
class PlacedWord:
    """A word as printed on the page: its text and its box in the image's pixels (None where
    the layout gave none, or it lies outside the image)."""

    text: str
    box: tuple[int, int, int, int] | None = None
    line_end: bool = False  # the last word of its line (the text view breaks there)
    block_end: bool = False


def runs_of(query: Query) -> list[Run]:
    """What a page must hold for a hit: each alternative of each unfielded match."""
    found: list[Run] = []

    def walk(node) -> None:
        if isinstance(node, Match) and node.field is None:
            found.extend(Run(alt, node.prefix) for alt in node.alternatives if alt)
        elif isinstance(node, Near) and node.field is None:
            found.extend(Run(group) for group in node.groups if group)
        elif isinstance(node, (And, Or)):
            for child in node.children:
                walk(child)

    walk(query.include)
    return list(dict.fromkeys(found))


class PageQuery:
    """A reader's query, ready to find its hits in any sequence of written words."""

    def __init__(self, text: str):
        self.text = (text or "").strip()
        self.query = parse(self.text) if self.text else None
        self.runs = runs_of(self.query) if self.query else []
        self._verdicts: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.runs)

    def may_hold(self, written: Iterable[str]) -> bool:
        """Whether any of these words could begin a hit: a cheap look before `hits`, each
        word's verdict kept, so an issue's pages cost a lookup a word after the first."""
        verdicts = self._verdicts
        for word in set(written):
            verdict = verdicts.get(word)
            if verdict is None:
                verdict = verdicts[word] = self._begins_a_run(word)
            if verdict:
                return True
        return False

    def _begins_a_run(self, word: str) -> bool:
        for language in QUERY_LANGUAGES:
            terms, whole = analyse_word(word, language)
            for run in self.runs:
                first = run.terms[0]
                if run.prefix and len(run.terms) == 1:
                    if any(term.startswith(first) for term in terms):
                        return True
                elif first in terms or first == whole:
                    return True
        return False

    def pages_to_read(self, pages: Iterable[tuple[int, str]]) -> list[int]:
        """Of `pages` (id, text), those whose text may hold a hit (or that have no text to
        tell by): only their layouts need reading."""
        return [pk for pk, text in pages if not text.strip() or self.may_hold(_words_of(text))]

    def hits(self, written: list[str]) -> list[tuple[int, ...]]:
        """The hits among `written` (words in reading order): each the indices of the words it
        covers, in order of their first word."""
        if not self.runs or not self.may_hold(written):
            return []
        found: set[tuple[int, ...]] = set()
        distinct = set(written)
        for language in QUERY_LANGUAGES:
            analysed = {word: analyse_word(word, language) for word in distinct}
            vocabulary = {t for terms, whole in analysed.values() for t in (*terms, whole) if t}
            runs = [run for run in self.runs if _may_occur(run, vocabulary)]
            if not runs:  # most pages of most searches: no word of the query at all
                continue
            stream = [(t, i) for i, word in enumerate(written) for t in analysed[word][0]]
            joined = {i: analysed[word][1] for i, word in enumerate(written) if analysed[word][1]}
            where: dict[str, list[int]] = {}  # term → its places in the stream
            for place, (term, _index) in enumerate(stream):
                where.setdefault(term, []).append(place)
            for run in runs:
                found.update(_find_run(run, stream, where, joined))
        return sorted(found)


def _may_occur(run: Run, vocabulary: set[str]) -> bool:
    """Whether every term of the run is among a page's terms (its last as a prefix)."""
    *whole, last = run.terms
    if not all(term in vocabulary for term in whole):
        return False
    if run.prefix:
        return any(term.startswith(last) for term in vocabulary)
    return last in vocabulary


def _find_run(run: Run, stream: list, where: dict[str, list[int]], joined: dict[int, str]) -> set:
    """The hits of one run in a page's stream of terms."""
    size = len(run.terms)
    last = size - 1
    if run.prefix and size == 1:
        starts = [
            p for term, places in where.items() if term.startswith(run.terms[0]) for p in places
        ]
    else:
        starts = where.get(run.terms[0], [])
    found = set()
    for start in starts:
        if start + size > len(stream):
            continue
        for k in range(1, size):
            term = stream[start + k][0]
            wanted = run.terms[k]
            if not (term == wanted or (run.prefix and k == last and term.startswith(wanted))):
                break
        else:
            found.add(tuple(dict.fromkeys(index for _t, index in stream[start : start + size])))
    if size == 1:  # `walmart` also finds `Wal-Mart`
        found.update((index,) for index, whole in joined.items() if whole == run.terms[0])
    return found


# ---- a page's words ---------------------------------------------------------------------------


def page_words(layout, width: int | None = None, height: int | None = None) -> list[PlacedWord]:
    """The words of a stored layout in reading order, their boxes clipped to the image."""
    placed: list[PlacedWord] = []
    for block in layout if isinstance(layout, list) else []:
        lines = block.get("lines") if isinstance(block, dict) else None
        if not isinstance(lines, list) or block.get("role", "text") != "text":
            continue
        for line in lines:
            words = line.get("words") if isinstance(line, dict) else line
            if not isinstance(words, list):
                continue
            for word in words:
                read = _read_word(word, width, height)
                if read is not None:
                    placed.append(read)
            if placed:
                placed[-1].line_end = True
        if placed:
            placed[-1].block_end = True
    return placed


def page_texts(layout) -> list[str]:
    """The words of a stored layout as `page_words` reads them, their text alone: what a
    search needs to find its hits (a tenth of the time; boxes are read for the hits' pages)."""
    texts = []
    for block in layout if isinstance(layout, list) else []:
        lines = block.get("lines") if isinstance(block, dict) else None
        if not isinstance(lines, list) or block.get("role", "text") != "text":
            continue
        for line in lines:
            words = line.get("words") if isinstance(line, dict) else line
            if not isinstance(words, list):
                continue
            for word in words:
                if isinstance(word, list) and word and isinstance(word[0], str):
                    text = word[0].strip()
                else:
                    text = _read_text(word)
                if text:
                    texts.append(text)
    return texts


def _read_text(word) -> str:
    if isinstance(word, dict):
        word = [word.get("text")]
    if isinstance(word, (list, tuple)) and word and isinstance(word[0], str):
        return word[0].strip()
    return ""


def _read_word(word, width: int | None, height: int | None) -> PlacedWord | None:
    if isinstance(word, dict):
        word = [word.get(k) for k in ("text", "x", "y", "w", "h")]
    if not isinstance(word, (list, tuple)) or not word or not isinstance(word[0], str):
        return None
    text = word[0].strip()
    if not text:
        return None
    numbers = list(word[1:5])
    if len(numbers) == 4 and all(isinstance(n, (int, float)) for n in numbers):
        return PlacedWord(text, clip(*numbers, width, height))
    return PlacedWord(text)


def clip(x, y, w, h, width: int | None, height: int | None) -> tuple[int, int, int, int] | None:
    """The box inside the image (0 ≤ x < width …), or None where nothing of it is inside."""
    left, top, right, bottom = max(0, x), max(0, y), x + w, y + h
    if width:
        right = min(right, width)
    if height:
        bottom = min(bottom, height)
    if right <= left or bottom <= top:
        return None
    return int(left), int(top), int(right - left), int(bottom - top)


def union(boxes: Iterable[tuple[int, int, int, int] | None]) -> tuple[int, int, int, int] | None:
    """The box around all `boxes` (None where none is given)."""
    known = [b for b in boxes if b]
    if not known:
        return None
    left = min(b[0] for b in known)
    top = min(b[1] for b in known)
    right = max(b[0] + b[2] for b in known)
    bottom = max(b[1] + b[3] for b in known)
    return left, top, right - left, bottom - top


# ---- a page's text ----------------------------------------------------------------------------


@dataclass
class TextWord:
    text: str
    start: int
    end: int


def text_words(text: str) -> tuple[str, list[TextWord]]:
    """The text (NFC) and its words with their character spans, as the index tokenizes it."""
    text = unicodedata.normalize("NFC", text or "")
    return text, [TextWord(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def _words_of(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text))


def snippet(words: list[str], hit: tuple[int, ...]) -> tuple[str, str, str]:
    """A hit in its context: the words before it, the hit's own, the words after."""
    first, last = hit[0], hit[-1]
    before = words[max(0, first - SNIPPET_BEFORE) : first]
    after = words[last + 1 : last + 1 + SNIPPET_AFTER]
    lead = "… " if first > SNIPPET_BEFORE else ""
    tail = " …" if last + 1 + SNIPPET_AFTER < len(words) else ""
    return (
        lead + " ".join(before),
        " ".join(words[first : last + 1]),
        " ".join(after) + tail,
    )
