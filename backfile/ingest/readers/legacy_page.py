"""One page of a hand-made weekly site, read into lines and then into a Page.

The site's layout is made with <font> tags (see `legacy_html` for the site as a
whole): an article page has a kicker and a headline in Times, a dateline in
Arial, often a bold standfirst naming the writers, then paragraphs, section
breaks and subheadings; a contents page lists articles under section headings.
`page_lines` (`legacy_lines`) turns the HTML into styled lines; `read_page` finds
each part, and `Body` (`legacy_body`) makes the rest of the lines the body's blocks,
nested as the page nested them (`legacy_structure`), with notes linked to their
markers (`notes`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from backfile.ingest.language import NOT_DETECTED
from backfile.ingest.readers.bylines import (
    CONTRIBUTOR,
    byline_people,
    credit_line,
    interviewer_people,
    intro_people,
    standfirst_people,
)
from backfile.ingest.readers.datelines import Dateline, parse_dateline

# (Line, LineCollector, page_lines and Body are also imported from here, as before the split.)
from backfile.ingest.readers.legacy_body import (
    Body,
    dateline_writers,
    letter_opening,
    older_source,
    same_date,
)
from backfile.ingest.readers.legacy_column import content_lines
from backfile.ingest.readers.legacy_lines import (
    HEADING,
    SANS,
    Line,
    LineCollector,
    is_navigation,
    page_had_column,
    page_language,
    page_lines,
)
from backfile.ingest.readers.review_lines import parse_review_line
from backfile.ingest.readers.section_labels import kicker_label
from backfile.ingest.records import (
    Block,
    Contributor,
    ReviewedWork,
    sha256_text,
)

__all__ = ["Body", "Entry", "Line", "LineCollector", "Page", "page_lines", "read_page"]

FORMAT = "legacy-html"
HEADLINE_FONT = re.compile(
    rb"<(?:font[^>]*\ssize=\"?[45]\"?[^>]*|h[1-3](?:\s[^>]*)?)>(?:\s*<(?:b|i|p|a|font)\b[^>]*>)*"
    rb"\s*[^<\s]",
    re.I,
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
INTRO_BLOCKS = 8  # an introduction set apart by a break ends within this many blocks
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00de\"\u201c])")
PAGE_SUFFIXES = (".php", ".shtml", ".shmtl", ".html", ".htm")


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
    headline_tag: bool = False  # its headline is set in a heading tag (`<h1>`), not a <font>
    notes: list[str] = field(default_factory=list)  # what the reader could not keep as it was
    language: str = ""  # as the page declares it (`<html lang>`); else detected at ingest
    sha256: str = ""  # of the text, hashed where the page is read (in the worker process)
    # the language model's reading of it, made in the worker process (`language.detect`)
    detected: tuple | str | None = NOT_DETECTED
    pictures: object = None  # legacy_pictures.PagePictures where it shows pictures or links onward

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.key) or "."  # keys are normalised by site_key

    @property
    def name(self) -> str:
        return posixpath.basename(self.key)

    @property
    def is_contents(self) -> bool:
        """A page listing articles with no headline of its own (an issue's or a feature's
        contents); on a site set in heading tags, also one whose dateline numbers an issue
        and that lists two articles or more under an `<h1>` (the paper's name)."""
        numbered = self.dateline is not None and self.dateline.issue_number is not None
        if numbered and self.headline_tag and len(self.entries) >= 2:
            return True
        return not self.title and bool(self.entries or numbered)

    @property
    def is_article(self) -> bool:
        return not self.is_contents and bool(self.title or self.dateline or self.blocks)


def read_page(key: str, text: str, masthead: str = "") -> Page:
    """Everything the page's own layout tells, without its contents page; `masthead`: the
    paper's name as its pages set it over their headlines (`read_folder` finds it), left out."""
    lines, html_title = page_lines(text)
    if not page_had_column():  # another site's layout: its article's cell, if it has one
        lines = content_lines(lines)
    if masthead:
        lines = [line for line in lines if not (line.style[HEADING] and line.text == masthead)]
    page = Page(key=key, text=text, html_title=html_title, sha256=sha256_text(text))
    page.language = page_language()
    dateline_at, page.dateline = _find_dateline(lines)
    title_at = _title_index(lines, dateline_at)
    body_at = dateline_at + 1 if dateline_at is not None else 0
    if title_at is not None:
        page.title = lines[title_at].text
        page.headline_tag = lines[title_at].style[HEADING]
        kicker_lines = [line for line in lines[:title_at] if line.text and not is_navigation(line)]
        page.kicker = " ".join(line.text for line in kicker_lines)
        page.kicker_label, page.label_by_markup = kicker_label(kicker_lines)
        body_at = max(body_at, title_at + 1)
    head_end = dateline_at if dateline_at is not None else body_at
    head_works, deck = [], []
    if title_at is None:
        for line in lines[:head_end]:
            page.authors += byline_people(line.text)
    else:
        head_works, deck = _read_head(page, lines[title_at + 1 : head_end])
    if page.dateline is not None and page.dateline.byline:
        page.authors += dateline_writers(page, page.dateline.byline)
    body_at = _read_standfirst(page, lines, body_at)
    if deck:
        page.standfirst = " ".join([*deck, page.standfirst]).strip()
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
        if page.authors:  # speakers a report introduces; else a roundtable's writers
            page.contributors += [Contributor(name, CONTRIBUTOR) for name in body.bio_people]
        else:
            page.authors += body.bio_people
        page.reviewed_works, page.blocks = _reviewed_works(page.blocks)
        page.reviewed_works[:0] = head_works
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
DIGITS = re.compile(r"\d{4}")  # (searched first: twice as fast, and most lines have none)


def _may_be_dateline(text: str) -> bool:
    """Short enough and with a year in it (the grammar reads no date without one): worth
    giving to the dateline grammar, which costs a thousand times this test."""
    return (
        len(text) <= DATELINE_MAX
        and DIGITS.search(text) is not None
        and FOUR_DIGITS.search(text) is not None
    )


def _without_datelines(page: Page, lines: list[Line]) -> list[Line]:
    """The body's lines less any dateline repeated in it: one with pages or a number
    anywhere, one with a byline and the page's own date (`By A. Writer | April 7, 2006`),
    or the page's own date alone as its first or last line. Pages it prints that the
    page's dateline does not are kept, and a byline it carries names the page's writers.
    A date alone elsewhere is a heading of the body and stays, and so does a byline with
    another date (an older text's source)."""
    texts = [i for i, line in enumerate(lines) if line.text]
    ends = {texts[0], texts[-1]} if texts else set()
    kept = []
    for index, line in enumerate(lines):
        found = parse_dateline(line.text) if _may_be_dateline(line.text) else None
        if found is not None and _bare(found):
            own = page.dateline is not None and same_date(found, page.dateline)
            if not (own and index in ends):
                found = None
        elif found is not None and older_source(found, page.dateline):
            found = None
        if found is None:
            kept.append(line)
            continue
        if page.dateline is None:
            page.dateline = found
        elif found.pages and not page.dateline.pages:
            page.dateline.pages = found.pages
        if found.byline:
            page.authors += dateline_writers(page, found.byline)
    return kept


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


def _read_head(page: Page, lines: list[Line]) -> tuple[list[ReviewedWork], list[str]]:
    """The lines between the headline and the dateline: bylines (the page's authors), the
    headline's second line after a colon (`SHARON SMITH:` / `The Democrats don't…`), the
    works a review opens with (`MOVIES: Ali, directed by…`), and a deck in bold or text
    type (returned, to open the standfirst). Small type that is none of these stays in the
    page's source only, as before."""
    works: list[ReviewedWork] = []
    deck: list[str] = []
    for line in lines:
        if not line.text or is_navigation(line):
            continue
        if people := byline_people(line.text):
            page.authors += people
        elif page.title.endswith(":") and line.size >= 4 and not (works or deck):
            page.title = f"{page.title} {line.text}"
        elif found := parse_review_line(line.text, line.html(), unlabelled=True):
            works.append(found[1])
        elif line.all_bold or line.size >= 3:
            deck.append(line.text)
    return works, deck


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
            and not letter_opening(line.text)
            and not is_navigation(line)
            and not line.links
            and len(line.text) > 25
        ):
            page.standfirst = line.text
            page.authors += standfirst_people(line.text)
        else:
            break
        at += 1
    return at


def _introduced_people(page: Page) -> list[str]:
    """Writers an introduction names, at the head of one of its sentences (`JANE ROE looks
    at…`; `… talked to Socialist Worker's JOHN DOE`). The introduction: the standfirst,
    and the paragraphs before the body's first section break when one comes within eight
    blocks (the intro set apart by `- - - -`), else its first two paragraphs."""
    head = page.blocks[:INTRO_BLOCKS]
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
        found = parse_review_line(blocks[at].text, blocks[at].html, unlabelled=at == 0)
        if found is None:
            break
        works.append(found[1])
        at += 1
    return works, blocks[at:]


def _contents_entries(lines: list[Line]) -> list[Entry]:
    """Headline links to other pages of the site, with their section, kicker and summary."""
    entries: list[Entry] = []
    section, kicker = "", ""
    for line in lines:
        local = [h for h in line.links + line.image_links if _is_page_link(h)]
        if local and not line.text:
            entries.append(Entry(local[0], "", section, kicker))
            kicker = ""
        elif local and _headline_link(line):
            entries.append(Entry(local[0], line.text, section, kicker))
            kicker = ""
        elif line.links or is_navigation(line):
            kicker = ""
        elif line.all_bold and (line.style[SANS] and line.size >= 3 or line.style[HEADING]):
            section, kicker = line.text, ""  # (`<h2>News</h2>` too, on a site set in headings)
        elif line.all_bold:
            kicker = line.text
        elif entries and not entries[-1].summary and not kicker:
            entries[-1].summary = line.text
    return entries


def _headline_link(line: Line) -> bool:
    """A contents page's headline: a link in headline type (mostly linked, or bold), or a
    link set in bold in the text's type (`<b><a>…</a></b>`, the whole line)."""
    share = line.link_share()
    return line.size >= 4 and (share > 0.6 or line.all_bold) or line.all_bold and share > 0.9


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
