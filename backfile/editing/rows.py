"""An article's body as rows an editor can edit, and back again, losing nothing.

A body is a tree of blocks (`backfile.ingest.records.Block`); the desk shows it as a flat
list of rows, each with its type, its words and its depth (a paragraph inside a quotation
is one deeper than the quotation). Each row remembers where its block was in the stored
body (`origin`, as `2.0.1`), so that rebuilding the tree starts from the stored block and
changes only what the editor changed: a block whose row is as it was shown is stored
exactly as before, with any attribute the desk does not show (a figure's pictures, an
embed's address, keys a newer reader may add).

The words are shown as the site keeps them: plain text, or where the block has inline
markup, that markup as HTML tags (<em>, <strong>, <a href="…">). What an editor types is
checked against that handful of tags and sanitised with nh3.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field

import nh3

from backfile.archive.paging import whole_number
from backfile.ingest.checks import MUST_HOLD
from backfile.ingest.records import BLOCK_CHILDREN, BLOCK_TYPES, FLOW_TYPES

INLINE_TAGS = {"em", "i", "strong", "b", "sup", "sub", "a"}
LINK_SCHEMES = {"http", "https", "mailto"}
TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
LARGEST_START = 999_999  # a numbered list's first number, at most
# Blocks that have no words of their own: what they hold is in the rows under them.
WORDLESS = frozenset(("quotation", "section_break", "table_row"))
TOP_LEVEL = FLOW_TYPES | {"notes"}
TYPE_NAMES = {
    "paragraph": "Paragraph",
    "heading": "Heading",
    "quotation": "Quotation (holds the rows under it)",
    "section_break": "Section break",
    "list": "List (holds its items)",
    "list_item": "List item",
    "table": "Table (its caption; holds its rows)",
    "table_row": "Table row (holds its cells)",
    "table_header": "Table header cell",
    "table_cell": "Table cell",
    "notes": "Notes (heading; holds the notes)",
    "note": "Note",
    "figure": "Figure (its caption)",
    "audio": "Audio (its caption)",
    "video": "Video (its caption)",
    "embed": "Embed (its title)",
}
# Attributes that belong to some types only: dropped when a row changes to another type
# (keys the desk does not know are kept whatever the type).
TYPE_KEYS = {
    "figure": {"assets", "credit"},
    "audio": {"url", "provider"},
    "video": {"url", "provider"},
    "embed": {"url", "provider"},
}
TYPED_KEYS = {"assets", "credit", "url", "provider"}
TYPE_CHOICES = [(kind, TYPE_NAMES.get(kind, kind)) for kind in BLOCK_TYPES]


@dataclass
class Row:
    """One block as the desk shows it: `text` is what the editor sees and types."""

    type: str = "paragraph"
    text: str = ""
    depth: int = 0
    origin: str = ""  # where the block was in the stored body; empty for a new row
    label: str = ""  # a note's marker
    start: str = ""  # a numbered list's first number, as typed
    credit: str = ""  # a figure's credit line
    alts: list[str] = field(default_factory=list)  # a figure's pictures' alt texts, in order
    url: str = ""  # an audio, video or embed block's address
    errors: list[str] = field(default_factory=list)


def fingerprint(blocks: list) -> str:
    """A stored body's identity, to notice that someone else saved it meanwhile."""
    encoded = json.dumps(blocks, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def shown_text(block: dict) -> str:
    """The words as the editor sees them: the inline markup where the block has some."""
    return str(block.get("html") or block.get("text") or "")


def shown_start(block: dict) -> str:
    start = block.get("start")
    return "" if start is None else str(start)


def shown_alts(block: dict) -> list[str]:
    uses = block.get("assets") if isinstance(block.get("assets"), list) else []
    return [str(use.get("alt") or "") if isinstance(use, dict) else "" for use in uses]


def rows_of(blocks: list[dict]) -> list[Row]:
    """The stored body as rows, depth first, in reading order."""
    rows: list[Row] = []

    def walk(children: list, depth: int, path: str) -> None:
        for n, block in enumerate(children):
            if not isinstance(block, dict):
                continue
            origin = f"{path}.{n}" if path else str(n)
            rows.append(
                Row(
                    type=str(block.get("type", "paragraph")),
                    text=shown_text(block),
                    depth=depth,
                    origin=origin,
                    label=str(block.get("label") or ""),
                    start=shown_start(block),
                    credit=str(block.get("credit") or ""),
                    alts=shown_alts(block),
                    url=str(block.get("url") or ""),
                )
            )
            walk(block.get("blocks") or [], depth + 1, origin)

    walk(blocks or [], 0, "")
    return rows


def stored_block(blocks: list, origin: str) -> dict | None:
    """The stored block at `origin` (`2.0.1`), or None where there is none."""
    if not origin:
        return None
    node: object = {"blocks": blocks}
    try:
        for step in origin.split("."):
            node = node["blocks"][whole_number(step)]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None
    return node if isinstance(node, dict) else None


def same_words(typed: str, shown: str) -> bool:
    return normal(typed) == normal(shown)


def normal(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def markup_problem(typed: str) -> str:
    """Why typed inline markup cannot be kept, in words an editor can act on."""
    unknown = sorted({m.lower() for m in TAG.findall(typed)} - INLINE_TAGS)
    if unknown:
        shown = ", ".join(f"<{tag}>" for tag in unknown)
        return (
            f"{shown} cannot be kept: use <em>…</em> for italics, <strong>…</strong> for bold "
            'and <a href="https://…">…</a> for a link.'
        )
    for href in HREF.findall(typed):
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if not href.startswith("#note-") and scheme not in LINK_SCHEMES:
            return f"The link {href!r} must start with https://, http:// or mailto:."
    return ""


def words_of(typed: str, had_markup: bool) -> dict:
    """The `text` (and `html`, where there is markup) of what an editor typed."""
    typed = normal(typed)
    if not (had_markup or TAG.search(typed)):
        return {"text": typed}
    cleaned = nh3.clean(
        typed,
        tags=INLINE_TAGS,
        attributes={"a": {"href"}},
        url_schemes=LINK_SCHEMES,
        link_rel=None,
    )
    text = html.unescape(nh3.clean(cleaned, tags=set()))
    if not TAG.search(cleaned):
        return {"text": text}
    return {"text": text, "html": cleaned}


def block_of(row: Row, stored: list) -> dict:
    """A row's block without its children: the stored one where the row is as it was,
    else the stored one patched with what the editor changed (or a new one)."""
    original = stored_block(stored, row.origin)
    if original is not None and original.get("type") == row.type:
        unchanged = (
            same_words(row.text, shown_text(original))
            and normal(row.label) == str(original.get("label") or "")
            and normal(row.start) == shown_start(original)
            and normal(row.credit) == normal(str(original.get("credit") or ""))
            and normal(row.url) == normal(str(original.get("url") or ""))
            and [normal(a) for a in row.alts] == [normal(a) for a in shown_alts(original)]
        )
        if unchanged:
            return dict(original)
    block = dict(original) if original is not None else {"type": row.type, "text": ""}
    if block["type"] != row.type:
        for key in TYPED_KEYS - TYPE_KEYS.get(row.type, set()):
            block.pop(key, None)
    block["type"] = row.type
    block.pop("html", None)
    words = words_of(row.text, had_markup=bool(original and original.get("html")))
    block["text"] = words["text"]
    if "html" in words:
        block["html"] = words["html"]
    block.pop("label", None)
    if row.type == "note":
        block["label"] = normal(row.label)
    block.pop("start", None)
    if row.type == "list" and normal(row.start):
        block["start"] = whole_number(normal(row.start), LARGEST_START)
    if row.type == "figure":
        patch(block, "credit", normal(row.credit))
        uses = [dict(use) if isinstance(use, dict) else use for use in block.get("assets") or []]
        for use, alt in zip(uses, row.alts, strict=False):
            if isinstance(use, dict):
                use["alt"] = normal(alt)
        if uses:
            block["assets"] = uses
    if row.type in ("audio", "video", "embed"):
        patch(block, "url", normal(row.url))
    return block


def patch(block: dict, key: str, value: str) -> None:
    """Set an optional attribute, or drop it when emptied (as records are written)."""
    if value:
        block[key] = value
    else:
        block.pop(key, None)


def row_problem(row: Row, parent: str) -> str:
    """What is wrong with one row where it stands (`parent`: the type holding it)."""
    allowed = BLOCK_CHILDREN.get(parent, frozenset()) if parent else TOP_LEVEL
    if row.type not in allowed:
        where = (
            f"A {TYPE_NAMES.get(parent, parent).split(' (')[0].lower()}" if parent else "The body"
        )
        if parent and not allowed:
            return f"{where} holds no rows: move this row out (←) or change the type above."
        names = ", ".join(TYPE_NAMES[t].split(" (")[0].lower() for t in sorted(allowed))
        return f"{where} cannot hold a {TYPE_NAMES[row.type].split(' (')[0].lower()} here; it holds: {names}."
    if row.type in WORDLESS and normal(row.text):
        return (
            f"A {TYPE_NAMES[row.type].split(' (')[0].lower()} has no words of its own: "
            "put them in a row under it (→), or change its type."
        )
    if problem := markup_problem(row.text):
        return problem
    if row.type in ("paragraph", "heading", "list_item", "note") and not normal(row.text):
        return "This row has no words: type them, or delete the row."
    if row.type == "note" and not normal(row.label):
        return "A note needs the marker it has in the text (1, 2, *…)."
    if normal(row.label) and row.type != "note":
        return "Only a note has a marker: clear it, or make the row a note."
    if normal(row.start):
        if row.type != "list":
            return "Only a list starts at a number: clear it, or make the row a list."
        if whole_number(normal(row.start), LARGEST_START) is None:
            return (
                f"A numbered list starts at a whole number (1, 2… up to {LARGEST_START:,}); "
                "leave it empty for bullets."
            )
    return ""


def body_of(rows: list[Row], stored: list) -> list[dict] | None:
    """The body the rows make, built on the stored body; None (and each row's `errors`
    filled) where a row cannot be kept."""
    root: dict = {"type": "", "blocks": []}
    stack: list[tuple[dict, list[dict]]] = [(root, [])]  # (block, its children so far)
    built: list[tuple[dict, list[dict]]] = []
    ok = True
    for row in rows:
        depth = max(row.depth, 0)
        if depth >= len(stack):
            row.errors.append(
                "This row is indented deeper than the row above can hold: move it out (←)."
            )
            ok = False
            depth = len(stack) - 1
        del stack[depth + 1 :]
        parent = stack[-1][0]
        if problem := row_problem(row, parent["type"]):
            row.errors.append(problem)
            ok = False
        block = block_of(row, stored) if not row.errors else {"type": row.type}
        children: list[dict] = []
        stack[-1][1].append(block)
        stack.append((block, children))
        built.append((block, children))
    if not ok:
        return None
    for (block, children), row in zip(built, rows, strict=True):
        if children:
            block["blocks"] = children
        else:
            block.pop("blocks", None)
            if row.type in MUST_HOLD:
                name = TYPE_NAMES[row.type].split(" (")[0].lower()
                row.errors.append(f"A {name} holds nothing: add rows under it (→), or delete it.")
                ok = False
    body = stack[0][1]
    notes = [n for n, block in enumerate(body) if block.get("type") == "notes"]
    if notes and notes != [len(body) - 1]:
        for row in rows:
            if row.type == "notes" and row.depth == 0:
                row.errors.append("The notes must be the last block of the body.")
        ok = False
    return body if ok else None


# Moving rows: a row moves with the rows under it (its subtree).


def subtree_end(rows: list[Row], i: int) -> int:
    """The index just past row i and the rows under it."""
    j = i + 1
    while j < len(rows) and rows[j].depth > rows[i].depth:
        j += 1
    return j


def previous_sibling(rows: list[Row], i: int) -> int | None:
    for k in range(i - 1, -1, -1):
        if rows[k].depth < rows[i].depth:
            return None
        if rows[k].depth == rows[i].depth:
            return k
    return None


def acted(rows: list[Row], action: str, i: int) -> list[Row]:
    """The rows after a button: up, down, in (indent), out, delete, add (a paragraph after)."""
    if not rows and action == "add":
        return [Row()]
    if not 0 <= i < len(rows):
        return rows
    end = subtree_end(rows, i)
    if action == "up" and (k := previous_sibling(rows, i)) is not None:
        return rows[:k] + rows[i:end] + rows[k:i] + rows[end:]
    if action == "down" and end < len(rows) and rows[end].depth == rows[i].depth:
        after = subtree_end(rows, end)
        return rows[:i] + rows[end:after] + rows[i:end] + rows[after:]
    if action == "in" and i > 0 and rows[i - 1].depth >= rows[i].depth:
        for row in rows[i:end]:
            row.depth += 1
    elif action == "out" and rows[i].depth > 0:
        for row in rows[i:end]:
            row.depth -= 1
    elif action == "delete":
        return rows[:i] + rows[end:]
    elif action == "add":
        kind = {"list_item": "list_item", "table_cell": "table_cell", "note": "note"}.get(
            rows[i].type, "paragraph"
        )
        return rows[:end] + [Row(type=kind, depth=rows[i].depth)] + rows[end:]
    return rows
