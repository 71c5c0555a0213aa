"""An HTML fragment as article blocks: paragraphs, headings, quotations, lists, tables, notes.

Any reader whose source body is HTML (a WordPress post, a legacy site's page)
turns it into `Block`s here, so every reader agrees on what a paragraph is.

- `<p>` and loose text become paragraphs; `<h1>`-`<h6>` headings; `<blockquote>`
  a quotation holding its own blocks (nested quotations nest); `<hr>` and a
  paragraph of nothing but `* * *` or `- - - -` a section break.
- `<ul>` and `<ol>` become lists (an `<ol>` keeps its `start`), each `<li>` an item
  whose first paragraph is its text and whose nested lists and further
  paragraphs are its blocks.
- A data table (a caption, header cells, or two rows or more of two cells or
  more with short text, and no table inside it) becomes a table of rows of header
  and plain cells, its caption the table's text. Any other table (a layout
  table: one column, a sidebar box, the page's own grid) is read as the blocks it
  holds, as if it were a `<div>`.
- Notes at the end and their markers in the text are linked (`notes.link_notes`).
- With `autop=True` loose text is split the way WordPress's `wpautop` does it:
  a blank line ends a paragraph and a single newline is a line break. WordPress
  writes classic posts that way, without `<p>` tags.
- `Block.text` is plain text: entities decoded, runs of ASCII whitespace collapsed
  as a browser collapses them (no-break spaces, zero-width and direction marks are
  kept exactly), `<br>` as a newline. `Block.html` is set only where the source
  had inline markup worth keeping (italics, bold, links, superscripts), sanitised
  with nh3 to `em i strong b sup sub a[href]`; line breaks are newlines there too,
  as in `text`.
- Scripts, styles, embeds, images and forms contribute nothing (their tail text stays).
- Markup nested deeper than `MAX_DEPTH` (HTML nested thousands deep, which the
  parser would cut off at 256 levels and the blocks could not hold) is flattened:
  its text is kept as plain paragraphs, and a note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape, unescape

import lxml.html
import nh3
from lxml import etree

from backfile.ingest.readers.notes import link_notes
from backfile.ingest.records import Block

KEPT_MARKUP = {"em", "i", "strong", "b", "sup", "sub", "a"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol"}
DROPPED = {
    "script", "style", "iframe", "object", "embed", "video", "audio", "noscript", "form",
    "button", "input", "select", "textarea", "svg", "math", "template", "head", "title",
    "meta", "link", "canvas", "map", "img", "picture", "source", "track", "param",
}  # fmt: skip
BLOCK_LEVEL = {
    "p", "blockquote", "hr", "pre", "div", "section", "article", "aside", "header", "footer",
    "main", "nav", "figure", "figcaption", "li", "dd", "dt", "dl", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "caption", "center", "details", "summary", "address",
    "fieldset", "hgroup", "body", "html", "legend",
} | HEADINGS | LISTS  # fmt: skip

ASCII_WHITESPACE = " \t\n\r\f"  # what HTML collapses; no-break and zero-width spaces are text
ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
BLANK_LINE = re.compile(r"\n[ \t\r\f]*\n")
DOUBLE_SPACE = re.compile(r" {2,}")
SPACED_BREAK = re.compile(r" ?\n ?")
SECTION_BREAK = re.compile(r"[\s*\-\u2013\u2014_\u00b7\u2022~=#]+")

MAX_DEPTH = 40  # elements within elements; a quotation within quotations 40 deep is plenty
TAG = re.compile(r"<[^>]*>?")
BLOCK_TAG = re.compile(
    r"</?(?:" + "|".join(sorted(BLOCK_LEVEL - {"body", "html"})) + r"|br)\b[^>]*>", re.I
)
FLATTENED_NOTE = (
    "the body's markup was nested more than {depth} levels deep; its text is kept "
    "as plain paragraphs, without its structure"
)

_parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_cleaner = nh3.Cleaner(tags=KEPT_MARKUP, attributes={"a": {"href"}}, link_rel=None)

# A run of inline content is a list of tokens: text (str), a line break, or a
# kept tag opening/closing.
BREAK = ("br",)


def html_to_blocks(
    fragment: str, *, autop: bool = False, notes: list[str] | None = None
) -> list[Block]:
    """The blocks of an HTML fragment, in reading order. Markup nested too deep is
    flattened to paragraphs, with a note added to `notes` where given."""
    root = _parse(fragment)
    if root is None:
        return []
    if fragment.count("<") > MAX_DEPTH and _too_deep(root):
        if notes is not None:
            notes.append(FLATTENED_NOTE.format(depth=MAX_DEPTH))
        return flattened_blocks(fragment)
    return link_notes(element_to_blocks(root, autop=autop))


def _too_deep(root: etree._Element) -> bool:
    """Is any element more than MAX_DEPTH inside the root? (Also true where the parser
    stopped at its own limit, 256, and dropped what was deeper.)"""
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def flattened_blocks(fragment: str) -> list[Block]:
    """The text of a fragment as paragraphs, read without a tree: block-level tags end a
    paragraph, other tags are dropped, entities decoded."""
    plain = TAG.sub("", BLOCK_TAG.sub("\n\n", fragment))
    blocks = []
    for part in BLANK_LINE.split(unescape(plain)):
        text = ASCII_SPACE.sub(" ", part).strip(" ")
        if text:
            blocks.append(Block("paragraph", text))
    return blocks


def element_to_blocks(element: etree._Element, *, autop: bool = False) -> list[Block]:
    """The blocks of an already parsed element's content (a page's article body, say)."""
    return _Container(kind="paragraph", autop=autop).read(element)


def html_to_text(fragment: str) -> str:
    """A short piece of HTML (a title, a name, a category) as one line of plain text."""
    if "<" not in fragment and "&" not in fragment:
        return ASCII_SPACE.sub(" ", fragment).strip(" ")
    root = _parse(fragment)
    if root is None:
        return ""
    tokens: list = []
    _inline(root, tokens, keep_text_of_root=True)
    text = "".join(" " if t is BREAK else t for t in tokens if t is BREAK or isinstance(t, str))
    return ASCII_SPACE.sub(" ", text).strip(" ")


def _parse(fragment: str) -> etree._Element | None:
    if not fragment or not fragment.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div", parser=_parser)
    except etree.ParserError:  # nothing but comments or whitespace
        return None


class _Container:
    """Reads one block-level element's children, gathering inline content into runs."""

    def __init__(self, kind: str, autop: bool, preserve: bool = False):
        self.kind = kind  # the type of block a run becomes: paragraph or heading
        self.autop = autop
        self.preserve = preserve  # <pre>: spaces and newlines as written
        self.blocks: list[Block] = []
        self.run: list = []

    def read(self, element: etree._Element) -> list[Block]:
        self.loose_text(element.text)
        for child in element:
            self.child(child)
            self.loose_text(child.tail)
        self.flush()
        return self.blocks

    def loose_text(self, text: str | None) -> None:
        if not text:
            return
        if self.preserve:
            _add_text_with_breaks(text, self.run)
        elif self.autop:
            for index, part in enumerate(BLANK_LINE.split(text)):
                if index:
                    self.flush()
                _add_text_with_breaks(part, self.run)
        else:
            self.run.append(text)

    def child(self, child: etree._Element) -> None:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or tag in DROPPED:
            return
        if tag not in BLOCK_LEVEL and not _holds_blocks(child):
            _inline(child, self.run)
            return
        self.flush()
        self.blocks.extend(_blocks_of(child, tag, self))

    def flush(self) -> None:
        block = _block_from_run(self.kind, self.run, self.preserve)
        if block is not None:
            self.blocks.append(block)
        self.run = []


def _blocks_of(element: etree._Element, tag: str, parent: _Container) -> list[Block]:
    if tag == "hr":
        return [Block("section_break")]
    if tag == "blockquote":
        inner = _Container("paragraph", parent.autop).read(element)
        return [Block("quotation", blocks=inner)] if inner else []
    if tag in LISTS:
        return _list_blocks(element, numbered=tag == "ol", autop=parent.autop)
    if tag == "table" and _is_data_table(element):
        return _table_blocks(element)
    if tag == "figure" and (captioned := _captioned_table(element)):
        return captioned
    if tag == "p":
        return _Container(parent.kind, autop=False).read(element)
    if tag in HEADINGS:
        return _Container("heading", autop=False).read(element)
    if tag == "pre":
        return _Container("paragraph", autop=False, preserve=True).read(element)
    return _Container(parent.kind, parent.autop, parent.preserve).read(element)


def _list_blocks(element: etree._Element, numbered: bool, autop: bool) -> list[Block]:
    """A list of items; what stands loose in the list (text, a list not inside an item)
    joins the item before it, or makes an item of its own."""
    items: list[Block] = []
    outside = _Container("paragraph", autop)
    outside.loose_text(element.text)

    def take_outside() -> None:
        outside.flush()
        for block in outside.blocks:
            if block.type == "paragraph":
                items.append(_item([block]))
            elif items:
                items[-1].blocks.append(block)
            else:
                items.append(Block("list_item", blocks=[block]))
        outside.blocks = []

    for child in element:
        if child.tag == "li":
            take_outside()
            content = _Container("paragraph", autop).read(child)
            if content:
                items.append(_item(content))
        else:
            outside.child(child)
        outside.loose_text(child.tail)
    take_outside()
    if not items:
        return []
    return [Block("list", blocks=items, start=_list_start(element) if numbered else None)]


def _item(content: list[Block]) -> Block:
    """A list item: its first paragraph's words are its own, the rest its blocks."""
    first, *rest = content
    if first.type == "paragraph":
        return Block("list_item", first.text, first.html, rest)
    return Block("list_item", blocks=content)


def _list_start(element: etree._Element) -> int:
    try:
        return int(element.get("start", "1"))
    except ValueError:
        return 1


TABLE_SECTIONS = {"thead", "tbody", "tfoot"}
LONG_CELL = 400  # characters: past this on average a "table" is a page's layout


def _rows(table: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """The table's own rows (not a nested table's), each with whether it is in <thead>."""
    for child in table:
        if child.tag == "tr":
            yield child, False
        elif child.tag in TABLE_SECTIONS:
            yield from ((row, child.tag == "thead") for row in child if row.tag == "tr")


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _is_data_table(table: etree._Element) -> bool:
    """Tables of data, not of layout: see the module docstring."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return False
    if any(True for _ in table.iterdescendants("table")):
        return False
    rows = [_cells(row) for row, _ in _rows(table)]
    cells = [cell for row in rows for cell in row]
    if not cells or any(_holds_layout(cell) for cell in cells):
        return False
    texts = [len("".join(cell.itertext()).strip()) for cell in cells]
    if sum(texts) / len(texts) > LONG_CELL:
        return False
    marked = table.find("caption") is not None or any(c.tag == "th" for c in cells)
    wide_rows = sum(1 for row in rows if sum(1 for c in row if "".join(c.itertext()).strip()) >= 2)
    return (marked and len(cells) >= 2) or wide_rows >= 2


def _holds_layout(cell: etree._Element) -> bool:
    """A cell holding quotations, lists or headings is a box of the page, not a datum."""
    return any(
        isinstance(e.tag, str) and e.tag in LAYOUT_INSIDE_CELL for e in cell.iterdescendants()
    )


LAYOUT_INSIDE_CELL = {"blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "form", "hr"}


def _table_blocks(table: etree._Element) -> list[Block]:
    rows = []
    for row, in_head in _rows(table):
        cells = [_cell(cell, header=in_head or cell.tag == "th") for cell in _cells(row)]
        if cells:
            rows.append(Block("table_row", blocks=cells))
    if not rows or not any(cell.text for row in rows for cell in row.blocks):
        return []
    caption = table.find("caption")
    text, html = (
        _joined(_Container("paragraph", False).read(caption)) if caption is not None else ("", "")
    )
    return [Block("table", text, html, rows)]


def _captioned_table(figure: etree._Element) -> list[Block]:
    """A figure of one data table and its figcaption (WordPress's table block): the
    figcaption is the table's caption."""
    caption = figure.find("figcaption")
    tables = list(figure.iter("table"))
    if caption is None or len(tables) != 1 or tables[0].find("caption") is not None:
        return []
    if not _is_data_table(tables[0]):
        return []
    blocks = _table_blocks(tables[0])
    if blocks:
        blocks[0].text, blocks[0].html = _joined(_Container("paragraph", False).read(caption))
    return blocks


def _cell(cell: etree._Element, header: bool) -> Block:
    text, html = _joined(_Container("paragraph", False).read(cell))
    return Block("table_header" if header else "table_cell", text, html)


def _joined(blocks: list[Block]) -> tuple[str, str]:
    """Blocks as one run of text (a cell's or a caption's), a line each."""
    texts = [b.text for b in blocks if b.text]
    text = "\n".join(texts)
    if not any(b.html for b in blocks):
        return text, ""
    return text, "\n".join(b.html or escape(b.text, quote=False) for b in blocks if b.text)


def _holds_blocks(element: etree._Element) -> bool:
    """An inline element wrapping paragraphs (`<span><p>…</p></span>`) is read as a container."""
    return any(isinstance(e.tag, str) and e.tag in BLOCK_LEVEL for e in element.iterdescendants())


def _inline(element: etree._Element, run: list, keep_text_of_root: bool = False) -> None:
    """Append an inline element's content to `run`: text, kept tags, line breaks."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if not keep_text_of_root and (not tag or tag in DROPPED):
        return
    if tag == "br":
        run.append(BREAK)
        return
    kept = tag in KEPT_MARKUP and not keep_text_of_root
    if kept:
        run.append(("open", tag, element.get("href", "") if tag == "a" else ""))
    if element.text:
        run.append(element.text)
    for child in element:
        _inline(child, run)
        if child.tail:
            run.append(child.tail)
    if kept:
        run.append(("close", tag))


def _add_text_with_breaks(text: str, run: list) -> None:
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(BREAK)
        if line:
            run.append(line)


def _block_from_run(kind: str, run: list, preserve: bool) -> Block | None:
    text_parts: list[str] = []
    html_parts: list[str] = []
    marked = False
    for token in _trimmed(run):
        if isinstance(token, str):
            piece = token if preserve else ASCII_SPACE.sub(" ", token)
            text_parts.append(piece)
            html_parts.append(escape(piece, quote=False))
        elif token is BREAK:
            text_parts.append("\n")
            html_parts.append("\n")
        elif token[0] == "open":
            html_parts.append(_open_tag(token[1], token[2]))
            marked = True
        else:
            html_parts.append(f"</{token[1]}>")
    text = "".join(text_parts)
    if not preserve:
        text = SPACED_BREAK.sub("\n", DOUBLE_SPACE.sub(" ", text))
    text = text.strip("\n" if preserve else " \n")
    if not text.strip():
        return None
    if kind == "paragraph" and _is_section_break(text):
        return Block("section_break")
    html = _cleaner.clean("".join(html_parts).strip(" \n")) if marked else ""
    return Block(kind, text, html)


def _trimmed(run: list) -> list:
    """The run without line breaks and blank text at its two ends."""

    def blank(token) -> bool:
        return token is BREAK or (isinstance(token, str) and not token.strip(ASCII_WHITESPACE))

    start, end = 0, len(run)
    while start < end and blank(run[start]):
        start += 1
    while end > start and blank(run[end - 1]):
        end -= 1
    return run[start:end]


def _open_tag(tag: str, href: str) -> str:
    if tag == "a":
        return f'<a href="{escape(href)}">' if href else "<a>"
    return f"<{tag}>"


def _is_section_break(text: str) -> bool:
    """`* * *`, `- - - -`, `***`: a typed-out break between sections of an article."""
    return bool(SECTION_BREAK.fullmatch(text)) and len(re.sub(r"\s", "", text)) >= 3
