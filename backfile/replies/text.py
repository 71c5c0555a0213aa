"""How a reply's text becomes HTML: everything escaped except paragraphs, emphasis and links.

A reply is stored exactly as the reader wrote it. When shown, the few tags a
reply may carry (the ones WordPress let commenters use for paragraphs, emphasis
and links) are kept as markup and everything else is escaped, so `<script>`
reads as text instead of vanishing. Bare web addresses become links. The result
then goes through nh3, which drops every attribute but `href`, every scheme but
http, https and mailto, and marks links `nofollow ugc`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe

MARKUP_TAGS = frozenset({"p", "br", "a", "em", "i", "strong", "b", "blockquote"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc"

# An allowed tag with attributes that contain no angle brackets; anything else is text.
_TAG = re.compile(r"<(/?)(" + "|".join(sorted(MARKUP_TAGS)) + r")\b([^<>]*)>", re.IGNORECASE)
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_BLOCK_START = re.compile(r"^<(p|blockquote)\b", re.IGNORECASE)

_cleaner = nh3.Cleaner(
    tags=set(MARKUP_TAGS),
    attributes={"a": {"href"}},
    url_schemes=set(URL_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


@dataclass(frozen=True)
class Piece:
    """A run of the reply: either an allowed tag (kept as markup) or text (escaped)."""

    text: str
    is_tag: bool
    tag: str = ""
    closing: bool = False


def pieces(text: str) -> Iterator[Piece]:
    """Split a reply into allowed tags and the text between them."""
    position = 0
    for match in _TAG.finditer(text):
        if match.start() > position:
            yield Piece(text[position : match.start()], is_tag=False)
        yield Piece(match.group(0), True, match.group(2).lower(), bool(match.group(1)))
        position = match.end()
    if position < len(text):
        yield Piece(text[position:], is_tag=False)


def _autolinked(text: str) -> str:
    """Escape text and turn bare http(s) addresses in it into links."""
    out, position = [], 0
    for match in _BARE_URL.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        url = html.escape(match.group(0))
        out.append(f'<a href="{url}">{url}</a>')
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _marked_up(text: str) -> tuple[str, int]:
    """The reply as HTML before sanitising, and how many links it holds."""
    out: list[str] = []
    links = 0
    inside_link = False
    for piece in pieces(text):
        if piece.is_tag:
            out.append(piece.text)
            if piece.tag == "a":
                inside_link = not piece.closing
                links += 0 if piece.closing else 1
        elif inside_link:
            out.append(html.escape(piece.text))
        else:
            linked = _autolinked(piece.text)
            links += len(_BARE_URL.findall(piece.text))
            out.append(linked)
    return "".join(out), links


def _paragraphs(marked_up: str) -> str:
    """Blank lines separate paragraphs and single line breaks stay breaks, as readers type them."""
    chunks = [c.strip() for c in _PARAGRAPH_BREAK.split(marked_up.replace("\r\n", "\n"))]
    out = []
    for chunk in filter(None, chunks):
        chunk = chunk.replace("\n", "<br>\n")
        out.append(chunk if _BLOCK_START.match(chunk) else f"<p>{chunk}</p>")
    return "\n".join(out)


def render_reply(text: str) -> SafeString:
    """The reply as safe HTML for the page."""
    marked_up, _ = _marked_up(text)
    return mark_safe(_cleaner.clean(_paragraphs(marked_up)))  # noqa: S308 - nh3 output


def count_links(text: str) -> int:
    """How many links the reply would show: its <a> tags plus bare web addresses."""
    return _marked_up(text)[1]
