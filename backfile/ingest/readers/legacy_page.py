"""One page of a hand-made weekly site, read into lines and then into a Page.

The site's layout is made with <font> tags (see `legacy_html` for the site as a
whole): an article page has a kicker and a headline in Times, a dateline in
Arial, often a bold standfirst naming the writers, then paragraphs, section
breaks and subheadings; a contents page lists articles under section headings.
`page_lines` turns the HTML into styled lines; `read_page` finds each part. Each
line knows the quotations, lists and tables it sits in, and the body's blocks nest
as they did (`legacy_structure`), with notes linked to their markers (`notes`).
"""

from __future__ import annotations

import posixpath
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from backfile.ingest.language import NOT_DETECTED
from backfile.ingest.readers.bylines import (
    AUTHOR,
    CREDIT_START,
    byline_people,
    credit_line,
    interviewer_people,
    intro_people,
    signature_people,
    signature_person,
    standfirst_people,
)
from backfile.ingest.readers.datelines import Dateline, parse_dateline
from backfile.ingest.readers.legacy_structure import (
    FRAME_TAGS,
    MAX_DEPTH,
    STRUCTURE_TAGS,
    Frames,
    structured,
)
from backfile.ingest.readers.notes import link_notes
from backfile.ingest.readers.review_lines import parse_review_line
from backfile.ingest.readers.section_labels import kicker_label
from backfile.ingest.records import (
    Block,
    Contributor,
    ReviewedWork,
    sha256_text,
)

FORMAT = "legacy-html"
HEADLINE_FONT = re.compile(
    rb"<font[^>]*\ssize=\"?[45]\"?[^>]*>(?:\s*<(?:b|i|p|a)\b[^>]*>)*\s*[^<\s]", re.I
)
# A date in a tag of its own or before a `|`, in any language a dateline table knows (the
# grammar in `datelines` decides; this only helps recognise the site's pages).
_HINT_WORD = rb"[A-Za-z\x80-\xff]{3,12}\.?"
DATELINE_HINT = re.compile(
    rb">\s*\|?\s*(?:\d{1,2}\s+(?:de\s+)?)?" + _HINT_WORD + rb"(?:\s*[-/]\s*" + _HINT_WORD + rb")?"
    rb"\s+(?:\d{1,2},?\s+|de\s+)?(?:1[89]|20)\d\d(?:[-/]\d{1,4})?\s*(?:\||<)",
    re.I,
)
DATELINE_MAX = 200  # characters: a longer line is a paragraph, whatever it starts with
PAGE_NAME = re.compile(r"^\d+[A-Za-z]*_")
CHARSET = re.compile(rb"charset=[\"']?([\w.:-]+)", re.I)
BOLD_BEFORE_PARAGRAPH = re.compile(r"<b>(\s*)<p\b([^>]*)>", re.I)
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00de\"\u201c])")
SECTION_BREAK = re.compile(r"^(?:[-\u2013\u2014*]\s*){3,}$")
NAVIGATION = re.compile(r"^(?:other|including|more)\b.*\bbelow(?: on)?:?$|^back to the top$", re.I)
NAVIGATION_INITIALS = (
    "oOiImMbB\u0130\u0131"  # what NAVIGATION's lines can start with (a quick test)
)
LETTER_OPENING = re.compile(r"^(?:dear|querid[oa]s?|estimad[oa]s?)\s+[^,:]{2,40}[,:]?$", re.I)
NAVIGATION_WORDS = 8  # a line of links longer than this is text, whatever it links to
WORDLIKE = re.compile(r"\w", re.UNICODE)  # unlinked words make a line text, not navigation
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
PAGE_SUFFIXES = (".php", ".shtml", ".shmtl", ".html", ".htm")


# The inline formatting in force at a point of the page, as a plain tuple for speed:
# (font size, sans-serif face, bold, italic, link target, hidden, superscript).
Style = tuple[int, bool, bool, bool, str, bool, bool]
PLAIN: Style = (0, False, False, False, "", False, False)
HIDDEN: Style = (0, False, False, False, "", True, False)
SIZE, SANS, BOLD, ITALIC, HREF = range(5)
SUP = 6
BOLD_TAGS = frozenset(("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"))
ITALIC_TAGS = frozenset(("i", "em", "cite"))
# Tags `LineCollector.start` looks at beyond the stack (most tags of a page, `p`, `tr`,
# `table`, `br`, only push the style in force).
STYLING_TAGS = BOLD_TAGS | ITALIC_TAGS | HIDDEN_TAGS | {"font", "a", "sup", "img", "td", "html"}


class Line:
    """Text between two block boundaries (paragraph, line break, table cell), with its runs."""

    __slots__ = (
        "runs", "text", "anchors", "image_links", "style", "size", "all_bold", "links", "frames",
    )  # fmt: skip

    def __init__(
        self, runs: list[tuple[str, Style]], text: str, anchors=(), image_links=(), frames=()
    ):
        self.frames = frames  # the quotations, lists and tables it sits in (legacy_structure)
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
        self.language = ""  # the page's own `<html lang>`, if any

    def start(self, tag: str, attrib) -> None:
        if tag in BREAK_TAGS and (self.runs or self.images):
            self.flush()
        style = self.style
        self.stack.append(style)
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
            style = (*style[:BOLD], True, *style[ITALIC:])
        elif tag in ITALIC_TAGS:
            style = (*style[:ITALIC], True, *style[HREF:])
        elif tag == "a":
            if attrib.get("href"):
                style = (*style[:HREF], attrib["href"].strip(), *style[5:])
            if attrib.get("name"):
                self.anchors.append(attrib["name"])
        elif tag == "sup":
            style = (*style[:SUP], True)
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
            if self.runs or self.images:
                self.flush()
            if len(self.column) == 2 and tag == "td" and len(self.stack) == self.column[0]:
                self.column.append(len(self.lines))
        if tag in STRUCTURE_TAGS:
            self.frames.end(tag)
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
        if text and self.frames.cell is not None:
            self.frames.cell.text += len(text)  # what decides a data table from a layout one
        if text or self.images:
            self.lines.append(Line(runs, text, self.anchors, self.images, self.frames.path))
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
    contributors: list[Contributor] = field(default_factory=list)
    # A run of capitals in front of the kicker that may be a section label (`WHAT WE THINK`),
    # and whether markup (its own line, or bold before plain) sets it apart rather than case.
    kicker_label: str = ""
    label_by_markup: bool = False
    blocks: list[Block] = field(default_factory=list)
    reviewed_works: list[ReviewedWork] = field(default_factory=list)  # a review's heading lines
    entries: list[Entry] = field(default_factory=list)
    html_title: str = ""
    notes: list[str] = field(default_factory=list)  # what the reader could not keep as it was
    language: str = ""  # as the page declares it (`<html lang>`); else detected at ingest
    sha256: str = ""  # of the text, hashed where the page is read (in the worker process)
    # the language model's reading of it, made in the worker process (`language.detect`)
    detected: tuple | str | None = NOT_DETECTED

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
    page.language = _line_parsers.collector.language
    dateline_at, page.dateline = _find_dateline(lines)
    title_at = _title_index(lines, dateline_at)
    body_at = dateline_at + 1 if dateline_at is not None else 0
    if title_at is not None:
        page.title = lines[title_at].text
        kicker_lines = [line for line in lines[:title_at] if line.text and not _is_navigation(line)]
        page.kicker = " ".join(line.text for line in kicker_lines)
        page.kicker_label, page.label_by_markup = kicker_label(kicker_lines)
        body_at = max(body_at, title_at + 1)
    head_end = dateline_at if dateline_at is not None else body_at
    for line in lines[(title_at + 1 if title_at is not None else 0) : head_end]:
        page.authors += byline_people(line.text)
    if page.dateline is not None and page.dateline.byline:
        page.authors += byline_people(page.dateline.byline)
    body_at = _read_standfirst(page, lines, body_at)
    page.entries = _contents_entries(lines)
    if page.is_contents:  # a series page keeps its text too
        page.blocks = Body(lines[body_at:], page).blocks
    else:
        body = Body(_without_datelines(page, lines[body_at:]), page)
        page.blocks = body.blocks
        page.notes += body.notes
        if not page.authors:
            page.authors += _introduced_people(page)
        page.authors += body.people
        page.authors += body.signed(page.authors)  # (takes a signature off page.blocks)
        page.reviewed_works, page.blocks = _reviewed_works(page.blocks)
    page.authors = list(dict.fromkeys(page.authors))
    authors = set(page.authors)
    page.contributors = list(
        {(c.name, c.role): c for c in page.contributors if c.name not in authors}.values()
    )
    return page


def _find_dateline(lines: list[Line]) -> tuple[int | None, Dateline | None]:
    """The first line (or two lines broken inside the date) that is a dateline.

    A date alone on its line (`September 12, 2005`) is the page's dateline only in its
    head, before any paragraph: further down it is a heading of the body (a journal's
    entries, a history's years)."""
    parsed: dict[str, Dateline | None] = {}  # a line is looked at alone, then with the next

    def parse(text: str) -> Dateline | None:
        if text not in parsed:
            parsed[text] = parse_dateline(text)
        return parsed[text]

    for index, line in enumerate(lines[:16]):
        if not line.text or len(line.text) > DATELINE_MAX:
            continue
        found = parse(line.text) if _may_be_dateline(line.text) else None
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if (
            found is None
            and following
            and _may_be_dateline(f"{line.text} {following}")
            and parse(following) is None  # the next line is one alone: no joining
        ):
            joined = Line(line.runs + lines[index + 1].runs, text=f"{line.text} {following}")
            found = parse_dateline(joined.text)
            if found is not None:
                lines[index : index + 2] = [joined]
        if found is not None and (not _bare(found) or _in_head(lines, index)):
            return index, found
    return None, None


HEAD_LINE_MAX = 100  # characters: a longer line before a date is a paragraph, not the head


def _bare(line: Dateline) -> bool:
    """A date and nothing else: no pages, number, byline or label."""
    return not (line.pages or line.issue_number is not None or line.byline or line.label)


def _in_head(lines: list[Line], index: int) -> bool:
    """Whether only short lines (kicker, headline, a byline) stand before line `index`."""
    return all(len(line.text) <= HEAD_LINE_MAX for line in lines[:index])


FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _may_be_dateline(text: str) -> bool:
    """Short enough and with a year in it (the grammar reads no date without one): worth
    giving to the dateline grammar, which costs a thousand times this test."""
    return len(text) <= DATELINE_MAX and FOUR_DIGITS.search(text) is not None


def _without_datelines(page: Page, lines: list[Line]) -> list[Line]:
    """The body's lines less any dateline repeated in it: one with pages, a number or a
    byline anywhere (`By A. Writer | April 7, 2006 | Page 11`), or the page's own date alone
    as its first or last line. Pages it prints that the page's dateline does not are kept,
    and a byline it carries names the page's writers. A date alone elsewhere is a heading
    of the body and stays."""
    texts = [i for i, line in enumerate(lines) if line.text]
    ends = {texts[0], texts[-1]} if texts else set()
    kept = []
    for index, line in enumerate(lines):
        found = parse_dateline(line.text) if _may_be_dateline(line.text) else None
        if found is not None and _bare(found):
            own = page.dateline is not None and _same_date(found, page.dateline)
            if not (own and index in ends):
                found = None
        if found is None:
            kept.append(line)
            continue
        if page.dateline is None:
            page.dateline = found
        elif found.pages and not page.dateline.pages:
            page.dateline.pages = found.pages
        if found.byline:
            page.authors += byline_people(found.byline)
    return kept


def _same_date(one: Dateline, other: Dateline) -> bool:
    return (one.date.year, one.date.month, one.date.day) == (
        other.date.year,
        other.date.month,
        other.date.day,
    )


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
    """Bold lines under the dateline introduce the article; `By …` lines there are its byline,
    and credit lines (`Translated by …`) name contributors."""
    while at < len(lines):
        line = lines[at]
        people = byline_people(line.text) if len(line.text) < 200 else []
        credit = credit_line(line.text) if not people else None
        if people:
            page.authors += people
        elif credit is not None:
            page.contributors += [Contributor(name, credit[0]) for name in credit[1]]
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
    if line.text[:1] in NAVIGATION_INITIALS and NAVIGATION.match(line.text):
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


class Body:
    """Paragraphs, subheadings and section breaks; also the people bylining or signing.

    Byline and credit lines at the head or the foot of the body, and a dateline
    repeated in it (`By A. Writer | April 7, 2006 | Page 11`), are taken out of
    the text; their people are kept (credits with their role). A byline inside
    the body names the writer of one item of a round-up and stays in place.
    Signatures (`Jane Roe, Chicago`) are found by `signed`. The blocks are nested in
    the page's quotations, lists and tables (`structured`), its notes linked to their
    markers; `notes` says what could not be kept as it was.
    """

    def __init__(self, lines: list[Line], page: Page):
        self.page = page
        self.people: list[str] = []
        self.items: list[tuple[tuple, Block]] = []  # (the line's frames, its block)
        self.bylined: list[int] = []  # indexes of items that are whole byline lines
        letters = any(_letter_opening(line.text) for line in lines)
        self.letters = letters
        for line in lines:
            if line.text and not _is_navigation(line):
                self._add(line, letters)
        self._drop_edge_bylines()
        blocks, flattened = structured(self.items)
        self.blocks = link_notes(blocks)
        self.notes = [FLATTENED_NOTE] if flattened else []

    def _add(self, line: Line, letters: bool) -> None:
        items = self.items
        if line.text[:1] in "-\u2013\u2014*" and SECTION_BREAK.match(line.text):
            if items and items[-1][1].type != "section_break":
                items.append((line.frames, Block("section_break")))
            return
        if "|" in line.text and (repeated := parse_dateline(line.text)) is not None:
            self.people += byline_people(repeated.byline) if repeated.byline else []
            return  # a dateline printed again in the body is never part of the text
        if line.all_bold and (line.size >= 4 or line.style[SANS] and line.size == 3):
            items.append((line.frames, Block("heading", text=line.text)))
            return
        if len(line.text) < 200:
            # (every byline and credit opens with one of CREDIT_START's words)
            if CREDIT_START.match(line.text):
                credit = credit_line(line.text)
                if credit is not None and credit[0] != AUTHOR:
                    self.page.contributors += [Contributor(name, credit[0]) for name in credit[1]]
                    return  # a credit (`Photos by …`) is not the article's text
                self.people += byline_people(line.text)
                if credit is not None:
                    self.bylined.append(len(items))
            if letters and line.bold_prefix().endswith(",") and not LETTER_OPENING.match(line.text):
                self.people += signature_person(line.bold_prefix())
        html = line.html()
        if line.all_bold:  # an interview's question, a bold paragraph: the bold is kept
            html = f"<strong>{html or escape(line.text, quote=False)}</strong>"
        items.append((line.frames, Block("paragraph", text=line.text, html=html)))

    def _drop_edge_bylines(self) -> None:
        """Byline lines before the first paragraph of text or after the last leave the body,
        and so do section breaks at its end."""
        bylined = set(self.bylined)
        items = self.items
        first = next((i for i in range(len(items)) if i not in bylined), len(items))
        last = max((i for i in range(len(items)) if i not in bylined), default=-1)
        if first or last < len(items) - 1:
            self.items = [item for i, item in enumerate(items) if first <= i <= last]
        while self.items and self.items[-1][1].type == "section_break":
            self.items.pop()

    def signed(self, known: list[str]) -> list[str]:
        """The people signing: one signature at the foot of the article (then taken out of
        the text), or one per letter or item on a page of several, where each signature
        ends its item (before a break, a subheading or the next `Dear …`) and stays.

        An article already bylined (`known`) takes a single signature only when it names
        one of its writers (the byline printed again at the foot, or a bold signature
        read in part); a page of several signed items takes every signature.
        """
        blocks = self.blocks
        ends = [
            i
            for i, block in enumerate(blocks)
            if block.type == "paragraph"
            and i > 0
            and (
                i + 1 == len(blocks)
                or blocks[i + 1].type in ("section_break", "heading")
                or _letter_opening(blocks[i + 1].text)
            )
        ]
        signed = [
            (i, people)
            for i in ends
            if not (_attribution(blocks[i - 1].text) and "," not in blocks[i].text)
            and not _all_link(blocks[i])
            and (i + 1 == len(blocks) or not _all_capitals(blocks[i].text))
            and (people := signature_people(blocks[i].text))
        ]
        if len(signed) == 1:
            at, people = signed[0]
            folded = {_folded(name) for name in known}
            if known and not folded & {_folded(name) for name in people}:
                return []
            if at == len(blocks) - 1:
                del blocks[-1]
                while blocks and blocks[-1].type == "section_break":
                    blocks.pop()
        return [person for _i, people in signed for person in people]


def _letter_opening(text: str) -> bool:
    """`Dear …`, `Querida …`, `Estimados …` (a quick look at the first letter first)."""
    return text[:1] in "dDqQeE" and LETTER_OPENING.match(text) is not None


def _introduced_people(page: Page) -> list[str]:
    """Writers an introduction names, at the head of one of its sentences (`JANE ROE looks
    at…`; `… talked to Socialist Worker's JOHN DOE`). The introduction: the standfirst,
    and the paragraphs before the body's first section break when one comes within six
    blocks (the intro set apart by `- - - -`), else its first two paragraphs."""
    head = page.blocks[:6]
    breaks = [i for i, block in enumerate(head) if block.type == "section_break"]
    intro = [page.standfirst] if page.standfirst else []
    for block in head[: breaks[0]] if breaks else head[:2]:
        if block.type == "paragraph" and len(block.text) < 1200:
            intro.append(block.text)
    for text in intro:
        for sentence in SENTENCE_BREAK.split(text):
            if people := intro_people(sentence) or interviewer_people(sentence):
                return people
    return []


def _reviewed_works(blocks: list[Block]) -> tuple[list[ReviewedWork], list[Block]]:
    """The lines heading a review (`BOOKS: Author, Title. Publisher, 2002.`), each the work
    it names, taken off the top of the body (see `review_lines`)."""
    works: list[ReviewedWork] = []
    at = 0
    while at < min(len(blocks), 4) and blocks[at].type == "paragraph":
        found = parse_review_line(blocks[at].text, blocks[at].html)
        if found is None:
            break
        works.append(found[1])
        at += 1
    return works, blocks[at:]


def _all_link(block: Block) -> bool:
    """A line that is one link (`Harbour Watch`, to another site) names a page, not a writer."""
    html = block.html.strip()
    return html.startswith("<a ") and html.endswith("</a>") and html.count("<a ") == 1


def _folded(name: str) -> str:
    return " ".join(name.replace(".", " ").split()).casefold()


def _attribution(before: str) -> bool:
    """A bare name after a quotation (a paragraph quoted whole, then `Jane Doe`) says who
    spoke, not who wrote; a paragraph that only ends with a quotation is the writer's own,
    and a name with a place (`Jane Doe, Chicago`) signs whatever comes before it."""
    text = before.strip()
    return text.startswith(('"', "\u201c")) and text.endswith(('"', "\u201d"))


def _all_capitals(text: str) -> bool:
    """A line in capitals before a subheading labels the next item (`EXPERT TESTIMONY`)."""
    return text == text.upper()


FLATTENED_NOTE = (
    f"the page's quotations, lists and tables were nested more than {MAX_DEPTH} deep; "
    "what was deeper is kept, flattened into the level above"
)


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
