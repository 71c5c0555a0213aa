"""Marking the words a query matched, in snippets and on the article page.

The highlighter runs the index's own tokenizer (`text.words`) over the original
text, so `Labour's` is marked for a search for `labor` exactly when the index
matched it; nothing is guessed from the query's spelling.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from django.utils.html import escape

from backfile.search.query import Query
from backfile.search.text import Word, words

SNIPPET_WORDS = 36
SNIPPET_LEAD = 8
SCAN_CHARS = 30_000  # beyond this a snippet is not worth the time
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")


class Highlighter:
    def __init__(self, query: Query):
        self.terms, self.prefixes = query.terms()
        self.prefix_tuple = tuple(self.prefixes)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    def matches(self, word: Word) -> bool:
        if any(t in self.terms for t in word.terms) or word.joined in self.terms:
            return True
        return bool(self.prefix_tuple) and any(t.startswith(self.prefix_tuple) for t in word.terms)

    def mark(self, text: str, mark: Callable[[str], str] | None = None) -> str:
        """`text` escaped for HTML, matched words wrapped in <mark>."""
        text = unicodedata.normalize("NFC", text)
        mark = mark or _mark
        out: list[str] = []
        position = 0
        for word in words(text):
            if self.matches(word):
                out.append(escape(text[position : word.start]))
                out.append(mark(escape(text[word.start : word.end])))
                position = word.end
        out.append(escape(text[position:]))
        return "".join(out)

    def mark_html(self, fragment: str, mark: Callable[[str], str] | None = None) -> str:
        """A trusted HTML fragment with matched words marked in its text, never inside tags."""
        parts = TAG_OR_ENTITY.split(fragment)
        out = []
        for part in parts:
            if not part or TAG_OR_ENTITY.fullmatch(part):
                out.append(part)
            else:
                out.append(self.mark(html.unescape(part), mark))
        return "".join(out)

    def snippet(self, text: str, size: int = SNIPPET_WORDS) -> str | None:
        """The passage of `text` densest in matched words, marked; None when nothing matched."""
        text = unicodedata.normalize("NFC", text[:SCAN_CHARS])
        found = list(words(text))
        hits = [i for i, w in enumerate(found) if self.matches(w)]
        if not hits:
            return None
        start = max(0, _densest_window(hits, size) - SNIPPET_LEAD)
        end = min(len(found), start + size)
        start = max(0, end - size)
        passage = text[found[start].start : found[end - 1].end]
        marked = self.mark(passage)
        return ("… " if start > 0 else "") + marked + (" …" if end < len(found) else "")


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
