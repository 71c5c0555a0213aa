"""A section label printed in front of a kicker: `WHAT WE THINK Kicker words…`.

Some pages print the section's name in capitals above (or run into) the kicker,
as the contents pages print it over their lists. Read as one line, the label
ends up in the kicker. A page offers the run of capitals that opens its kicker
(`kicker_label`); the site decides whether it is a label by what it has seen
elsewhere in the run (`SectionLabels`): a section heading of a contents page, or
a run of capitals set apart by markup above the kicker on two pages or more. A
label found so becomes the article's section when the contents page gives none,
and is taken off the kicker.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol


class _Line(Protocol):
    text: str

    def bold_prefix(self) -> str: ...


class _Page(Protocol):
    kicker: str
    kicker_label: str
    label_by_markup: bool
    entries: list
    is_article: bool


MAX_LABEL_WORDS = 8


def kicker_label(kicker_lines: list[_Line]) -> tuple[str, bool]:
    """The run of capitals that opens the kicker, if it may be a section label, and whether
    markup sets it apart.

    Set apart by markup: a line of capitals above the kicker's words (or alone), or bold
    capitals run into plain words (`<b>EDITORIAL</b> Kicker words`). Set apart by
    case: capitals followed by a capitalised word in ordinary case (`EDITORIAL
    Kicker words`); an acronym opening a phrase (`CEO pay…`) is not.
    """
    if not kicker_lines:
        return "", False
    first = kicker_lines[0]
    short = len(first.text.split()) <= MAX_LABEL_WORDS
    if _all_capitals(first.text) and short:  # a line of its own (maybe the whole kicker)
        return first.text, True
    prefix = first.bold_prefix()
    if prefix and prefix != first.text and _all_capitals(prefix) and len(prefix.split()) <= 8:
        return prefix, True
    words = first.text.split()
    count = next((i for i, word in enumerate(words) if not _all_capitals(word)), len(words))
    following = words[count] if 0 < count < len(words) else ""
    if not following[:1].isupper():
        return "", False
    return " ".join(words[:count]), False


def _all_capitals(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


def _fold(label: str) -> str:
    return " ".join(label.strip(" :.-\u2013\u2014").split()).casefold()


class SectionLabels:
    """The section labels a run has shown so far, and the split of a kicker by them."""

    def __init__(self) -> None:
        self.headings: set[str] = set()  # section headings of contents pages
        self.set_apart: Counter[str] = Counter()  # capitals set apart above kickers, by page

    def learn(self, pages: list[_Page]) -> None:
        """What one folder's pages show: contents headings, and labels set apart by markup."""
        for page in pages:
            self.headings.update(_fold(entry.section) for entry in page.entries if entry.section)
            if page.is_article and page.kicker_label and page.label_by_markup:
                self.set_apart[_fold(page.kicker_label)] += 1

    def is_label(self, label: str) -> bool:
        folded = _fold(label)
        return bool(folded) and (folded in self.headings or self.set_apart[folded] >= 2)

    def split(self, page: _Page, section: str) -> tuple[str, str]:
        """(section, kicker) of an article whose contents page gives it `section`."""
        kicker, candidate = page.kicker, page.kicker_label
        if section and _fold(kicker) == _fold(section):  # a kicker repeating the section
            return section, ""
        if not candidate:
            return section, kicker
        words = candidate.split()
        sizes = [len(words)] if page.label_by_markup else range(len(words), 0, -1)
        for size in sizes:
            label = " ".join(words[:size])
            if not self.is_label(label) or not kicker.startswith(label):
                continue
            rest = kicker[len(label) :].strip(" :.-\u2013\u2014|")
            if not rest:  # the kicker is the label alone: a section, if none is known,
                if not section or _fold(section) == _fold(label):  # and never a kicker
                    return section or label, ""  # repeating the article's section
                return section, kicker
            return section or label, rest
        return section, kicker
