"""One page of a hand-made weekly site, read into lines and then into a Page.

The site's layout is made with <font> tags (see `legacy_html` for the site as a
whole): an article page has a kicker and a headline in Times, a dateline in
Arial, often a bold standfirst naming the writers, then paragraphs, section
breaks and subheadings; a contents page lists articles under section headings.
`page_lines` turns the HTML into styled lines; `read_page` finds each part.
"""

from __future__ import annotations

import posixpath
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from backfile.ingest.readers.bylines import (
    byline_people,
    signature_person,
    standfirst_people,
)
from backfile.ingest.readers.datelines import Dateline, parse_dateline
from backfile.ingest.records import (
    Block,
    sha256_text,
)

FORMAT = "legacy-html"
HEADLINE_FONT = re.compile(
    rb"<font[^>]*\ssize=\"?[45]\"?[^>]*>(?:\s*<(?:b|i|p|a)\b[^>]*>)*\s*[^<\s]", re.I
)
DATELINE_HINT = re.compile(
    rb">\s*\|?\s*[A-Za-z]{3,10}\.?\s+(?:\d{1,2},?\s+|de\s+)?(?:1[89]|20)\d\d\s*(?:\||<)", re.I
)
PAGE_NAME = re.compile(r"^\d+[A-Za-z]*_")
CHARSET = re.compile(rb"charset=[\"']?([\w.:-]+)", re.I)
BOLD_BEFORE_PARAGRAPH = re.compile(r"<b>(\s*)<p\b([^>]*)>", re.I)
SECTION_BREAK = re.compile(r"^(?:[-\u2013\u2014*]\s*){3,}$")
NAVIGATION = re.compile(r"^(?:other|including|more)\b.*\bbelow(?: on)?:?$|^back to the top$", re.I)
NAVIGATION_WORDS = 8  # a line of links longer than this is text, whatever it links to
WORDLIKE = re.compile(r"\w", re.UNICODE)  # unlinked words make a line text, not navigation
ONWARD = re.compile(r"-+>|<-+|>>|<<|[»«›‹→←]")
INDEX_NAME = re.compile(r"(?:index|default|home|main)(?:\.\w+)?$", re.I)
LETTER_OPENING = re.compile(r"^dear\s+[^,]{2,40},?$", re.I)
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
    ]
)
HIDDEN_TAGS = frozenset(("script", "style", "noscript", "title", "head", "select"))
PAGE_SUFFIXES = (".php", ".shtml", ".shmtl", ".html", ".htm")


# The inline formatting in force at a point of the page, as a plain tuple for speed:
# (font size, sans-serif face, bold, italic, link target, hidden).
Style = tuple[int, bool, bool, bool, str, bool]
PLAIN: Style = (0, False, False, False, "", False)
HIDDEN: Style = (0, False, False, False, "", True)
SIZE, SANS, BOLD, ITALIC, HREF = range(5)
BOLD_TAGS = frozenset(("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"))
ITALIC_TAGS = frozenset(("i", "em", "cite"))


class Line:
    """Text between two block boundaries (paragraph, line break, table cell), with its runs."""

    __slots__ = ("runs", "text", "anchors", "image_links", "style", "size", "all_bold", "links")

    def __init__(self, runs: list[tuple[str, Style]], text: str, anchors=(), image_links=()):
        self.runs = runs
        self.text = text
        self.anchors = list(anchors)
        self.image_links = list(image_links)  # banners that link to a page
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
        """A small fragment with <em>, <strong> and <a href> kept; "" when the line is plain."""
        if len(self.runs) == 1 and not (self.style[ITALIC] or self.style[HREF]):
            return ""  # one run of one style, bold or not: nothing to mark
        marked = any(s[ITALIC] or s[HREF] for c, s in self.runs if not c.isspace())
        if not marked and (self.all_bold or not any(s[BOLD] for _, s in self.runs)):
            return ""
        pieces: list[str] = []
        for chunk, style in self.runs:
            piece = escape(chunk, quote=False)
            if style[ITALIC]:
                piece = f"<em>{piece}</em>"
            if style[BOLD] and not self.all_bold:
                piece = f"<strong>{piece}</strong>"
            if style[HREF]:
                piece = f'<a href="{escape(style[HREF])}">{piece}</a>'
            pieces.append(piece)
        html = INLINE_REPEAT.sub(r"\2", "".join(pieces))
        return " ".join(html.split())


INLINE_REPEAT = re.compile(r"</(em|strong)>(\s*)<\1>")


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

    def start(self, tag: str, attrib) -> None:
        if (self.runs or self.images) and (tag in BLOCK_TAGS or tag == "br"):
            self.flush()
        self.stack.append(self.style)
        style = self.style
        if tag == "font":
            size, face = attrib.get("size", ""), attrib.get("face", "").lower()
            style = (
                int(size) if size.isdigit() else style[SIZE],
                ("arial" in face or "sans" in face) if face else style[SANS],
                *style[BOLD:],
            )
        elif tag in BOLD_TAGS:
            style = (*style[:BOLD], True, *style[ITALIC:])
        elif tag in ITALIC_TAGS:
            style = (*style[:ITALIC], True, *style[HREF:])
        elif tag == "a":
            if attrib.get("href"):
                style = (*style[:HREF], attrib["href"].strip(), style[5])
            if attrib.get("name"):
                self.anchors.append(attrib["name"])
        elif tag == "img" and style[HREF]:
            self.images.append(style[HREF])
        elif tag == "td" and not self.column and attrib.get("width") == "480":
            self.column = [len(self.stack), len(self.lines)]
        elif tag in HIDDEN_TAGS:
            style = HIDDEN
            self.in_title = tag == "title"
        self.style = style

    def end(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            if self.runs or self.images:
                self.flush()
            if len(self.column) == 2 and tag == "td" and len(self.stack) == self.column[0]:
                self.column.append(len(self.lines))
        self.style = self.stack.pop() if self.stack else PLAIN
        if tag == "title":
            self.in_title = False

    def data(self, text: str) -> None:
        if not self.style[5]:
            if self.runs or not text.isspace():  # space before a line's first word is nothing
                self.runs.append((text, self.style))
        elif self.in_title:
            self.title.append(text)

    def flush(self) -> None:
        runs = self.runs
        if not runs and not self.images:
            return
        written = runs[0][0] if len(runs) == 1 else "".join([chunk for chunk, _ in runs])
        text = " ".join(written.split())
        if text or self.images:
            self.lines.append(Line(runs, text, self.anchors, self.images))
            self.anchors, self.images = [], []
        self.runs = []

    def close(self) -> tuple[list[Line], str]:
        """The lines of the page (of its content column where it has one) and its <title>."""
        self.flush()
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
    marked_up = BOLD_BEFORE_PARAGRAPH.sub(r"<p\2>\1<b>", text) or "<p/>"
    _line_parsers.collector.reset()  # in case the last page's parse ended in an error
    return etree.fromstring(marked_up, _line_parsers.parser)


@dataclass
class Entry:
    """One article as a contents page lists it."""

    href: str
    title: str
    section: str = ""
    kicker: str = ""
    summary: str = ""


@dataclass
class Page:
    """What one page of the site says, before its issue is known."""

    key: str
    text: str
    title: str = ""
    kicker: str = ""
    dateline: Dateline | None = None
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    html_title: str = ""
    sha256: str = ""  # of the text, hashed where the page is read (in the worker process)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.key) or "."  # keys are normalised by site_key

    @property
    def name(self) -> str:
        return posixpath.basename(self.key)

    @property
    def is_contents(self) -> bool:
        """A page listing articles with no headline of its own (an issue's or a feature's contents)."""
        return not self.title and bool(
            self.entries or self.dateline is not None and self.dateline.issue_number is not None
        )

    @property
    def is_article(self) -> bool:
        return not self.is_contents and bool(self.title or self.dateline or self.blocks)


def read_page(key: str, text: str) -> Page:
    """Everything the page's own layout tells, without its contents page."""
    lines, html_title = page_lines(text)
    page = Page(key=key, text=text, html_title=html_title, sha256=sha256_text(text))
    dateline_at, page.dateline = _find_dateline(lines)
    title_at = _title_index(lines, dateline_at)
    body_at = dateline_at + 1 if dateline_at is not None else 0
    if title_at is not None:
        page.title = lines[title_at].text
        page.kicker = " ".join(
            line.text for line in lines[:title_at] if line.text and not _is_navigation(line)
        )
        body_at = max(body_at, title_at + 1)
    head_end = dateline_at if dateline_at is not None else body_at
    for line in lines[(title_at + 1 if title_at is not None else 0) : head_end]:
        page.authors += byline_people(line.text)
    if page.dateline is not None and page.dateline.byline:
        page.authors += byline_people(page.dateline.byline)
    body_at = _read_standfirst(page, lines, body_at)
    page.entries = _contents_entries(lines)
    page.blocks, people = _body_blocks(lines[body_at:])  # a series page keeps its text too
    if not page.is_contents:
        page.authors += people
    page.authors = list(dict.fromkeys(page.authors))
    return page


def _find_dateline(lines: list[Line]) -> tuple[int | None, Dateline | None]:
    """The first line (or two lines broken inside the date) that is a dateline."""
    for index, line in enumerate(lines[:16]):
        if "|" not in line.text and (index + 1 >= len(lines) or "|" not in lines[index + 1].text):
            continue
        found = parse_dateline(line.text)
        if found is None and index + 1 < len(lines) and "|" not in line.text:
            joined = Line(
                line.runs + lines[index + 1].runs, text=f"{line.text} {lines[index + 1].text}"
            )
            found = parse_dateline(joined.text)
            if found is not None:
                lines[index : index + 2] = [joined]
        if found is not None:
            return index, found
    return None, None


def _title_index(lines: list[Line], dateline_at: int | None) -> int | None:
    """The headline: the largest serif type before the dateline (or at the top of the page)."""
    head = lines[:dateline_at] if dateline_at is not None else lines[:6]
    candidates = [
        (line.size, -i)
        for i, line in enumerate(head)
        if line.size >= 4 and line.text and not line.links
    ]
    if not candidates:
        return None
    return -max(candidates)[1]


def _read_standfirst(page: Page, lines: list[Line], at: int) -> int:
    """Bold lines under the dateline introduce the article; `By …` lines there are its byline."""
    while at < len(lines):
        line = lines[at]
        people = byline_people(line.text) if len(line.text) < 200 else []
        if people:
            page.authors += people
        elif (
            line.all_bold
            and line.size < 4
            and not page.standfirst
            and not LETTER_OPENING.match(line.text)
            and not _is_navigation(line)
            and not line.links
            and len(line.text) > 25
        ):
            page.standfirst = line.text
            page.authors += standfirst_people(line.text)
        else:
            break
        at += 1
    return at


def _is_navigation(line: Line) -> bool:
    """`Back to the top`, `OTHER STORIES BELOW:`, lists of links within the page, and a
    short line of nothing but links that leads to an index page (`Return to the main
    page`, `Volver a la portada`) or onward (`Main page | Next-->`), in any language."""
    if NAVIGATION.match(line.text):
        return True
    links = line.links
    if not links:
        return False
    if all(h.startswith("#") for h in links) and line.link_share() > 0.6:
        return True
    if (
        len(line.text.split()) > NAVIGATION_WORDS
        or any(not style[HREF] and WORDLIKE.search(chunk) for chunk, style in line.runs)
        or any(urllib.parse.urlsplit(h).netloc for h in links)  # another site's page is content
    ):
        return False
    return any(_is_index_page(h) for h in links) or bool(ONWARD.search(line.text))


def _is_index_page(href: str) -> bool:
    """A site's or a folder's index: `/`, `../`, `index.html`, `default.asp`, `home.php`."""
    path = urllib.parse.urlsplit(href.strip()).path
    name = posixpath.basename(path.rstrip("/")) if not path.endswith("/") else ""
    return not name or name in (".", "..") or bool(INDEX_NAME.match(name))


def _body_blocks(lines: list[Line]) -> tuple[list[Block], list[str]]:
    """Paragraphs, subheadings and section breaks; also the people signing or bylining items."""
    blocks: list[Block] = []
    people: list[str] = []
    letters = any(LETTER_OPENING.match(line.text) for line in lines)
    for line in lines:
        if not line.text or _is_navigation(line):
            continue
        if SECTION_BREAK.match(line.text):
            if blocks and blocks[-1].type != "section_break":
                blocks.append(Block("section_break"))
            continue
        if line.all_bold and (line.size >= 4 or line.style[SANS] and line.size == 3):
            blocks.append(Block("heading", text=line.text))
            continue
        if len(line.text) < 200:
            people += byline_people(line.text)
            if letters and line.bold_prefix().endswith(",") and not LETTER_OPENING.match(line.text):
                people += signature_person(line.bold_prefix())
        blocks.append(Block("paragraph", text=line.text, html=line.html()))
    while blocks and blocks[-1].type == "section_break":
        blocks.pop()
    return blocks, people


def _contents_entries(lines: list[Line]) -> list[Entry]:
    """Headline links to other pages of the site, with their section, kicker and summary."""
    entries: list[Entry] = []
    section, kicker = "", ""
    for line in lines:
        local = [h for h in line.links + line.image_links if _is_page_link(h)]
        if local and not line.text:
            entries.append(Entry(local[0], "", section, kicker))
            kicker = ""
        elif local and line.size >= 4 and (line.link_share() > 0.6 or line.all_bold):
            entries.append(Entry(local[0], line.text, section, kicker))
            kicker = ""
        elif line.links or _is_navigation(line):
            kicker = ""
        elif line.style[SANS] and line.all_bold and line.size >= 3:
            section, kicker = line.text, ""
        elif line.all_bold:
            kicker = line.text
        elif entries and not entries[-1].summary and not kicker:
            entries[-1].summary = line.text
    return entries


def _is_page_link(href: str) -> bool:
    lowered = href.lower()
    return not lowered.startswith(("#", "mailto:", "javascript:")) and "://" not in lowered


def site_key(path: str) -> tuple[str, str]:
    """(site folder, key) from a file's path: `…tar.xz!socialist-worker/2003-2/459/x.php`."""
    inner = path.split("!", 1)[-1].replace("\\", "/")
    parts = [part for part in inner.split("/") if part not in ("", ".")]
    return (parts[-4] if len(parts) >= 4 else ""), "/".join(parts[-3:])


def declared_charset(data: bytes) -> str | None:
    match = CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None
