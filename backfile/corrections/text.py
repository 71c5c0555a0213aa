"""Paragraphs: what a reader corrects, found the same way when the form is shown, when it is
sent and when an editor accepts it.

A page's paragraphs are its text blocks: `Page.text` holds them in reading order, lines by
`\\n`, blocks by a blank line (`page_records.PageRecord.text`). An article's paragraphs are the
blocks of its body that have text of their own (paragraphs, headings, list items, captions,
table cells, notes), depth first, so a quotation's paragraphs count one by one; audio, video
and embed titles are not text of the page and are left out. Both are counted from 1.

A paragraph is never replaced unless it still reads what the reader corrected (`original`):
otherwise the correction is stale.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
from collections.abc import Iterator

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backfile.archive.models import Article
from backfile.facsimiles.models import Page

BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
NOT_TEXT = ("audio", "video", "embed")
WORDS = re.compile(r"(\s+)")


class Stale(Exception):
    """The paragraph no longer reads what the reader corrected (or is gone)."""


def page_spans(text: str) -> list[tuple[int, int]]:
    """Where each paragraph of a page's text starts and ends (blank lines apart)."""
    spans, start = [], 0
    for gap in BLANK_LINE.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _text_blocks(blocks: list) -> Iterator[dict]:
    for block in blocks:
        if not isinstance(block, dict):
            continue  # a damaged body: nothing there to correct
        text = block.get("text")
        if isinstance(text, str) and text.strip() and block.get("type") not in NOT_TEXT:
            yield block
        if isinstance(block.get("blocks"), list):
            yield from _text_blocks(block["blocks"])


def paragraphs(subject: Page | Article) -> list[str]:
    """The paragraphs a reader may correct, in reading order (the first is number 1)."""
    if isinstance(subject, Page):
        return [subject.text[a:b] for a, b in page_spans(subject.text)]
    blocks = subject.blocks if isinstance(subject.blocks, list) else []
    return [block["text"] for block in _text_blocks(blocks)]


def paragraph(subject: Page | Article, number: int) -> str | None:
    """Paragraph `number` (from 1), or None where there is no such paragraph."""
    found = paragraphs(subject)
    return found[number - 1] if 1 <= number <= len(found) else None


def fingerprint(text: str) -> str:
    """What the form carries of the paragraph it showed, to notice a change before sending."""
    return hashlib.sha256(text.encode()).hexdigest()


def normalised(text: str) -> str:
    """A retyped paragraph as it is stored: one paragraph (blank lines closed up), no
    trailing spaces, no carriage returns, no space around it."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return BLANK_LINE.sub("\n", "\n".join(lines)).strip()


def is_stale(subject: Page | Article, number: int, original: str) -> bool:
    return paragraph(subject, number) != original


def apply(subject: Page | Article, number: int, original: str, text: str) -> None:
    """Put `text` in place of paragraph `number` of the subject (unsaved); Stale if that
    paragraph no longer reads `original`.

    An article's block keeps its type and everything else; its inline markup (`html`:
    italics, links) is dropped, since it marks up the words that were replaced.
    """
    if is_stale(subject, number, original):
        raise Stale(f"paragraph {number} has changed since the correction was suggested")
    if isinstance(subject, Page):
        start, end = page_spans(subject.text)[number - 1]
        subject.text = subject.text[:start] + text + subject.text[end:]
        return
    blocks = copy.deepcopy(subject.blocks)
    block = list(_text_blocks(blocks))[number - 1]
    block["text"] = text
    block.pop("html", None)
    subject.blocks = blocks


def has_markup(subject: Article, number: int) -> bool:
    """Does this paragraph of an article carry inline markup that accepting would drop?"""
    blocks = subject.blocks if isinstance(subject.blocks, list) else []
    found = list(_text_blocks(blocks))
    return 1 <= number <= len(found) and bool(found[number - 1].get("html"))


def word_diff(old: str, new: str) -> SafeString:
    """The change from `old` to `new` word by word, as HTML: removed words in <del>, added
    words in <ins>, everything escaped."""
    before, after = WORDS.split(old), WORDS.split(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece is escaped above)
