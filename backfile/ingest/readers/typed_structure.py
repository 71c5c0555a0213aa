"""Lists and tables typed in plain text (a page capture's body), as blocks.

- A list: lines that each start with a bullet (`-`, `*`, `•`, `–`) or a number
  (`1.`, `2)`), nested by their indent (a line indented past the item above opens
  a list inside it); a line without a marker continues the item above. Numbers
  must follow on (`1.`, `2.`, `3.`) and the first number is the list's start.
  Items typed a paragraph each (blank lines between) are one list; a single
  marked line on its own stays a paragraph (a sentence may start with a dash).
- A table: two lines or more of cells between `|` (or tabs), as many on each
  line; a line of dashes (`---|---`) under the first makes it the header row.
"""

from __future__ import annotations

import re

from backfile.ingest.records import Block

LIST_MARKER = re.compile(r"(?:[-*•–·]|(?P<number>\d{1,3})[.)])\s+(?=\S)")
TABLE_RULE = re.compile(r":?-{3,}:?")


def _plain(text: str) -> str:
    return " ".join(text.split())


def _indent(line: str) -> int:
    lead = line[: len(line) - len(line.lstrip())]
    return sum(4 if c == "\t" else 1 for c in lead)


def joined_lists(pairs: list[tuple[Block, str]]) -> list[Block]:
    """The blocks of a body's paragraphs (each with its text as typed, "" for a quotation),
    with the lists of consecutive paragraphs joined, and a lone marked line left a
    paragraph."""
    out: list[tuple[Block, str]] = []
    for block, text in pairs:
        if out and _continues_list(out[-1][0], block):
            out[-1][0].blocks.extend(block.blocks)
            out[-1] = (out[-1][0], "")
        else:
            out.append((block, text))
    return [Block("paragraph", text) if text and _lone(block) else block for block, text in out]


def _lone(block: Block) -> bool:
    return block.type == "list" and len(block.blocks) == 1 and not block.blocks[0].blocks


def _continues_list(previous: Block | None, block: Block) -> bool:
    """Items typed a paragraph each (a blank line between them) are one list."""
    if previous is None or previous.type != "list" or block.type != "list":
        return False
    if previous.start is None or block.start is None:
        return previous.start is None and block.start is None
    return block.start == previous.start + len(previous.blocks)


def typed_list(lines: list[str]) -> Block | None:
    """Lines that each start with a bullet (`-`, `*`, `•`) or a number (`1.`, `2)`), nested by
    their indent; a line without a marker continues the item above. None when the
    paragraph is not such a list (its first line has no marker, or numbers skip)."""
    first = LIST_MARKER.match(lines[0].lstrip())
    if first is None:
        return None
    numbered = first["number"] is not None
    items: list[tuple[int, int | None, str]] = []  # indent, number, text
    for line in lines:
        marker = LIST_MARKER.match(line.lstrip())
        if marker is None:
            if not items:
                return None
            indent, number, text = items[-1]
            items[-1] = (indent, number, f"{text} {_plain(line)}")
            continue
        number = int(marker["number"]) if marker["number"] else None
        items.append((_indent(line), number, _plain(line.lstrip()[marker.end() :])))
    top = min(indent for indent, _, _ in items)
    top_numbers = [number for indent, number, _ in items if indent == top]
    if numbered and any(n is None or n != top_numbers[0] + i for i, n in enumerate(top_numbers)):
        return None
    if not numbered and any(n is not None for n in top_numbers):
        return None
    if len(items) == 1 and len(lines) == 1 and not numbered and len(items[0][2]) > 200:
        return None
    return _nested_list(items)


def _nested_list(items: list[tuple[int, int | None, str]]) -> Block:
    """Items by indent: a deeper indent opens a list inside the item above."""
    root = Block("list", start=items[0][1])
    stack: list[tuple[int, Block]] = [(items[0][0], root)]
    for indent, number, text in items:
        while len(stack) > 1 and indent < stack[-1][0]:
            stack.pop()
        if indent > stack[-1][0] + 1 and stack[-1][1].blocks:
            inner = Block("list", start=number)
            stack[-1][1].blocks[-1].blocks.append(inner)
            stack.append((indent, inner))
        stack[-1][1].blocks.append(Block("list_item", text))
    return root


def typed_table(lines: list[str]) -> Block | None:
    """Two lines or more of cells between `|` (or tabs), as many on each line; a line of
    dashes (`---|---`) under the first makes it the header row."""
    lines = [line.strip() for line in lines]
    if len(lines) < 2 or not all("|" in line or "\t" in line for line in lines):
        return None
    rows = [_cells(line) for line in lines]
    header = len(rows) > 2 and all(TABLE_RULE.fullmatch(cell) for cell in rows[1])
    if header:
        del rows[1]
    if len({len(row) for row in rows}) != 1 or len(rows[0]) < 2:
        return None
    kinds = ["table_header" if header and i == 0 else "table_cell" for i in range(len(rows))]
    return Block(
        "table",
        blocks=[
            Block("table_row", blocks=[Block(kind, _plain(cell)) for cell in row])
            for kind, row in zip(kinds, rows, strict=True)
        ],
    )


def _cells(line: str) -> list[str]:
    separator = "|" if "|" in line else "\t"
    if separator == "|":
        line = line.removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in line.split(separator)]
