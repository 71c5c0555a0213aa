"""The structure around a legacy page's lines: quotations, lists and data tables.

`legacy_lines.LineCollector` reads a page as styled lines without building a
tree. Alongside, a `Frames` tracker keeps the open `<blockquote>`, `<ul>`/`<ol>`,
`<li>` and table elements, and every line records the frames it sits in.
`structured` then nests the lines' blocks the way the page nested them:

- a `<blockquote>` is a quotation (nested ones nest);
- `<ul>`/`<ol>` a list of items (an `<ol>` keeps its `start`), a line outside any
  `<li>` an item of its own;
- a data table (header cells or a caption, or two rows or more of two cells
  with text; short cells; no table inside it; no quotation, list or heading in
  a cell) a table whose rows and cells are those of the page, empty cells
  included; its caption the table's text. Every other table is layout, as on
  nearly every page of such a site (the three-column grid, sidebar boxes, a
  chart with its source line), and its lines are read as if it were not there.

Nesting deeper than `MAX_DEPTH` frames is flattened into the frame at that depth
(the caller notes it), so a page nested thousands deep keeps its text.
"""

from __future__ import annotations

from html import escape

from backfile.ingest.records import Block

MAX_DEPTH = 40
STRUCTURE_TAGS = frozenset(
    ("blockquote", "ul", "ol", "li", "table", "thead", "tr", "td", "th", "caption")
)
LAYOUT_INSIDE_CELL = frozenset(
    ("blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "form", "hr", "img")
)
FRAME_TAGS = STRUCTURE_TAGS | LAYOUT_INSIDE_CELL  # the tags `Frames.start` wants to see
LONG_CELL = 400  # characters on average: past this a table holds prose, as a layout does
FLOW_CONTAINERS = ("quotation", "list_item")


class Frame:
    """One open structural element; a table's frame also gathers what decides its kind."""

    __slots__ = ("tag", "start", "table", "header", "text", "grid", "caption", "data", "boxed")

    def __init__(self, tag: str, start: int | None = None, table: Frame | None = None):
        self.tag = tag
        self.start = start
        self.table = table  # the table a row, cell or caption belongs to
        self.header = False  # a cell: <th>, or any cell of <thead>
        self.text = 0  # a cell: characters of text in it
        self.grid: list[list[Frame]] | None = None  # a table: its rows of cell frames
        self.caption = False
        self.data = False  # a table: decided when it ends
        self.boxed = False  # a table: drawn with a border (a box set in the text)


class TableState:
    __slots__ = ("frame", "nested", "layout", "head", "role")

    def __init__(self, frame: Frame, role: str):
        self.frame = frame
        self.nested = False
        self.layout = False
        self.head = False
        self.role = role


class Frames:
    """The structural elements open at the parser's position (see the module docstring)."""

    def __init__(self) -> None:
        self.open: list[Frame] = []
        self.path: tuple[Frame, ...] = ()  # `open` as a tuple, made again only when it changes
        self.tables: list[TableState] = []
        self.cell: Frame | None = None

    def start(self, tag: str, attrib) -> None:
        if tag not in STRUCTURE_TAGS:
            if tag in LAYOUT_INSIDE_CELL and self.cell is not None:
                self.tables[-1].layout = True
            return
        table = self.tables[-1] if self.tables else None
        frame = Frame(tag, table=table.frame if table else None)
        if tag == "ol":
            frame.start = _start(attrib.get("start", ""))
        elif tag == "table":
            if table is not None:
                table.nested = True
            frame.grid = []
            frame.table = None
            frame.boxed = (attrib.get("border") or "0").strip() not in ("0", "")
            self.tables.append(TableState(frame, (attrib.get("role") or "").lower()))
        elif table is not None:
            if tag in ("blockquote", "ul", "ol") and self.cell is not None:
                table.layout = True
            elif tag == "thead":
                table.head = True
            elif tag == "tr":
                table.frame.grid.append([])
            elif tag in ("td", "th"):
                if not table.frame.grid:
                    table.frame.grid.append([])
                table.frame.grid[-1].append(frame)
                frame.header = tag == "th" or table.head
                self.cell = frame
            elif tag == "caption":
                table.frame.caption = True
        self.open.append(frame)
        self.path = (*self.path, frame)

    def end(self, tag: str) -> None:
        """The element ends, and any left open inside it (the parser closes them too)."""
        opened = self.open
        for at in range(len(opened) - 1, -1, -1):
            if opened[at].tag == tag:
                break
        else:
            return
        while len(opened) > at:
            self._closed(opened.pop())
        self.path = tuple(opened)

    def _closed(self, frame: Frame) -> None:
        if frame.tag in ("td", "th"):
            self.cell = None
        elif frame.tag == "thead" and self.tables:
            self.tables[-1].head = False
        elif frame.tag == "table" and self.tables:
            state = self.tables.pop()
            frame.data = _is_data(state)

    def close(self) -> None:
        while self.open:
            self._closed(self.open.pop())
        self.path = ()


def _start(value: str) -> int:
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() and len(value) < 10 else 1


def _is_data(state: TableState) -> bool:
    if state.nested or state.layout or state.role in ("presentation", "none"):
        return False
    grid = state.frame.grid or []
    cells = [cell for row in grid for cell in row]
    if not cells or sum(c.text for c in cells) / len(cells) > LONG_CELL:
        return False
    marked = state.frame.caption or any(c.header for c in cells)
    wide_rows = sum(1 for row in grid if sum(1 for c in row if c.text) >= 2)
    return (marked and len(cells) >= 2) or wide_rows >= 2


def meaningful(frames: tuple[Frame, ...]) -> list[Frame]:
    """The frames that shape the body: quotations, lists, items, and a data table's cells."""
    path: list[Frame] = []
    for frame in frames:
        tag = frame.tag
        if tag in ("blockquote", "ul", "ol", "li"):
            path.append(frame)
        elif tag in ("td", "th", "caption") and frame.table is not None and frame.table.data:
            path.append(frame.table)
            path.append(frame)
    return path


def structured(items: list[tuple[tuple[Frame, ...], Block]]) -> tuple[list[Block], bool]:
    """The blocks nested as their frames were; True as well where nesting was flattened."""
    root = Block("quotation")  # a stand-in holding the body's top level
    stack: list[tuple[Frame | None, Block]] = [(None, root)]
    tables: dict[int, dict[int, Block]] = {}  # table frame → its cells' blocks
    flattened = False
    last_frames, path = None, []
    for frames, block in items:
        if frames is not last_frames:  # lines in the same frames share one tuple
            last_frames, path = frames, meaningful(frames)
            if len(path) > MAX_DEPTH:
                path, flattened = path[:MAX_DEPTH], True
        depth = 1
        while depth < len(stack) and depth - 1 < len(path) and stack[depth][0] is path[depth - 1]:
            depth += 1
        del stack[depth:]
        for frame in path[depth - 1 :]:
            stack.append((frame, _enter(frame, stack[-1][1], tables)))
        _add(stack[-1][1], block)
    return _pruned(root.blocks), flattened


def _enter(frame: Frame, parent: Block, tables: dict[int, dict[int, Block]]) -> Block:
    """The block a frame makes (attached to its parent), or the existing one it fills."""
    tag = frame.tag
    if tag in ("td", "th"):
        return tables[id(frame.table)][id(frame)]
    if tag == "caption":
        return parent  # the table: its text is the caption
    if tag == "table":
        cells: dict[int, Block] = {}
        rows = []
        for row in frame.grid or []:
            blocks = []
            for cell in row:
                cells[id(cell)] = Block("table_header" if cell.header else "table_cell")
                blocks.append(cells[id(cell)])
            if blocks:
                rows.append(Block("table_row", blocks=blocks))
        tables[id(frame)] = cells
        block = Block("table", blocks=rows)
    elif tag == "blockquote":
        block = Block("quotation")
    elif tag in ("ul", "ol"):
        block = Block("list", start=frame.start if tag == "ol" else None)
    else:  # li
        block = Block("list_item")
        if parent.type != "list":
            last = parent.blocks[-1] if parent.blocks else None
            if last is None or last.type != "list" or last.start is not None:
                last = Block("list")
                _attach(parent, last)
            last.blocks.append(block)
            return block
    _attach(parent, block)
    return block


def _attach(parent: Block, block: Block) -> None:
    if parent.type == "list" and block.type != "list_item":
        parent.blocks.append(Block("list_item", blocks=[block]))
    else:
        parent.blocks.append(block)


def _add(container: Block, block: Block) -> None:
    """A line's own block into the innermost container."""
    kind = container.type
    if kind in ("table_cell", "table_header", "table"):
        if block.text:
            _join(container, block)
        return
    first = kind == "list_item" and not container.text and not container.blocks
    if first and block.type == "paragraph":
        container.text, container.html = block.text, block.html
        return
    if kind == "list":
        if block.type == "paragraph":
            container.blocks.append(Block("list_item", block.text, block.html))
        elif container.blocks and block.type != "section_break":
            container.blocks[-1].blocks.append(block)
        return
    if block.type == "section_break" and (
        not container.blocks or container.blocks[-1].type == "section_break"
    ):
        return
    container.blocks.append(block)


def _join(container: Block, block: Block) -> None:
    """A cell's (or caption's) lines are one text, a line each."""
    if container.html or block.html:
        before = container.html or escape(container.text, quote=False)
        after = block.html or escape(block.text, quote=False)
        container.html = f"{before}\n{after}" if before else after
    container.text = f"{container.text}\n{block.text}" if container.text else block.text


def _pruned(blocks: list[Block]) -> list[Block]:
    """Without containers that ended up holding nothing (a quotation of images only)."""
    kept: list[Block] = []
    for block in blocks:
        if block.blocks:
            block.blocks = _pruned(block.blocks)
        if block.type in ("quotation", "list", "table_row") and not block.blocks:
            continue
        if block.type == "list_item" and not block.text and not block.blocks:
            continue
        if block.type == "table" and not any(
            cell.text for row in block.blocks for cell in row.blocks
        ):
            continue
        kept.append(block)
    while kept and kept[-1].type == "section_break":
        kept.pop()
    return kept
