"""A hand-made weekly site of the 2000s: one folder per issue, a contents page, article pages.

The layout is the paper's own, made with <font> tags: on an article page a
kicker and a headline (Times, sizes 4 and 5), a dateline (`July 4, 2003 |
Page 8`, Arial size 2), often a bold standfirst naming the writers in capitals,
then paragraphs, `- - - -` section breaks, and sometimes subheadings. The issue's
contents page (`459_Storylist.php`) opens with `July 4, 2003 | Issue 459` and
lists the articles under section headings, each with kicker, headline link and
summary; a feature's own page can list further articles the same way.

An article needs its contents page (section, order, summary) and the contents
page needs the articles (to check its date), so pages are buffered per issue
folder and an issue's records are emitted when the next folder starts, or at
`finish`. Folders without a contents page wait for `finish`, when every issue
number seen is known. Keys are the page's path below the site root
(`2003-2/459/459_08_Orwell.php`), the same for the archive and its unpacked
folder.
"""

from __future__ import annotations

import calendar
import os
import posixpath
import re
import threading
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import PurePosixPath

from lxml import etree

from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.bylines import (
    byline_people,
    signature_person,
    standfirst_people,
)
from backfile.ingest.readers.datelines import Dateline, parse_dateline
from backfile.ingest.records import (
    ArticleRecord,
    Block,
    Failure,
    IssueRecord,
    Notice,
    Source,
    sha256_text,
)
from backfile.ingest.sources import SourceFile
from backfile.workers import worker_pool

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
    if not page.is_contents:
        page.blocks, people = _body_blocks(lines[body_at:])
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
    """`Back to the top`, `OTHER STORIES BELOW:` and lists of links within the page."""
    if NAVIGATION.match(line.text):
        return True
    links = line.links
    return bool(links) and all(h.startswith("#") for h in links) and line.link_share() > 0.6


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


def read_folder(sources: list[tuple[str, str]]) -> list[Page | Failure]:
    """Read one folder's pages; a page that cannot be read becomes a Failure, not a lost folder.

    Runs in a worker process on large inputs, so the page texts are not sent
    back (the caller still has them).
    """
    pages: list[Page | Failure] = []
    for key, text in sources:
        try:
            page = read_page(key, text)
        except Exception as error:  # one broken page must not cost the issue its other pages
            pages.append(Failure(key, f"{FORMAT} reader failed: {error!r}"))
            continue
        page.text = ""
        pages.append(page)
    return pages


class LegacyHtmlReader(Reader):
    """Pages are read folder by folder; past PARALLEL_AFTER pages a worker process reads
    the next folder while the loader stores the last one."""

    format = FORMAT
    description = "a hand-made HTML weekly site: issue folders with contents and article pages"
    priority = 30
    PARALLEL_AFTER = 60
    IN_FLIGHT = 24  # folders handed to the worker and not yet turned into records

    def __init__(self, publication: str | None = None):
        super().__init__(publication)
        self._site = ""  # the site folder of the issue folder being fed
        self._folder: str | None = None
        self._sources: list[tuple[str, str]] = []
        self._pending: deque[tuple[str, list[tuple[str, str]], Future | list]] = deque()
        self._issues: dict[tuple[str, int], IssueRecord] = {}  # by (publication, number)
        self._waiting: list[tuple[str, list[Page]]] = []
        # (publication, folder) → its issue, placements and next free position, for late pages
        self._placed: dict[tuple[str, str], tuple[IssueRecord, dict, int]] = {}
        self._pages_seen = 0
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        """The site's font-tag headline, with a dateline, the three-column layout or its page names."""
        head = file.head
        if head.lstrip()[:5].lower() == b"<?xml" or b"<rss" in head[:4096]:
            return False
        if not HEADLINE_FONT.search(head):
            return False
        name = posixpath.basename(file.path.replace("\\", "/"))
        return bool(DATELINE_HINT.search(head) or b'width="480"' in head or PAGE_NAME.match(name))

    def feed(self, file: SourceFile) -> Iterator[Output]:
        site, key = site_key(file.path)
        folder = posixpath.dirname(key) or "."
        if self._folder is not None and folder != self._folder:
            self._submit_folder()
            yield from self._emit(keep=self.IN_FLIGHT)
        self._site = site
        self._folder = folder
        data = file.read_bytes()
        decoded = file.decoded(data, declared_charset(data))
        yield from decoded.notices(file.path)
        self._sources.append((key, decoded.text))
        self._pages_seen += 1

    def finish(self) -> Iterator[Output]:
        try:
            self._submit_folder()
            yield from self._emit(keep=0)
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        waiting, self._waiting = self._waiting, []
        for site, pages in waiting:
            yield from IssueFolder(self, pages, self.publication_name(site), final=True).outputs()

    def _submit_folder(self) -> None:
        sources, self._sources, self._folder = self._sources, [], None
        if not sources:
            return
        pool = self._worker_pool()
        read = pool.submit(read_folder, sources) if pool else read_folder(sources)
        self._pending.append((self._site, sources, read))

    def _worker_pool(self) -> ProcessPoolExecutor | None:
        """One worker process for large inputs on a machine with a core to spare."""
        if (
            self._pool is None
            and self._pages_seen > self.PARALLEL_AFTER
            and (os.cpu_count() or 1) > 1
        ):
            self._pool = worker_pool(1)
        return self._pool

    def _emit(self, keep: int) -> Iterator[Output]:
        """Outputs of the folders read so far, in order, waiting only while more than
        `keep` are still being read (so the worker has folders queued while the loader
        stores a batch)."""
        while self._pending and (len(self._pending) > keep or _done(self._pending[0][2])):
            site, sources, read = self._pending.popleft()
            results = read.result() if isinstance(read, Future) else read
            pages = []
            for (_, text), page in zip(sources, results, strict=True):
                if isinstance(page, Failure):
                    yield page
                else:
                    page.text = text
                    pages.append(page)
            if pages:
                yield from self._folder_outputs(site, pages)

    def _folder_outputs(self, site: str, pages: list[Page]) -> Iterator[Output]:
        folder = IssueFolder(self, pages, self.publication_name(site), final=False)
        if folder.contents is None:
            self._waiting.append((site, pages))
        else:
            yield from folder.outputs()

    def publication_name(self, site: str) -> str:
        """--publication, else the site's folder: `socialist-worker` → `Socialist Worker`."""
        if self.publication:
            return self.publication
        return site.replace("-", " ").replace("_", " ").title() or "Unnamed publication"


def _done(read: Future | list) -> bool:
    return not isinstance(read, Future) or read.done()


@dataclass
class Placement:
    """Where the contents pages put an article."""

    section: str = ""
    kicker: str = ""
    summary: str = ""
    position: int | None = None


class IssueFolder:
    """One issue's folder: its contents page, its articles in contents order, and what is left over."""

    def __init__(self, reader: LegacyHtmlReader, pages: list[Page], publication: str, final: bool):
        self.reader = reader
        self.publication = publication
        self.pages = pages
        self.final = final
        self.by_name = {_stem(page.name): page for page in pages}
        contents = [page for page in pages if page.is_contents]
        contents.sort(key=lambda page: page.dateline is None or page.dateline.issue_number is None)
        self.contents = contents[0] if contents else None
        self.notices: list[Notice] = []
        self.typo_date: tuple | None = None  # a date shown to be a slip, never an article's own

    def outputs(self) -> Iterator[Output]:
        """Records in contents order; pages of a folder seen earlier join that folder's issue."""
        where = (self.publication, self.pages[0].folder)
        earlier = self.reader._placed.get(where)
        if self.contents is None and earlier is not None:
            issue, placements, next_position = earlier
        else:
            issue, placements = self.issue(), self.placements()
            next_position = len(placements)
        for page in (p for p in self.pages if p.is_article):
            placement = placements.get(page.key)
            if placement is None:
                placement = Placement(position=next_position)
                next_position += 1
                self.notices.append(
                    Notice(
                        page.key, f"not linked from any contents page; placed in {_label(issue)}"
                    )
                )
            yield self.article(page, issue, placement)
        self.reader._placed[where] = (issue, placements, next_position)
        for page in self.pages:
            if page is self.contents:
                self.notices.append(
                    Notice(
                        page.key,
                        f"contents page of {_label(issue)}: {len(placements)} articles placed",
                    )
                )
            elif page.is_contents:
                self.notices.append(
                    Notice(
                        page.key,
                        f"further contents page of {_label(issue)}, listing {len(page.entries)} articles",
                    )
                )
            elif not page.is_article:
                self.notices.append(
                    Notice(
                        page.key, "neither an article nor a contents page (no headline or dateline)"
                    )
                )
        yield from self.notices

    def issue(self) -> IssueRecord:
        """The issue from its contents page, checked against its articles' datelines and folder."""
        number = self._folder_number()
        if self.contents is None:
            known = (
                self.reader._issues.get((self.publication, number)) if number is not None else None
            )
            if known is not None and self.final:
                return known
            return self._issue_record(number, self._datelines_date(), "")
        line = self.contents.dateline
        printed = (line.date.year, line.date.month, line.date.day) if line else None
        title = line.label if line and line.issue_number is None else ""
        if line and line.issue_number is not None:
            number = line.issue_number
        record = self._issue_record(number, self._choose_date(printed), title)
        if number is not None:
            self.reader._issues.setdefault((self.publication, number), record)
        return record

    def _issue_record(self, number: int | None, when: tuple, title: str) -> IssueRecord:
        year, month, day = when if when else (self._fallback_year(), None, None)
        record = IssueRecord(year=year, number=number, month=month, day=day, title=title)
        folder = PurePosixPath(self.pages[0].folder).name
        if number is not None and re.fullmatch(rf"{number}[A-Za-z]+", folder):
            record.slug = _issue_slug(folder.lower(), year, month, day)
        return record

    def _datelines_date(self) -> tuple | None:
        """The date most of the folder's articles print, when more than half agree."""
        dated = Counter(
            (p.dateline.date.year, p.dateline.date.month, p.dateline.date.day)
            for p in self.pages
            if p.is_article and p.dateline and p.dateline.date.day
        )
        if not dated:
            return None
        when, count = dated.most_common(1)[0]
        return when if count * 2 > sum(dated.values()) else None

    def _choose_date(self, printed: tuple | None) -> tuple | None:
        """The contents page's date, unless the articles agree on another and the folder's year sides with them.

        The site's contents pages were made from the previous issue's, and now
        and then kept its date or year; article datelines have their own slips.
        """
        articles = self._datelines_date()
        if printed is None or articles is None or articles == printed:
            return printed or articles
        folder_year = self._folder_year()
        chosen, rejected = articles, printed
        if printed[0] == folder_year != articles[0]:
            chosen, rejected = printed, articles
        self.typo_date = rejected
        self.notices.append(
            Notice(
                self.contents.key,
                f"contents page prints {_date_label(*printed)} but most articles are dated "
                f"{_date_label(*articles)}; {_date_label(*chosen)} is used "
                f"(the issue folder is in {folder_year})",
            )
        )
        return chosen

    def placements(self) -> dict[str, Placement]:
        """Every page the contents pages link to, in contents order (features' lists in place)."""
        found: dict[str, Placement] = {}
        if self.contents is not None:
            self._place(self.contents, "", found, {self.contents.key})
        return found

    def _place(self, page: Page, section: str, found: dict[str, Placement], seen: set[str]) -> None:
        for entry in page.entries:
            target = self._resolve(page, entry.href)
            entry_section = entry.section if page is self.contents else section
            if target is None:
                self.notices.append(
                    Notice(
                        page.key,
                        f"links to {entry.href} ({entry.title!r}), which is not in the archive",
                    )
                )
                continue
            if target.key in seen:
                continue
            seen.add(target.key)
            if target.is_article:
                found[target.key] = Placement(
                    entry_section, entry.kicker, entry.summary, position=len(found)
                )
            self._place(target, entry_section, found, seen)

    def _resolve(self, page: Page, href: str) -> Page | None:
        path = urllib.parse.unquote(href.split("#", 1)[0].split("?", 1)[0])
        if not path or "/" in path.strip("./"):
            return None
        return self.by_name.get(_stem(path))

    def article(self, page: Page, issue: IssueRecord, placement: Placement) -> ArticleRecord:
        line = page.dateline
        published = line.date.as_date() if line else None
        if published == _issue_date(issue) or (
            line and (line.date.year, line.date.month, line.date.day) == self.typo_date
        ):
            published = None
        return ArticleRecord(
            publication=self.publication,
            key=page.key,
            issue=issue,
            title=page.title or page.html_title or PurePosixPath(page.key).stem,
            source=Source(page.key, FORMAT, page.sha256, page.text),
            section=placement.section,
            kicker=page.kicker or placement.kicker,
            standfirst=page.standfirst,
            summary=placement.summary,
            authors=page.authors,
            pages=line.pages if line else "",
            position=placement.position,
            published=published,
            language=line.language if line else "en",
            blocks=page.blocks,
        )

    def _folder_number(self) -> int | None:
        match = re.match(r"\d+", PurePosixPath(self.pages[0].folder).name)
        return int(match.group()) if match else None

    def _fallback_year(self) -> int:
        """For an undated issue: the folder's year, else any year its pages print."""
        years = [p.dateline.date.year for p in self.pages if p.dateline]
        return self._folder_year() or (min(years) if years else date.today().year)

    def _folder_year(self) -> int | None:
        """`2003` from the period folder `2003-2` the issue folder sits in."""
        match = re.match(r"(?:1[89]|20)\d\d", PurePosixPath(self.pages[0].folder).parent.name)
        return int(match.group()) if match else None


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in PAGE_SUFFIXES:
        if lowered.endswith(suffix):
            return lowered[: -len(suffix)]
    return lowered


def _issue_slug(name: str, year: int, month: int | None, day: int | None) -> str:
    """`no-377a-september-14-2001`: like the archive's own slugs, with the folder's suffix kept."""
    parts = [f"no-{name}"]
    if month:
        parts.append(calendar.month_name[month].lower())
        if day:
            parts.append(str(day))
    return "-".join([*parts, str(year)])


def _issue_date(issue: IssueRecord) -> date | None:
    if issue.month and issue.day:
        return date(issue.year, issue.month, issue.day)
    return None


def _date_label(year: int, month: int | None, day: int | None) -> str:
    """`2003-07-04`, `2003-07` or `2003`, as far as the date is known."""
    return "-".join(f"{part:02d}" for part in (year, month, day) if part)


def _label(issue: IssueRecord) -> str:
    number = f"issue {issue.number}" if issue.number is not None else "the issue"
    return f"{number} ({_date_label(issue.year, issue.month, issue.day)})"
