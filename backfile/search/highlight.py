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
from backfile.search.text import QUERY_LANGUAGES, WORD, Word, analyse_word, words

SNIPPET_WORDS = 36
SNIPPET_LEAD = 8
SCAN_CHARS = 30_000  # beyond this a snippet is not worth the time
READ_PAST_FIRST_HIT = 150
HIGHLIGHT_CHARS = 100_000  # text marked on a page; past it, left unmarked
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")


class Highlighter:
    def __init__(self, query: Query):
        self.terms, self.prefixes = query.terms()
        self.prefix_tuple = tuple(self.prefixes)
        self.wanted_in_window = min(2, max(1, len(self.terms) + len(self.prefixes)))
        self._verdicts: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    def matches(self, word: Word) -> bool:
        return self._matches_terms(word.terms, word.joined)

    def matches_written(self, written: str) -> bool:
        """Whether a word as written (`Labour's`) matched; remembered, since words repeat."""
        verdict = self._verdicts.get(written)
        if verdict is None:
            verdict = self._verdicts[written] = any(
                self._matches_terms(*analyse_word(written, language))
                for language in QUERY_LANGUAGES
            )
        return verdict

    def _matches_terms(self, terms: tuple[str, ...], joined: str | None) -> bool:
        if joined in self.terms or any(t in self.terms for t in terms):
            return True
        return bool(self.prefix_tuple) and any(t.startswith(self.prefix_tuple) for t in terms)

    def mark(self, text: str, mark: Callable[[str], str] | None = None) -> str:
        """`text` escaped for HTML, matched words wrapped in <mark>."""
        text = unicodedata.normalize("NFC", text)
        mark = mark or _mark
        out: list[str] = []
        position = 0
        for found in WORD.finditer(text):
            if self.matches_written(found.group()):
                out.append(escape(text[position : found.start()]))
                out.append(mark(escape(found.group())))
                position = found.end()
        out.append(escape(text[position:]))
        return "".join(out)

    def mark_html(
        self,
        fragment: str,
        mark: Callable[[str], str] | None = None,
        budget: int = HIGHLIGHT_CHARS,
    ) -> str:
        """A trusted HTML fragment with matched words marked in its text, never inside tags:
        in its first `budget` characters of text (cut at a space), the rest left as it is."""
        out = []
        position = 0
        for found in TAG_OR_ENTITY.finditer(fragment):
            if budget <= 0:
                break
            budget = self._mark_text(fragment[position : found.start()], mark, budget, out)
            out.append(found.group())
            position = found.end()
        else:
            budget = self._mark_text(fragment[position:], mark, budget, out)
            position = len(fragment)
        out.append(fragment[position:])
        return "".join(out)

    def _mark_text(self, text: str, mark, budget: int, out: list[str]) -> int:
        """Mark a text part of a fragment within `budget` characters, the rest as it was;
        the budget left."""
        if len(text) > budget:
            cut = text.rfind(" ", 0, budget) + 1 or budget
            out.append(self.mark(html.unescape(text[:cut]), mark) + text[cut:])
            return 0
        if text:
            out.append(self.mark(html.unescape(text), mark))
        return budget - len(text)

    def snippet(self, text: str, size: int = SNIPPET_WORDS) -> str | None:
        """A passage of `text` rich in matched words, marked; None when nothing matched.

        Reading stops at the first run of `size` words holding two matched words, or
        READ_PAST_FIRST_HIT words after the first match, so a long article costs
        little more than its opening.
        """
        text = unicodedata.normalize("NFC", text[:SCAN_CHARS])
        spans: list[tuple[int, int]] = []
        hits: list[int] = []
        first = 0
        scanner = WORD.finditer(text)
        for index, found in enumerate(scanner):
            spans.append(found.span())
            if hits and index - hits[0] > READ_PAST_FIRST_HIT:
                break
            if not self.matches_written(found.group()):
                continue
            hits.append(index)
            while index - hits[first] >= size:
                first += 1
            if len(hits) - first >= self.wanted_in_window:
                spans.extend(m.span() for _, m in zip(range(size), scanner, strict=False))
                break
        if not hits:
            return None
        start = max(0, _densest_window(hits, size) - SNIPPET_LEAD)
        end = min(len(spans), start + size)
        start = max(0, end - size)
        passage = text[spans[start][0] : spans[end - 1][1]]
        more = end < len(spans) or spans[-1][1] < len(text.rstrip())
        return ("… " if start > 0 else "") + self.mark(passage) + (" …" if more else "")


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
