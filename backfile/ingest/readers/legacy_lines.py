"""A legacy page's text as styled lines, read by an lxml parser target without a tree.

The site's layout is made with <font> tags (see `legacy_page`): `page_lines` turns a
page's HTML into `Line`s, each with its runs of text and their inline style (size,
sans-serif face, bold, italic, link, superscript), the anchors and linked images in it,
and the quotations, lists and tables it sits in (`legacy_structure.Frames`). Only the
content column is kept where the page has the site's three-column layout.
`is_navigation` tells a line that only finds the way around the site.
"""

from __future__ import annotations

import posixpath
import re
import threading
import urllib.parse
from html import escape

from lxml import etree

from backfile.ingest.readers.legacy_structure import FRAME_TAGS, STRUCTURE_TAGS, Frames

BOLD_BEFORE_PARAGRAPH = re.compile(r"<b>(\s*)<p\b([^>]*)>", re.I)
# A tag left without its `>` before the next one (`<blockquote<B>`, `<p<font …>`): closed;
# and `</br>`, which browsers read as `<br>` and libxml2 drops (one pass for both).
UNCLOSED_TAG = re.compile(r"<(?:(/?[A-Za-z][A-Za-z0-9]{0,15})(?=<[/A-Za-z])|/[bB][rR]\s*>)")
NAVIGATION = re.compile(r"^(?:other|including|more)\b.*\bbelow(?: on)?:?$|^back to the top$", re.I)
NAVIGATION_INITIALS = (
    "oOiImMbB\u0130\u0131"  # what NAVIGATION's lines can start with (a quick test)
)
NAVIGATION_WORDS = 8  # a line of links longer than this is text, whatever it links to
WORDLIKE = re.compile(r"\w", re.UNICODE)  # unlinked words make a line text, not navigation
# … but for these, leading to a link (`Return to the <a>main page</a>`, `Volver a la <a>portada</a>`)
LEADING_TO_A_LINK = frozenset({
    "return", "back", "go", "to", "the", "a", "al", "la", "el", "le", "à", "zur", "zum",
    "volver", "regresar", "ir", "retour",
})  # fmt: skip
ONWARD = re.compile(r"-+>|<-+|>>|<<|[»«›‹→←]")
INDEX_NAME = re.compile(r"(?:index|default|home|main)(?:\.\w+)?$", re.I)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "hr",
        "center",
        "form",
        "caption",
    ]
)
HIDDEN_TAGS = frozenset(("script", "style", "noscript", "title", "head", "select"))
BREAK_TAGS = BLOCK_TAGS | {"br"}  # tags that end the line before them


# The inline formatting in force at a point of the page, as a plain tuple for speed:
# (font size, sans-serif face, bold, italic, link target, hidden, superscript, in a heading).
Style = tuple[int, bool, bool, bool, str, bool, bool, bool]
PLAIN: Style = (0, False, False, False, "", False, False, False)
HIDDEN: Style = (0, False, False, False, "", True, False, False)
SIZE, SANS, BOLD, ITALIC, HREF = range(5)
SUP, HEADING = 6, 7
BOLD_TAGS = frozenset(("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"))
# A heading's type as the <font> size a browser sets it in (h1 twice the text's size, 6;
# h4 the text's own, 3): a site set in headings reads as one set in <font>s.
HEADING_SIZES = {"h1": 6, "h2": 5, "h3": 4, "h4": 3, "h5": 2, "h6": 1}
ITALIC_TAGS = frozenset(("i", "em", "cite"))
# Tags `LineCollector.start` looks at beyond the stack (most tags of a page, `p`, `tr`,
# `table`, `br`, only push the style in force).
STYLING_TAGS = BOLD_TAGS | ITALIC_TAGS | HIDDEN_TAGS | {"font", "a", "sup", "img", "td", "html"}


class Line:
    """Text between two block boundaries (paragraph, line break, table cell), with its runs."""

    __slots__ = (
        "runs", "text", "anchors", "image_links", "style", "size", "all_bold", "links", "frames",
        "broken", "divs",
    )  # fmt: skip

    def __init__(
        self,
        runs: list[tuple[str, Style]],
        text: str,
        anchors=(),
        image_links=(),
        frames=(),
        divs=(),
    ):
        self.frames = frames  # the quotations, lists and tables it sits in (legacy_structure)
        self.divs = divs  # the `<div>`s it sits in, numbered in the page's order (legacy_column)
        self.broken = False  # ended by one `<br>`: the next line goes on in the same block
        self.runs = runs
        self.text = text
        # (the collector hands over lists of its own, made afresh for the next line)
        self.anchors = anchors if type(anchors) is list else list(anchors)
        self.image_links = image_links if type(image_links) is list else list(image_links)
        if len(runs) == 1 and not runs[0][0].isspace():  # most lines: one run, one style
            style = self.style = runs[0][1]
            self.all_bold = style[BOLD]
            self.links = [style[HREF]] if style[HREF] else []
        else:
            inked = [style for chunk, style in runs if not chunk.isspace()]
            self.style = inked[0] if inked else PLAIN
            self.all_bold = all(style[BOLD] for style in inked)
            self.links = list(dict.fromkeys(style[HREF] for style in inked if style[HREF]))
        self.size = self.style[SIZE] or 3

    def link_share(self) -> float:
        linked = sum(len(chunk.strip()) for chunk, style in self.runs if style[HREF])
        return linked / max(1, len(self.text))

    def bold_prefix(self) -> str:
        prefix = []
        for chunk, style in self.runs:
            if not style[BOLD]:
                break
            prefix.append(chunk)
        return " ".join("".join(prefix).split())

    def html(self) -> str:
        """A small fragment with <em>, <strong>, <sup> and <a href> kept; "" when the line is
        plain. A line bold throughout is not marked here (a heading, a standfirst)."""
        if len(self.runs) == 1 and not (self.style[ITALIC] or self.style[HREF]):
            return ""  # one run of one style, bold or not: nothing to mark
        marked = any(s[ITALIC] or s[HREF] or s[SUP] for c, s in self.runs if not c.isspace())
        if not marked and (self.all_bold or not any(s[BOLD] for _, s in self.runs)):
            return ""
        pieces: list[str] = []
        for chunk, style in self.runs:
            piece = escape(chunk, quote=False)
            if style[ITALIC]:
                piece = f"<em>{piece}</em>"
            if style[SUP] and not chunk.isspace():
                piece = f"<sup>{piece}</sup>"
            if style[BOLD] and not self.all_bold:
                piece = f"<strong>{piece}</strong>"
            if style[HREF]:
                piece = f'<a href="{escape(style[HREF])}">{piece}</a>'
            pieces.append(piece)
        html = INLINE_REPEAT.sub(r"\2", "".join(pieces))
        return " ".join(html.split())


INLINE_REPEAT = re.compile(r"</(em|strong|sup)>(\s*)<\1>")


class LineCollector:
    """An lxml parser target: the page's text as Lines, without building a tree.

    Only the content column (the 480-pixel cell of the site's three-column
    layout) is kept where there is one; a bare fragment is read whole. One
    collector serves every page its parser reads (reset before each
    page): lxml inspects a target's methods whenever a parser is made, which
    cost more than a tenth of reading a page.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.lines: list[Line] = []
        self.runs: list[tuple[str, Style]] = []
        self.anchors: list[str] = []
        self.images: list[str] = []
        self.stack: list[Style] = []
        self.style: Style = PLAIN
        self.column: list[int] = []  # [depth, first line, end line]
        self.title: list[str] = []
        self.in_title = False
        self.frames = Frames()
        self.divs: tuple[int, ...] = ()  # the `<div>`s open here, each by its number
        self.divs_seen = 0
        self.language = ""  # the page's own `<html lang>`, if any
        # (lines, depth) just after a `</p>` ended a line: see `data`
        self.paragraph_end: tuple[int, int] | None = None

    def start(self, tag: str, attrib) -> None:
        if tag in BREAK_TAGS:
            self.paragraph_end = None
            if self.runs or self.images:
                self.flush()
                if tag == "br":
                    self.lines[-1].broken = True
            elif tag == "br" and self.lines:
                self.lines[-1].broken = False  # a second `<br>` ends the block
        style = self.style
        self.stack.append(style)
        if tag == "div":
            self.divs_seen += 1
            self.divs = (*self.divs, self.divs_seen)
        if tag in FRAME_TAGS:
            self.frames.start(tag, attrib)
        if tag not in STYLING_TAGS:
            return
        if tag == "font":
            size, face = attrib.get("size", ""), attrib.get("face", "").lower()
            style = (
                int(size) if size.isdigit() else style[SIZE],
                ("arial" in face or "sans" in face) if face else style[SANS],
                *style[BOLD:],
            )
        elif tag in BOLD_TAGS:
            if tag in HEADING_SIZES:  # (`<h2>`: a heading, whatever its <font>s say of its size)
                style = (HEADING_SIZES[tag], *style[SANS:BOLD], True, *style[ITALIC:HEADING], True)
            else:
                style = (*style[:BOLD], True, *style[ITALIC:])
        elif tag in ITALIC_TAGS:
            style = (*style[:ITALIC], True, *style[HREF:])
        elif tag == "a":
            if attrib.get("href"):
                style = (*style[:HREF], attrib["href"].strip(), *style[5:])
            if attrib.get("name"):
                self.anchors.append(attrib["name"])
        elif tag == "sup":
            style = (*style[:SUP], True, *style[HEADING:])
        elif tag == "img" and style[HREF]:
            self.images.append(style[HREF])
        elif tag == "td" and not self.column and attrib.get("width") == "480":
            self.column = [len(self.stack), len(self.lines)]
        elif tag == "html":
            self.language = attrib.get("lang") or attrib.get("xml:lang") or ""
        elif tag in HIDDEN_TAGS:
            style = HIDDEN
            self.in_title = tag == "title"
        self.style = style

    def end(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.paragraph_end = None
            if self.runs or self.images:
                self.flush()
                if tag == "p":
                    self.paragraph_end = (len(self.lines), len(self.stack) - 1)
            if len(self.column) == 2 and tag == "td" and len(self.stack) == self.column[0]:
                self.column.append(len(self.lines))
            if tag == "div" and self.divs:
                self.divs = self.divs[:-1]
        if tag in STRUCTURE_TAGS:
            self.frames.end(tag)
        self.style = self.stack.pop() if self.stack else PLAIN
        if tag == "title":
            self.in_title = False

    def data(self, text: str) -> None:
        if not self.style[5]:
            if self.runs:
                self.runs.append((text, self.style))
            elif not text.isspace():  # space before a line's first word is nothing
                if self.paragraph_end is not None and self._goes_on(text):
                    line = self.lines.pop()  # the paragraph was not over: it goes on
                    self.runs, self.anchors = line.runs, line.anchors + self.anchors
                    self.images = line.image_links + self.images
                self.runs.append((text, self.style))
        elif self.in_title:
            self.title.append(text)

    def _goes_on(self, text: str) -> bool:
        """Text straight after an inline end tag that closed the paragraph around it
        (`<p>… <i><font>Capital.</i></font>"Therefore…</p>`: libxml2 matches the stray
        `</font>` with one enclosing the `<p>`, and ends the `<p>`; a browser keeps the
        paragraph whole): no space before it, only inline end tags since the `</p>`."""
        lines, depth = self.paragraph_end
        self.paragraph_end = None
        return lines == len(self.lines) and len(self.stack) < depth and not text[0].isspace()

    def flush(self) -> None:
        runs = self.runs
        if not runs and not self.images:
            return
        written = runs[0][0] if len(runs) == 1 else "".join([chunk for chunk, _ in runs])
        text = collapsed(written)
        if text and self.frames.cell is not None:
            self.frames.cell.text += len(text)  # what decides a data table from a layout one
        if text or self.images:
            self.lines.append(
                Line(runs, text, self.anchors, self.images, self.frames.path, self.divs)
            )
            self.anchors, self.images = [], []
        self.runs = []

    def close(self) -> tuple[list[Line], str]:
        """The lines of the page (of its content column where it has one) and its <title>."""
        self.flush()
        self.frames.close()
        lines = self.lines
        if self.column:
            first, last = self.column[1], self.column[2] if len(self.column) > 2 else None
            lines = lines[first:last]
        return lines, " ".join("".join(self.title).split())


class _LineParsers(threading.local):
    """A parser and its collector for each thread that reads pages."""

    def __init__(self) -> None:
        self.collector = LineCollector()
        self.parser = etree.HTMLParser(target=self.collector, remove_comments=True, remove_pis=True)


_line_parsers = _LineParsers()


def page_lines(text: str) -> tuple[list[Line], str]:
    """The page's lines in reading order, and its <title>."""
    marked_up = (
        BOLD_BEFORE_PARAGRAPH.sub(r"<p\2>\1<b>", UNCLOSED_TAG.sub(_closed_tag, text)) or "<p/>"
    )
    _line_parsers.collector.reset()  # in case the last page's parse ended in an error
    return etree.fromstring(marked_up, _line_parsers.parser)


def collapsed(text: str) -> str:
    """`" ".join(text.split())`: runs of whitespace as one space, none at the ends.

    Most of a page's lines need only their ends stripped: a line holding no whitespace
    but single ASCII spaces once stripped (every other kind of whitespace is not
    printable) is returned as it is, without cutting the page's text into words and
    joining them again (a tenth of reading a page)."""
    stripped = text.strip()
    if stripped.isprintable() and "  " not in stripped:
        return stripped
    return " ".join(stripped.split())


def _closed_tag(match: re.Match) -> str:
    return "<br>" if match[1] is None else f"<{match[1]}>"


def page_had_column() -> bool:
    """Whether the page `page_lines` read last in this thread set its article in the
    weekly's own content column (`<td width="480">`), whose lines alone it gave."""
    return bool(_line_parsers.collector.column)


def page_language() -> str:
    """The `<html lang>` of the page `page_lines` read last in this thread, if any."""
    return _line_parsers.collector.language


def is_navigation(line: Line) -> bool:
    """`Back to the top`, `OTHER STORIES BELOW:`, lists of links within the page, and a
    short line of nothing but links that leads to an index page (`Return to the main
    page`, `Volver a la portada`) or onward (`Main page | Next-->`), in any language."""
    if line.text[:1] in NAVIGATION_INITIALS and NAVIGATION.match(line.text):
        return True
    links = line.links
    if not links:
        return False
    if all(h.startswith("#") for h in links) and line.link_share() > 0.6:
        return True
    if (
        len(line.text.split()) > NAVIGATION_WORDS
        or any(not style[HREF] and _unlinked_words(chunk) for chunk, style in line.runs)
        or any(urllib.parse.urlsplit(h).netloc for h in links)  # another site's page is content
    ):
        return False
    return any(is_index_page(h) for h in links) or bool(ONWARD.search(line.text))


def _unlinked_words(chunk: str) -> bool:
    """Words outside a link that make a line text (any but LEADING_TO_A_LINK's)."""
    return bool(WORDLIKE.search(chunk)) and not all(
        word in LEADING_TO_A_LINK for word in chunk.casefold().replace("|", " ").split()
    )


def is_index_page(href: str) -> bool:
    """A site's or a folder's index: `/`, `../`, `index.html`, `default.asp`, `home.php`."""
    path = urllib.parse.urlsplit(href.strip()).path
    name = posixpath.basename(path.rstrip("/")) if not path.endswith("/") else ""
    return not name or name in (".", "..") or bool(INDEX_NAME.match(name))
