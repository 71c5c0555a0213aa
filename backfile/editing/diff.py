"""Word-level differences between two revisions, as an editor reads them.

Text is compared word by word (difflib over words and the spaces between them); an
article's body is compared as readable text, block by block: blocks are paired up
in reading order, and a changed block shows which of its words changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from backfile.editing.rows import TYPE_NAMES

TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class Piece:
    """A run of words: `same`, `added` or `removed`."""

    kind: str
    text: str


@dataclass
class Change:
    """One field (or one block of a body) in two revisions."""

    name: str
    pieces: list[Piece] = field(default_factory=list)
    unchanged: int = 0  # for a run of unchanged blocks: how many

    @property
    def before(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind != "added"]

    @property
    def after(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind != "removed"]


def word_diff(old: str, new: str) -> list[Piece]:
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add(pieces, "same", "".join(a[i1:i2]))
            continue
        if i2 > i1:
            add(pieces, "removed", "".join(a[i1:i2]))
        if j2 > j1:
            add(pieces, "added", "".join(b[j1:j2]))
    return pieces


def add(pieces: list[Piece], kind: str, text: str) -> None:
    if pieces and pieces[-1].kind == kind:
        pieces[-1].text += text
    else:
        pieces.append(Piece(kind, text))


def readable_blocks(blocks: object, depth: int = 0, inside: str = "") -> list[tuple[str, str]]:
    """A body as (what the block is, its words) in reading order: `Quotation › paragraph`."""
    lines: list[tuple[str, str]] = []
    if not isinstance(blocks, list):
        return lines
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = TYPE_NAMES.get(block.get("type", ""), str(block.get("type"))).split(" (")[0]
        name = f"{inside} › {kind.lower()}" if inside else kind
        words = str(block.get("text") or "")
        if block.get("label"):
            words = f"[{block['label']}] {words}"
        if block.get("start") is not None:
            words = f"(from {block['start']}) {words}"
        for use in block.get("assets") or []:
            if isinstance(use, dict) and use.get("alt"):
                words += f" [picture: {use['alt']}]"
        if words or not block.get("blocks"):
            lines.append((name, words))
        lines.extend(readable_blocks(block.get("blocks"), depth + 1, name))
    return lines


def body_changes(old: object, new: object) -> list[Change]:
    """The body's blocks compared; runs of unchanged blocks are counted, not shown."""
    a, b = readable_blocks(old), readable_blocks(new)
    changes: list[Change] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("", unchanged=i2 - i1))
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for n in range(max(len(olds), len(news))):
            before = olds[n] if n < len(olds) else None
            after = news[n] if n < len(news) else None
            name = (after or before)[0]  # type: ignore[index]
            if before and after and before[0] != after[0]:
                name = f"{before[0]} → {after[0]}"
            changes.append(
                Change(name, word_diff(before[1] if before else "", after[1] if after else ""))
            )
    return changes


def field_changes(old: dict, new: dict, names: dict[str, str]) -> list[Change]:
    """The fields (other than the body) whose values differ, word by word."""
    changes = []
    for key, label in names.items():
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        changes.append(Change(label, word_diff(shown(before), shown(after))))
    return changes


def shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
