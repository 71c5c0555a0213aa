"""Template helpers for the reading site: article bodies, dates and page references.

An article's body is stored as blocks (see `backfile.ingest.records.Block`), not
as HTML, so the site decides how it looks and nothing a source carried in can
run in a reader's browser: text is escaped, and the optional inline markup is
sanitised again here to a handful of inline tags whatever the reader did.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import nh3
from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from backfile.archive.models import Issue, Publication
from backfile.media.embeds import render_media
from backfile.media.rendering import render_figure

register = template.Library()

INLINE_TAGS = {"em", "i", "strong", "b", "sup", "sub", "a"}
INLINE_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = {"http", "https", "mailto"}
PAGE_RANGE = re.compile(r"[-–—,&]|\band\b", re.IGNORECASE)
HYPHENATED_RANGE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")
NOTE_LINK = re.compile(r'<a href="#note-(\d{1,4})"[^>]*>')


@lru_cache(maxsize=4096)
def sanitise_inline(html: str) -> str:
    """Keep only emphasis, strong, super- and subscripts and plain links; everything else is
    reduced to its text."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def inline_content(block: dict, body: _Body | None = None) -> SafeString:
    """A block's words as HTML: its sanitised markup where it has some, else its escaped text.

    Line breaks inside a block (verse, addresses) are kept as <br>. Within a body, a
    link to one of its notes (`#note-N`) is marked as a note reference.
    """
    html = block.get("html") or ""
    content = sanitise_inline(html) if html.strip() else escape(block.get("text", ""))
    if body is not None and body.notes and "#note-" in content:
        content = NOTE_LINK.sub(body.reference, content)
    return mark_safe(content.strip().replace("\n", "<br>\n"))


class _Body:
    """Renders one article's blocks; knows its notes, so markers and notes link both ways."""

    def __init__(self, blocks: list[dict]):
        self.notes: dict[int, str] = {}  # note number → its label as printed
        self.referenced: set[int] = set()
        last = blocks[-1] if blocks and isinstance(blocks[-1], dict) else {}
        if last.get("type") == "notes":
            for number, note in enumerate(last.get("blocks", []), start=1):
                self.notes[number] = str(note.get("label") or number)

    def reference(self, match: re.Match) -> str:
        """A marker's link: `aria-label="Note 1"`, and on the first, the id its note's
        back-link returns to. A marker naming no note stays a plain link."""
        number = int(match[1])
        if number not in self.notes:
            return match[0]
        label = escape(self.notes[number])
        first = number not in self.referenced
        self.referenced.add(number)
        anchor = f' id="note-ref-{number}"' if first else ""
        return f'<a href="#note-{number}"{anchor} class="note-ref" aria-label="Note {label}">'

    def blocks(self, parent: dict) -> SafeString:
        return format_html_join("\n", "{}", ((self.block(b),) for b in parent.get("blocks", [])))

    def block(self, block: dict) -> SafeString:
        kind = block.get("type", "paragraph")
        if kind == "quotation":
            return format_html("<blockquote>\n{}\n</blockquote>", self.blocks(block))
        if kind == "section_break":
            return mark_safe('<hr class="section-break">')
        if kind == "heading":
            return format_html("<h2>{}</h2>", inline_content(block, self))
        if kind == "figure":
            return render_figure(block)
        if kind in ("audio", "video", "embed"):
            return render_media(block)
        if kind == "list":
            return self.list(block)
        if kind == "list_item":  # only inside a list, but a hand-edited body may say otherwise
            return format_html("<p>{}</p>{}", inline_content(block, self), self.blocks(block))
        if kind == "table":
            return self.table(block)
        if kind == "notes":
            return self.notes_section(block)
        return format_html("<p>{}</p>", inline_content(block, self))

    def list(self, block: dict) -> SafeString:
        start = block.get("start")
        items = format_html_join(
            "\n",
            "<li>{}{}</li>",
            ((inline_content(item, self), self.blocks(item)) for item in block.get("blocks", [])),
        )
        if start is None:
            return format_html("<ul>\n{}\n</ul>", items)
        if start == 1:
            return format_html("<ol>\n{}\n</ol>", items)
        return format_html('<ol start="{}">\n{}\n</ol>', int(start), items)

    def table(self, block: dict) -> SafeString:
        """A data table: a first row of header cells (an empty corner cell aside) heads the
        columns and is the table's head; a header cell anywhere else heads its row."""
        caption = (
            format_html("<caption>{}</caption>\n", inline_content(block, self))
            if block.get("text")
            else ""
        )
        rows = [row for row in block.get("blocks", []) if row.get("blocks")]
        head = ""
        if rows and _heads_columns(rows[0]["blocks"]):
            head = format_html("<thead>\n{}\n</thead>\n", self.row(rows[0], "col"))
            rows = rows[1:]
        body = format_html_join("\n", "{}", ((self.row(row, "row"),) for row in rows))
        return format_html(
            '<table class="data-table">\n{}{}<tbody>\n{}\n</tbody>\n</table>',
            caption,
            head,
            body,
        )

    def row(self, row: dict, scope: str) -> SafeString:
        cells = format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<th scope="{}">{}</th>', scope, inline_content(cell, self))
                    if cell.get("type") == "table_header"
                    else format_html("<td>{}</td>", inline_content(cell, self)),
                )
                for cell in row.get("blocks", [])
            ),
        )
        return format_html("<tr>{}</tr>", cells)

    def notes_section(self, block: dict) -> SafeString:
        """The notes, each with its label and a link back to where it is referred to."""
        heading = block.get("text") or "Notes"
        items = []
        for number, note in enumerate(block.get("blocks", []), start=1):
            label = str(note.get("label") or number)
            back = (
                format_html(
                    ' <a href="#note-ref-{}" class="note-back" aria-label="Back to the text '
                    'of note {}">↩</a>',
                    number,
                    label,
                )
                if number in self.referenced
                else ""
            )
            items.append(
                format_html(
                    '<li id="note-{}"><span class="note-label">{}</span> {}{}{}</li>',
                    number,
                    label,
                    inline_content(note, self),
                    self.blocks(note),
                    back,
                )
            )
        return format_html(
            '<section class="notes" aria-labelledby="notes-heading">\n'
            '<h2 id="notes-heading">{}</h2>\n<ol class="notes-list">\n{}\n</ol>\n</section>',
            heading,
            format_html_join("\n", "{}", ((item,) for item in items)),
        )


def _heads_columns(cells: list[dict]) -> bool:
    """Header cells throughout, or after an empty or plain corner cell."""
    headers = [cell.get("type") == "table_header" for cell in cells]
    return all(headers) or (len(cells) > 1 and all(headers[1:]) and not cells[0].get("text"))


def render_block(block: dict) -> SafeString:
    """One block on its own (its notes, if it refers to any, are not known here)."""
    return _Body([]).block(block)


def render_block_list(parent: dict) -> SafeString:
    return _Body(parent.get("blocks", [])).blocks(parent)


@register.simple_tag
def article_body(blocks: list[dict]) -> SafeString:
    """The body in reading order: quotations as <blockquote> nested as deep as the data,
    lists, data tables with their header cells' scope, and notes linked to their markers."""
    return render_block_list({"blocks": blocks or []})


@register.filter
def machine_date(issue: Issue) -> str:
    """The issue's date for <time datetime>: `1937-09` for a monthly, `2003-07-04` for a weekly."""
    year, month, day = issue.real_parts()
    if month and day:
        return date(year, month, day).isoformat()
    if month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


@register.filter
def page_reference(pages: str) -> str:
    """`p. 8` for one page, `pp. 6–7` for a range or several."""
    pages = (pages or "").strip()
    if not pages:
        return ""
    if pages.lower().startswith(("p.", "pp.", "page")):
        return pages
    if not PAGE_RANGE.search(pages):
        return f"p. {pages}"
    return f"pp. {HYPHENATED_RANGE.sub('–', pages)}"


@register.simple_tag
def archive_publications() -> list[Publication]:
    """Every publication, for pages (such as the 404 page) that have no view to ask for them."""
    return list(Publication.objects.only("name", "slug"))
