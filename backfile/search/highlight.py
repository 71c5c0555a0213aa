"""Marking the words a query matched, in snippets and on the article page.

The highlighter runs the index's own tokenizer (`text.words`) over the original
text, so `Labour's` is marked for a search for `labor` exactly when the index
matched it; nothing is guessed from the query's spelling.

On the article page only the first HIGHLIGHT_CHARS characters of text are
marked (a long article's opening, whole for nearly every article); the rest is
left as it is, so a huge article costs no more to highlight than a long one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from django.utils.html import escape

from backfile.search.query import Query
from backfile.search.text import QUERY_LANGUAGES, WORD, analyse_word, words

SNIPPET_WORDS = 36
SNIPPET_LEAD = 8
SCAN_CHARS = 30_000  # beyond this a snippet is not worth the time
READ_PAST_FIRST_HIT = 150
HIGHLIGHT_CHARS = 100_000  # text marked on a page; past it, left unmarked
TAG = re.compile(r"<[^>]*>")
BLOCK_TAG = re.compile(  # a tag between blocks: their texts are not one word
    r"</?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer"
    r"|h[1-6]|header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)\b",
    re.I,
)


class Highlighter:
    """What a query sought, found again in a text: the words, phrases and nearby words to mark.

    A plain word is marked wherever it is; a phrase's words only where they stand as the
    phrase, marked as one unit (`"working class"` marks *working class*, not *worked* or
    *middle class*); proximity's words only where they stand near enough to each other.
    """

    def __init__(self, query: Query):
        sought = query.sought()
        self.loose = sought.loose
        self.prefixes = sought.prefixes
        self.prefix_tuple = tuple(self.prefixes)
        self.runs = sorted(sought.runs, key=len, reverse=True)
        self.nears = sought.nears
        self.terms = sought.terms()  # every term that can be part of a match
        self.phrases = sought.phrases
        self.strong = bool(self.phrases or self.nears)  # a snippet is centred on a phrase
        wanted = len(self.loose) + len(self.prefixes) + len(self.runs) + len(self.nears)
        self.wanted_in_window = 1 if self.strong else min(2, max(1, wanted))
        self._verdicts: dict[str, bool] = {}
        self._loose_verdicts: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    def matches_written(self, written: str) -> bool:
        """Whether a word as written (`Labour's`) can be part of a match; remembered, since
        words repeat."""
        verdict = self._verdicts.get(written)
        if verdict is None:
            verdict = self._verdicts[written] = any(
                self._matches_terms(*analyse_word(written, language), self.terms)
                for language in QUERY_LANGUAGES
            )
        return verdict

    def _matches_terms(self, terms: tuple[str, ...], joined: str | None, wanted: set) -> bool:
        if joined in wanted or any(t in wanted for t in terms):
            return True
        return bool(self.prefix_tuple) and any(t.startswith(self.prefix_tuple) for t in terms)

    def loose_written(self, written: str) -> bool:
        """Whether a word as written is marked wherever it stands (not only in a phrase)."""
        verdict = self._loose_verdicts.get(written)
        if verdict is None:
            verdict = self._loose_verdicts[written] = any(
                self._matches_terms(*analyse_word(written, language), self.loose)
                for language in QUERY_LANGUAGES
            )
        return verdict

    def units(self, text: str) -> list[tuple[int, int]]:
        """The character spans to mark in `text`, a phrase's words as one span."""
        scan = _Scan(self, text)
        for _ in scan:
            pass
        return [(scan.spans[first][0], scan.spans[last][1]) for first, last, _ in scan.merged()]

    def count(self, text: str) -> int:
        """How many marks `mark` puts in `text`."""
        return len(self.units(text))

    def mark(self, text: str, mark: Callable[[str], str] | None = None) -> str:
        """`text` escaped for HTML, matched words (and phrases, whole) wrapped in <mark>."""
        text = unicodedata.normalize("NFC", text)
        return _marked(text, self.units(text), mark or _mark)

    def mark_html(
        self,
        fragment: str,
        mark: Callable[[str], str] | None = None,
        budget: int = HIGHLIGHT_CHARS,
        more: Callable[[str], str] | None = None,
    ) -> str:
        """A trusted HTML fragment with matched words marked in its text, never inside tags:
        in its first `budget` characters of text (cut at a space), the rest left as it is.

        The fragment's text is read as one, as the index reads an article's body (its blocks
        one after another), so a phrase or near words the markup splits (`the <em>general</em>
        strike`, words in two paragraphs) are found as they are by the search and the
        banner's count; such a unit is marked piece by piece, its first piece with `mark`
        and the rest with `more` (`mark` unless given), so `mark` is called once a unit."""
        mark = mark or _mark
        nodes: list[tuple[int, int, str, int]] = []  # in the fragment, the text, where in `plain`
        plain: list[str] = []
        length = position = 0
        between_blocks = False
        for found in (*TAG.finditer(fragment), None):
            if length >= budget:
                break
            end = found.start() if found else len(fragment)
            if end > position:
                text = unicodedata.normalize("NFC", html.unescape(fragment[position:end]))
                if between_blocks and plain and not (plain[-1][-1].isspace() or text[0].isspace()):
                    plain.append("\n")  # the index reads blocks as lines, not run together
                    length += 1
                between_blocks = False
                nodes.append((position, end, text, length))
                plain.append(text)
                length += len(text)
            if found is None:
                break
            between_blocks = between_blocks or bool(BLOCK_TAG.match(found.group()))
            position = found.end()
        text = "".join(plain)
        if len(text) > budget:
            cut = max(text.rfind(" ", 0, budget), text.rfind("\n", 0, budget)) + 1
            text = text[: cut or budget]
        units = self.units(text)
        out: list[str] = []
        position = first = 0  # (the first unit that may reach the node)
        for start, end, node, offset in nodes:
            out.append(fragment[position:start])
            position = end
            while first < len(units) and units[first][1] <= offset:
                first += 1
            pieces = []
            for low, high in units[first:]:
                if low >= offset + len(node):
                    break
                piece = (max(low, offset) - offset, min(high, offset + len(node)) - offset)
                pieces.append((*_trimmed(node, *piece), mark if low >= offset else more or mark))
            out.append(_marked_pieces(node, pieces))
        out.append(fragment[position:])
        return "".join(out)

    def snippet(self, text: str, size: int = SNIPPET_WORDS) -> str | None:
        """A passage of `text` around what matched, marked; None when nothing matched.

        When the query has a phrase or proximity, the passage is chosen around where
        the phrase stands (its words elsewhere do not count). Reading stops at the
        first run of `size` words holding enough matches, or READ_PAST_FIRST_HIT words
        after the first one, so a long article costs little more than its opening.
        """
        text = unicodedata.normalize("NFC", text[:SCAN_CHARS])
        scan = _Scan(self, text)
        strong: list[int] = []  # where phrases (or near words) begin
        every: list[int] = []  # where any match begins
        hits = strong if self.strong else every
        for index, ended in scan:  # (only the words that matched)
            for first, _last, is_strong in ended:
                every.append(first)
                if is_strong:
                    strong.append(first)
            if hits:
                scan.stop_at(hits[0] + READ_PAST_FIRST_HIT + 1)
                if sum(1 for h in hits if index - h < size) >= self.wanted_in_window:
                    scan.stop_at(index + size + 1)  # the words that may follow in the window
                    break
        scan.finish()
        # A phrase's place if it is in the text; else (a hyphenated word found joined, as
        # `Walmart` for `wal-mart`) wherever the words matched.
        hits = sorted(strong or every)
        if not hits:
            return None
        spans = scan.spans
        start = max(0, _densest_window(hits, size) - SNIPPET_LEAD)
        end = min(len(spans), start + size)
        start = max(0, end - size)
        units = [(spans[a][0], spans[b][1]) for a, b, _ in scan.merged() if a >= start and b < end]
        low, high = spans[start][0], spans[end - 1][1]
        passage = _marked(text, units, _mark, low, high)
        more = end < len(spans) or spans[-1][1] < len(text.rstrip())
        return ("… " if start > 0 else "") + passage + (" …" if more else "")


class _Scan:
    """Reads a text word by word, finding what a Highlighter seeks.

    Iterating gives the index of each word at which units were found, and those units,
    each `(first word, last word, strong)`, strong for a phrase or proximity. A phrase is found where the terms
    of consecutive matched words, in one analysis, are its run.
    """

    def __init__(self, highlighter: Highlighter, text: str):
        self.h = highlighter
        self.text = text
        self.spans: list[tuple[int, int]] = []
        self.units: list[tuple[int, int, bool]] = []
        self.words = enumerate(WORD.finditer(text))
        self.limit = len(text)  # more than there are words
        self.streak: list[str] = []  # the words just read that can be part of a match
        self.seen: dict[tuple[str, ...], tuple[int, int]] = {}  # a group → its last words

    def __iter__(self):
        h = self.h
        for index, found in self.words:
            if index >= self.limit:
                break
            self.spans.append(found.span())
            written = found.group()
            if not h.matches_written(written):
                self.streak.clear()
                continue
            self.streak.append(written)
            before = len(self.units)
            if h.loose_written(written):
                self.units.append((index, index, False))
            for run in h.runs:
                if (length := self._ends_here(run)) is not None:
                    self.units.append((index - length + 1, index, run in h.phrases))
            for groups, distance in h.nears:
                self._near(index, groups, distance)
            if len(self.units) > before:
                yield index, self.units[before:]

    def stop_at(self, limit: int) -> None:
        """Read no word from index `limit` on."""
        self.limit = min(self.limit, limit)

    def finish(self) -> None:
        """Read on to the limit, finding what stands in the words there too."""
        for _ in self:
            pass

    def _ends_here(self, run: tuple[str, ...]) -> int | None:
        """How many of the streak's last words spell `run`, in some analysis; None if none."""
        for language in QUERY_LANGUAGES:
            terms: tuple[str, ...] = ()
            for back, written in enumerate(reversed(self.streak), start=1):
                terms = analyse_word(written, language)[0] + terms
                if len(terms) >= len(run):
                    if terms == run:
                        return back
                    break
        return None

    def _near(self, index: int, groups, distance: int) -> None:
        ended = False
        for group in groups:
            if (length := self._ends_here(group)) is not None:
                self.seen[group] = (index - length + 1, index)
                ended = True
        if not ended or not all(g in self.seen for g in groups):
            return
        places = [self.seen[g] for g in groups]
        spread = max(end for _, end in places) - min(start for start, _ in places) + 1
        if spread - sum(end - start + 1 for start, end in places) <= distance:
            self.units.extend((start, end, True) for start, end in places)

    def merged(self) -> list[tuple[int, int, bool]]:
        """The units in order, overlapping ones made one (a phrase's word also sought alone)."""
        out: list[tuple[int, int, bool]] = []
        for first, last, strong in sorted(set(self.units)):
            if out and first <= out[-1][1]:
                a, b, s = out[-1]
                out[-1] = (a, max(b, last), s or strong)
            else:
                out.append((first, last, strong))
        return out


def _marked(
    text: str,
    units: list[tuple[int, int]],
    mark: Callable[[str], str],
    low: int = 0,
    high: int | None = None,
) -> str:
    """text[low:high] escaped, each unit's characters wrapped by `mark`."""
    high = len(text) if high is None else high
    out: list[str] = []
    position = low
    for start, end in units:
        if start < position or end > high:
            continue
        out.append(escape(text[position:start]))
        out.append(mark(escape(text[start:end])))
        position = end
    out.append(escape(text[position:high]))
    return "".join(out)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A piece of a unit without the spaces it takes in at its ends (between its words)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _marked_pieces(text: str, pieces: list[tuple[int, int, Callable[[str], str]]]) -> str:
    """`text` escaped, each piece's characters wrapped by its mark (empty pieces left out)."""
    out: list[str] = []
    position = 0
    for start, end, mark in pieces:
        if start >= end:
            continue
        out.append(escape(text[position:start]))
        out.append(mark(escape(text[start:end])))
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _mark(escaped_word: str) -> str:
    return f"<mark>{escaped_word}</mark>"


def _densest_window(hits: list[int], size: int) -> int:
    """The first hit of the run of `size` words holding the most hits."""
    best_start, best_count, first = hits[0], 0, 0
    for last, position in enumerate(hits):
        while position - hits[first] >= size:
            first += 1
        if last - first + 1 > best_count:
            best_count, best_start = last - first + 1, hits[first]
    return best_start


def opening(text: str, size: int = SNIPPET_WORDS) -> str:
    """The first `size` words of `text`, escaped: the snippet when no body word matched."""
    found = list(words(text[: size * 20]))
    if len(found) <= size:
        return escape(text.strip())
    return escape(text[: found[size - 1].end]) + " …"
