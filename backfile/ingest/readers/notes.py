"""Footnotes: notes at the end of a body, linked to their markers in the text.

Every reader ends its body with `link_notes`, so a legacy page, a WordPress post
and a page capture agree on what a note is. Working on blocks, not on a source's
markup, it finds:

- the notes: the blocks after a heading that names them (`Notes`, `Footnotes`,
  `Endnotes`, `References`, `Sources`; `Notas`, `Notas al pie`, `Referencias`,
  `Fuentes`), each a paragraph that starts with its marker (`[1]`, `1.`, `(1)`,
  a superscript `1`, `*`, `†`) or an item of a list (numbered from the list's
  start); or, with no such heading, a run of paragraphs at the very end that each
  start with a bracketed, superscript or symbol marker the text uses too. A
  paragraph without a marker inside the notes continues the note before it.
- the markers: `[1]` in the text, a superscript `<sup>1</sup>`, a link whose
  words are a marker (`<a href="#fn1">[1]</a>`), and `*`/`†` right after a word,
  each for a note that exists. A marker becomes `<a href="#note-N">` in the
  block's `html` (N counts the notes from 1); the plain text keeps the marker as
  printed.

The notes become one `notes` block, the last of the body, holding a `note` per
marker with its `label`; the heading that named them is the notes block's text.
Where nothing matches, the blocks come back unchanged.
"""

from __future__ import annotations

import re
from html import escape

from backfile.ingest.records import Block

NOTES_HEADING = re.compile(
    r"^(?:(?:foot|end)?notes|references|sources|notes and references|"
    r"notas(?: al pie)?|referencias|fuentes|notas y referencias)\s*:?$",
    re.IGNORECASE,
)
# What NOTES_HEADING's words start with (a quick test first: most paragraphs are not one).
HEADING_INITIALS = "fFeEnNrRsS\u017f"
LABEL = r"\d{1,3}|[*]{1,4}|[†‡§]{1,2}"
# A note's opening: `[1] …`, `(1) …`, `1. …`, `1) …`, `* …`, `† …`.
NOTE_OPENING = re.compile(
    rf"^(?:\[(?P<bracket>{LABEL})\]|\((?P<paren>\d{{1,3}})\)|(?P<number>\d{{1,3}})[.)]"
    rf"|(?P<symbol>[*]{{1,4}}|[†‡§]{{1,2}})(?=\s))\s*"
)
SUP_OPENING = re.compile(rf"^\s*<sup>\s*\[?(?P<label>{LABEL})\]?\s*</sup>\s*")
LINK_OPENING = re.compile(
    rf"^\s*<a\b[^>]*>\s*(?:<sup>)?\s*\[?(?P<label>{LABEL})\]?\s*(?:</sup>)?\s*</a>\s*"
)
BACK_LINK = re.compile(r"\s*(?:<a\b[^>]*>\s*)?[↩↑^][\ufe0e\ufe0f]?(?:\s*</a>)?\s*$")
TAG_OR_LINK = re.compile(r"(<a\b[^>]*>.*?</a>|<[^>]+>)", re.DOTALL)
SYMBOL_MARKER = re.compile(r"(?<=[\w.,;:!?\"”’')\]])([*]{1,4}|[†‡§]{1,2})(?![\w*†‡§])")
BRACKET_MARKER = re.compile(r"\[(\d{1,3}|[*]{1,4}|[†‡§]{1,2})\]")
TEXT_BEARING = frozenset(("paragraph", "heading", "list_item", "table_header", "table_cell"))


def link_notes(blocks: list[Block]) -> list[Block]:
    """The body with its notes gathered at the end and their markers linked."""
    if not blocks or not _may_have_notes(blocks):
        return blocks
    found = _notes_with_heading(blocks) or _notes_without_heading(blocks)
    if found is None:
        return blocks
    at, heading, notes = found
    body = blocks[:at]
    ordinals: dict[str, int] = {}
    for number, note in enumerate(notes, start=1):
        ordinals.setdefault(note.label, number)
    for block in body:
        _link_markers(block, ordinals)
    return [*body, Block("notes", heading, blocks=notes)]


def _may_have_notes(blocks: list[Block]) -> bool:
    """A cheap look at the end of the body: most bodies have no notes at all."""
    for block in blocks[-60:]:
        text = block.text
        if block.type == "heading" or block.type == "list":
            return True
        if text[:1] in "[(*†‡§" or text[:1].isdigit() or "<sup>" in block.html[:40]:
            return True
        if block.type == "paragraph" and _notes_heading(text):
            return True
    return False


def _notes_heading(text: str) -> bool:
    return text[:1] in HEADING_INITIALS and NOTES_HEADING.match(text) is not None


def _notes_with_heading(blocks: list[Block]) -> tuple[int, str, list[Block]] | None:
    for at in range(len(blocks) - 2, -1, -1):
        block = blocks[at]
        if block.type in ("heading", "paragraph") and _notes_heading(block.text.strip()):
            notes = _read_notes(blocks[at + 1 :], loose=True)
            return (at, block.text.strip(), notes) if notes else None
    return None


def _notes_without_heading(blocks: list[Block]) -> tuple[int, str, list[Block]] | None:
    """A run of marked paragraphs (or one list) at the very end, whose markers the text uses."""
    start = len(blocks)
    while (
        start > 0 and blocks[start - 1].type == "paragraph" and _opening(blocks[start - 1], False)
    ):
        start -= 1
    if start == len(blocks) and blocks[-1].type == "list" and blocks[-1].start is not None:
        start -= 1
    if start == len(blocks) or start == 0:
        return None
    notes = _read_notes(blocks[start:], loose=False)
    if not notes:
        return None
    used = _used_labels(blocks[:start])
    if not all(note.label in used for note in notes):
        return None
    return start, "", notes


def _read_notes(region: list[Block], loose: bool) -> list[Block]:
    """Notes from the blocks of the notes region; [] when something there is not a note."""
    notes: list[Block] = []
    for block in region:
        if block.type == "list":
            for offset, item in enumerate(block.blocks):
                note = _note_of(item, loose=True)
                if note is None:
                    label = str((block.start or 1) + offset) if block.start is not None else ""
                    if not label:
                        return []
                    text = BACK_LINK.sub("", item.text).strip()
                    note = Block(
                        "note", text, _clean_back_link(item.html), item.blocks, label=label
                    )
                notes.append(note)
            continue
        if block.type != "paragraph":
            return []
        note = _note_of(block, loose)
        if note is not None:
            notes.append(note)
        elif notes:
            notes[-1].blocks.append(block)
        else:
            return []
    return notes


def _opening(block: Block, loose: bool) -> tuple[str, str, str] | None:
    """(label, the rest as text, the rest as html) when the block starts with a marker."""
    html = block.html
    for pattern in (SUP_OPENING, LINK_OPENING):
        match = pattern.match(html) if html else None
        if match:
            label = match["label"]
            rest_text = _after_label(block.text, label)
            return label, rest_text, html[match.end() :]
    match = NOTE_OPENING.match(block.text)
    if match is None or (match["number"] or match["paren"]) and not loose:
        return None
    label = match["bracket"] or match["paren"] or match["number"] or match["symbol"]
    rest = block.text[match.end() :]
    if not rest.strip():
        return None
    rest_html = ""
    if html:
        plain = re.escape(escape(block.text[: match.end()].strip(), quote=False))
        rest_html = re.sub(rf"^\s*(<(?:em|i|strong|b)>)?\s*{plain}\s*", r"\1", html, count=1)
    return label, rest, rest_html


def _after_label(text: str, label: str) -> str:
    stripped = text.lstrip()
    for opening in (f"[{label}]", label):
        if stripped.startswith(opening):
            return stripped[len(opening) :].lstrip()
    return stripped


def _note_of(block: Block, loose: bool) -> Block | None:
    opening = _opening(block, loose)
    if opening is None:
        return None
    label, text, html = opening
    text = BACK_LINK.sub("", text)
    return Block("note", text.strip(), _clean_back_link(html), list(block.blocks), label=label)


def _clean_back_link(html: str) -> str:
    """The note's markup without a back-link arrow; "" where no markup is left."""
    html = BACK_LINK.sub("", html).strip() if html else ""
    return html if "<" in html else ""


def _used_labels(blocks: list[Block]) -> set[str]:
    used: set[str] = set()
    for block in _text_blocks(blocks):
        used.update(BRACKET_MARKER.findall(block.text))
        used.update(SYMBOL_MARKER.findall(block.text))
        used.update(re.findall(rf"<sup>\s*(?:<a\b[^>]*>)?\s*\[?({LABEL})\]?", block.html))
    return used


def _text_blocks(blocks: list[Block]):
    for block in blocks:
        if block.type in TEXT_BEARING or block.type == "table" and block.text:
            yield block
        if block.blocks:
            yield from _text_blocks(block.blocks)


def _link_markers(block: Block, ordinals: dict[str, int]) -> None:
    for each in _text_blocks([block]):
        html = each.html or escape(each.text, quote=False)
        linked = _linked_html(html, ordinals)
        if linked != html:
            each.html = linked


def _linked_html(html: str, ordinals: dict[str, int]) -> str:
    def href(label: str) -> str:
        return f'<a href="#note-{ordinals[label]}">'

    def link(match: re.Match) -> str:
        part = match.group(0)
        if part.startswith("<a"):
            marker = re.fullmatch(
                rf'<a\b[^>]*href="[^"]*#[^"]*"[^>]*>(\s*(?:<sup>)?\s*\[?({LABEL})\]?\s*(?:</sup>)?\s*)</a>',
                part,
            )
            if marker and marker[2] in ordinals:
                return f"{href(marker[2])}{marker[1]}</a>"
        return part

    html = TAG_OR_LINK.sub(link, html)
    html = re.sub(
        rf"<sup>(\s*\[?({LABEL})\]?\s*)</sup>",
        lambda m: f"<sup>{href(m[2])}{m[1]}</a></sup>" if m[2] in ordinals else m[0],
        html,
    )
    pieces = TAG_OR_LINK.split(html)
    inside_sup = False
    for index, piece in enumerate(pieces):
        if index % 2:
            inside_sup = piece == "<sup>" or (inside_sup and piece != "</sup>")
            continue
        if inside_sup or not piece:
            continue
        piece = BRACKET_MARKER.sub(
            lambda m: f"{href(m[1])}{m[0]}</a>" if m[1] in ordinals else m[0], piece
        )
        pieces[index] = SYMBOL_MARKER.sub(
            lambda m: f"{href(m[1])}{m[1]}</a>" if m[1] in ordinals else m[1], piece
        )
    return "".join(pieces)
