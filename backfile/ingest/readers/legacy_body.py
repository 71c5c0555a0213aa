"""A legacy page's body: its lines made into nested blocks, and the people bylining or
signing it (see `legacy_page`, which finds the head of the page first)."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from backfile.ingest.readers.bylines import (
    AUTHOR,
    BYLINE,
    CONTRIBUTOR,
    CREDIT_START,
    bio_people,
    byline_people,
    closing_credit,
    credit_line,
    dateline_byline,
    signature_people,
    signature_person,
)
from backfile.ingest.readers.datelines import Dateline, parse_dateline
from backfile.ingest.readers.legacy_lines import SANS, Line, is_navigation
from backfile.ingest.readers.legacy_structure import MAX_DEPTH, Frame, structured
from backfile.ingest.readers.notes import link_notes
from backfile.ingest.records import Block, Contributor

if TYPE_CHECKING:
    from backfile.ingest.readers.legacy_page import Page

SECTION_BREAK = re.compile(r"^(?:[-\u2013\u2014*]\s*){3,}$")
LETTER_OPENING = re.compile(r"^(?:dear|querid[oa]s?|estimad[oa]s?)\s+[^,:]{2,40}[,:]?$", re.I)


class Body:
    """Paragraphs, subheadings and section breaks; also the people bylining or signing.

    Byline and credit lines at the head or the foot of the body, and a dateline
    repeated in it (`By A. Writer | April 7, 2006 | Page 11`), are taken out of
    the text; their people are kept (credits with their role). A byline inside
    the body names the writer of one item of a round-up and stays in place.
    Signatures (`Jane Roe, Chicago`) are found by `signed`. The blocks are nested in
    the page's quotations, lists and tables (`structured`), its notes linked to their
    markers; `notes` says what could not be kept as it was. Small boxes of short lines
    set in the text (a chart's source line, a notice of a protest) are not its text.
    """

    def __init__(self, lines: list[Line], page: Page):
        self.page = page
        self.people: list[str] = []
        self.items: list[tuple[tuple, Block]] = []  # (the line's frames, its block)
        self.bylined: list[int] = []  # indexes of items that are whole byline lines
        # indexes of paragraphs set apart by their type: bold throughout, or larger
        self.set_apart: list[int] = []
        letters = any(letter_opening(line.text) for line in lines)
        self.letters = letters
        self.bio_people: list[str] = []  # people a note in a quotation introduces (`bio_people`)
        boxed, self.quoted = _boxes(lines)
        verse: list[Line] = []
        for line in lines:
            if not line.text or is_navigation(line) or id(line) in boxed:
                continue
            if line.broken or verse:
                verse.append(line)
                if line.broken:
                    continue
                if _verse(verse):
                    self._add_verse(verse)
                else:
                    for one in verse:
                        self._add(one, letters)
                verse = []
                continue
            self._add(line, letters)
        for line in verse:
            self._add(line, letters)
        self._find_subheads()
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
        if (
            "|" in line.text
            and (repeated := parse_dateline(line.text)) is not None
            and not older_source(repeated, self.page.dateline)
        ):
            if repeated.byline:
                self.people += dateline_writers(self.page, repeated.byline)
            return  # a dateline printed again in the body is never part of the text
        frames = self.quoted.get(id(line), line.frames)
        if frames is not line.frames:  # a pull quote's lines, its attribution too
            items.append((frames, Block("paragraph", text=line.text, html=line.html())))
            return
        if line.all_bold and (line.size >= 4 or line.style[SANS] and line.size == 3):
            items.append((line.frames, Block("heading", text=line.text)))
            return
        if line.text[:1].isupper() and any(f.tag == "blockquote" for f in line.frames):
            self.bio_people += bio_people(line.text, line.bold_prefix())
        if closing := closing_credit(line.text):  # `A and B contributed to this report.`
            self.page.contributors += [Contributor(name, CONTRIBUTOR) for name in closing]
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
        if line.all_bold or line.size >= 4:
            self.set_apart.append(len(items))
        items.append((line.frames, Block("paragraph", text=line.text, html=html)))

    def _add_verse(self, lines: list[Line]) -> None:
        """Short lines joined by `<br>` (a song's or a poem's verse): one paragraph, a line each."""
        htmls = [line.html() for line in lines]
        html = "\n".join(
            h or escape(line.text, quote=False) for h, line in zip(htmls, lines, strict=True)
        )
        text = "\n".join(line.text for line in lines)
        block = Block("paragraph", text=text, html=html if any(htmls) else "")
        self.items.append((lines[0].frames, block))

    def _find_subheads(self) -> None:
        """A short line set apart by its type (bold, or larger than the text) between two
        plain paragraphs, shaped like a heading (a few words, no sentence's or question's
        end, not a name, a date or a byline), is a subheading (`<p><b>Their rush to assign
        blame</b></p>`, `<font size="4">Crackdown in times of war</font>`); on a letters
        page bold lines sign."""
        if self.letters:
            return
        items, set_apart = self.items, set(self.set_apart)
        for i in self.set_apart:
            if not 0 < i < len(items) - 1 or i + 1 in set_apart:
                continue
            (frames, block), before, after = items[i], items[i - 1], items[i + 1]
            if (
                before[1].type == "paragraph"
                and after[1].type == "paragraph"
                and before[0] == frames == after[0]
                and _heading_shaped(block.text)
            ):
                items[i] = (frames, Block("heading", text=block.text))

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
        foot = len(blocks) - 1 if blocks and _editors_note(blocks[-1]) else len(blocks)
        ends = [
            i
            for i, block in enumerate(blocks)
            if block.type == "paragraph"
            and i > 0
            and (
                i + 1 >= foot
                or blocks[i + 1].type in ("section_break", "heading")
                or letter_opening(blocks[i + 1].text)
            )
        ]
        signed = [
            (i, people)
            for i in ends
            if not (_attribution(blocks[i - 1].text) and "," not in blocks[i].text)
            and not _all_link(blocks[i])
            and (i + 1 >= foot or not _all_capitals(blocks[i].text))
            and (people := signature_people(blocks[i].text))
        ]
        if len(signed) == 1:
            at, people = signed[0]
            folded = {_folded(name) for name in known}
            if known and not folded & {_folded(name) for name in people}:
                return []
            if at >= foot - 1 and at < len(blocks):
                del blocks[at]
                while blocks and blocks[-1].type == "section_break":
                    blocks.pop()
        return [person for _i, people in signed for person in people]


def dateline_writers(page, byline: str) -> list[str]:
    """The writers a dateline's byline names; where it names no one by name (`By a UFT
    member`), a note on the page saying so (once)."""
    people, note = dateline_byline(byline)
    if note and note not in page.notes:
        page.notes.append(note)
    return people


def older_source(found: Dateline, own: Dateline | None) -> bool:
    """A dateline in a body that is not the page's own printed again but an older text's
    source: a byline or a label with another date and no pages or number (`By Lenin, from
    Pravda, April 11, 1913`). It stays the text's."""
    return (
        own is not None
        and not (found.pages or found.issue_number is not None)
        and not same_date(found, own)
    )


def same_date(one: Dateline, other: Dateline) -> bool:
    return (one.date.year, one.date.month, one.date.day) == (
        other.date.year,
        other.date.month,
        other.date.day,
    )


def letter_opening(text: str) -> bool:
    """`Dear …`, `Querida …`, `Estimados …` (a quick look at the first letter first)."""
    return text[:1] in "dDqQeE" and LETTER_OPENING.match(text) is not None


BOX_LINE_MAX = 60  # characters: a box of lines no longer than this holds no prose
BOX_LINES_MAX = 6
POINTER_MAX = 200  # characters: a box linking elsewhere with no more text only points there
ATTRIBUTION = re.compile(r"^(?:--?|\u2013|\u2014)\s*[^\W\d_]")  # `--A Name, a place`
ATTRIBUTION_MAX = 120


def _boxes(lines: list[Line]) -> tuple[set[int], dict[int, tuple]]:
    """Boxes set in the text (layout tables inside the page's text column, or inside the
    page): (the lines, by id, of those that are not its text; the frames, by line id, of
    the lines of those that are pull quotes).

    Not its text: a small box of a few short lines and no prose (a chart's source line, a
    notice of a protest), or a box that only points elsewhere (a link to another page and
    a line or two about it). A box with a sentence in it (a long line, or six words and a
    full stop) is a sidebar and stays, as does a data table. A bordered box holding a
    quotation and, last, its attribution (`--A Name, a union`) is a quotation."""
    texts = [line for line in lines if line.text]
    if not texts:
        return set(), {}
    found: dict[int, list] = {}  # lines in the same frames share one tuple: looked at once
    depths = [
        found.get(id(line.frames)) or found.setdefault(id(line.frames), _tables(line.frames))
        for line in texts
    ]
    column = min(len(tables) for tables in depths)
    if all(len(tables) == column for tables in depths):
        return set(), {}
    boxes: dict[int, tuple[list, list[Line]]] = {}
    for line, tables in zip(texts, depths, strict=True):
        if len(tables) > column and not any(table.data for table in tables):
            boxes.setdefault(id(tables[column]), (tables[column:], []))[1].append(line)
    dropped: set[int] = set()
    quoted: dict[int, tuple] = {}
    for tables, boxed in boxes.values():
        if len(boxed) > BOX_LINES_MAX:
            continue
        if _pull_quote(tables, boxed):
            frames = (*boxed[0].frames, Frame("blockquote"))
            quoted.update((id(line), frames) for line in boxed)
        elif _pointer(boxed) or all(
            len(line.text) <= BOX_LINE_MAX and not _sentence(line.text) for line in boxed
        ):
            dropped.update(id(line) for line in boxed)
    return dropped, quoted


def _pull_quote(tables: list, boxed: list[Line]) -> bool:
    """A bordered box of a quotation and, on its last line, who said it."""
    last = boxed[-1].text
    return (
        len(boxed) >= 2
        and any(table.boxed for table in tables)
        and len(last) <= ATTRIBUTION_MAX
        and last[:1] in "-\u2013\u2014"
        and ATTRIBUTION.match(last) is not None
        and all(boxed[0].frames is line.frames for line in boxed)
        and not any(ATTRIBUTION.match(line.text) for line in boxed[:-1])
    )


def _pointer(boxed: list[Line]) -> bool:
    """A box that only points to another page: a link there, and little more text."""
    return sum(len(line.text) for line in boxed) <= POINTER_MAX and any(
        not href.startswith(("#", "mailto:")) for line in boxed for href in line.links
    )


VERSE_LINE_MAX = 60  # characters: a longer line is prose broken by `<br>`
VERSE_LINES_MIN = 3


def _verse(lines: list[Line]) -> bool:
    """Lines joined by single `<br>`s that are verse (a song, a poem): three or more short
    lines of plain text in the same frames, most of them of four words or more (a name
    over a place and a union, a notice's lines, are shorter)."""
    return (
        len(lines) >= VERSE_LINES_MIN
        and all(
            len(line.text) <= VERSE_LINE_MAX
            and not line.all_bold
            and line.size == lines[0].size
            and line.frames is lines[0].frames
            and not line.links
            and not letter_opening(line.text)
            for line in lines
        )
        and 2 * sum(len(line.text.split()) >= 4 for line in lines) >= len(lines)
    )


def _sentence(text: str) -> bool:
    """A line of prose: six words or more ending with a full stop (`Their meeting is on
    Thursday in the rope loft.`), not a notice (`Protest April 20`, `Source: …`)."""
    return text.endswith(".") and len(text.split()) >= 6


def _tables(frames: tuple) -> list:
    return [frame for frame in frames if frame.tag == "table"]


SUBHEAD_WORDS = 12  # words: a longer bold line is a bold paragraph
SENTENCE_END = tuple(".!?:;,\"'\u201d\u2019\u2026")


def _heading_shaped(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= SUBHEAD_WORDS
        and text[:1].isupper()  # not an attribution (`--A Name`) or a quotation
        and not any(ch.isdigit() or ch == "," for ch in text)  # a date, a name and a place
        and not text.rstrip().endswith(SENTENCE_END)
        and not BYLINE.match(text)
        and text != text.upper()
        and not signature_people(text)
    )


def _editors_note(block: Block) -> bool:
    """A paragraph in italics throughout after a letter or a report (an editor's note)."""
    html = block.html.strip()
    return (
        block.type == "paragraph"
        and html.startswith("<em>")
        and html.endswith("</em>")
        and html.count("<em>") == 1
    )


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
