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
from backfile.media.rendering import render_figure

register = template.Library()

INLINE_TAGS = {"em", "i", "strong", "b", "a"}
INLINE_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = {"http", "https", "mailto"}
PAGE_RANGE = re.compile(r"[-–—,&]|\band\b", re.IGNORECASE)
HYPHENATED_RANGE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


@lru_cache(maxsize=4096)
def sanitise_inline(html: str) -> str:
    """Keep only emphasis, strong and plain links; everything else is reduced to its text."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def inline_content(block: dict) -> SafeString:
    """A block's words as HTML: its sanitised markup where it has some, else its escaped text.

    Line breaks inside a block (verse, addresses) are kept as <br>.
    """
    html = block.get("html") or ""
    content = sanitise_inline(html) if html.strip() else escape(block.get("text", ""))
    return mark_safe(content.strip().replace("\n", "<br>\n"))


def render_block(block: dict) -> SafeString:
    kind = block.get("type", "paragraph")
    if kind == "quotation":
        return format_html("<blockquote>\n{}\n</blockquote>", render_block_list(block))
    if kind == "section_break":
        return mark_safe('<hr class="section-break">')
    if kind == "heading":
        return format_html("<h2>{}</h2>", inline_content(block))
    if kind == "figure":
        return render_figure(block)
    return format_html("<p>{}</p>", inline_content(block))


def render_block_list(parent: dict) -> SafeString:
    return format_html_join("\n", "{}", ((render_block(b),) for b in parent.get("blocks", [])))


@register.simple_tag
def article_body(blocks: list[dict]) -> SafeString:
    """The body in reading order, quotations as <blockquote> nested as deep as the data."""
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
