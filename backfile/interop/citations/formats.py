"""RIS, BibTeX and CSL-JSON files, each written from an article's CSL-JSON item.

These are what a reader downloads into a reference manager (Zotero, EndNote,
JabRef, BibDesk). They carry the same facts as the formatted citations because
they are written from the same item (see `csl.article_csl`).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from backfile.interop.citations.csl import PageSpan, display_name, page_span

RIS_TYPES = {"article-magazine": "MGZN", "article-newspaper": "NEWS", "review-book": "MGZN"}
TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
TEX_SPECIAL = re.compile("|".join(re.escape(c) for c in TEX_SPECIALS))
BIBTEX_MONTHS = [name.lower() for name in calendar.month_abbr]


def item_pages(item: dict) -> PageSpan:
    return page_span(item.get("page", ""))


def one_line(text: str) -> str:
    """Tagged formats end a field at the line's end, so a value must be one line."""
    return " ".join(str(text).split())


def to_ris(item: dict) -> str:
    """The item as an RIS record (tag, two spaces, hyphen, space, value; `ER` ends it)."""
    parts = item["issued"]["date-parts"][0]
    pages = item_pages(item)
    fields = [
        ("TY", RIS_TYPES.get(item["type"], "MGZN")),
        *(("AU", display_name(name)) for name in item.get("author", [])),
        ("TI", item["title"]),
        ("T2", item["container-title"]),
        ("DA", ris_date(parts)),
        ("PY", str(parts[0])),
        ("VL", item.get("volume", "")),
        ("IS", item.get("issue", "")),
        ("SP", pages.first or pages.page),
        ("EP", pages.last if pages.last != pages.first else ""),
        ("AB", item.get("abstract", "")),
        ("N1", reviewed_work(item)),
        ("SN", item.get("ISSN", "")),
        ("UR", item["URL"]),
        ("LA", item.get("language", "")),
        ("ID", item["id"]),
    ]
    lines = [f"{tag}  - {one_line(value)}" for tag, value in fields if value]
    return "\r\n".join([*lines, "ER  - ", ""])


def ris_date(parts: list[int]) -> str:
    """`1954/03//`, `2003/07/04/`, `1954///`: RIS keeps a slot for each part, known or not."""
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def reviewed_work(item: dict) -> str:
    """`Review of Rocks and Their Uses, by T. Lloyd`, for a review; else empty."""
    if "reviewed-title" not in item:
        return ""
    authors = " and ".join(display_name(n, inverted=False) for n in item.get("reviewed-author", []))
    return f"Review of {item['reviewed-title']}" + (f", by {authors}" if authors else "")


def tex_escape(text: str) -> str:
    """Plain text as TeX: the ten special characters escaped, everything else (UTF-8) kept."""
    return TEX_SPECIAL.sub(lambda m: TEX_SPECIALS[m.group()], one_line(text))


def tex_title(text: str) -> str:
    """A title with each capitalised word braced, so a style's lower-casing cannot touch it."""
    words = one_line(text).split(" ")
    return " ".join(
        f"{{{tex_escape(w)}}}" if any(c.isupper() for c in w) else tex_escape(w) for w in words
    )


def bibtex_name(name: dict[str, str]) -> str:
    """`Hale, Oswin`; a literal name braced whole so BibTeX never splits it."""
    if "literal" in name:
        return f"{{{tex_escape(name['literal'])}}}"
    return tex_escape(display_name(name))


def to_bibtex(item: dict) -> str:
    """The item as one BibTeX `@article` entry, keyed by the item's id."""
    parts = item["issued"]["date-parts"][0]
    pages = item_pages(item)
    page_field = f"{pages.first}--{pages.last}" if pages.last != pages.first else pages.page
    month = BIBTEX_MONTHS[parts[1]] if len(parts) > 1 else ""
    braced = {
        "author": " and ".join(bibtex_name(n) for n in item.get("author", [])),
        "title": tex_title(item["title"]),
        "journal": tex_escape(item["container-title"]),
        "year": str(parts[0]),
        "month": month,
        "volume": item.get("volume", ""),
        "number": item.get("issue", ""),
        "pages": page_field,
        "issn": item.get("ISSN", ""),
        "note": tex_escape(reviewed_work(item)),
        "url": item["URL"],
        "language": item.get("language", ""),  # the BCP 47 tag, as BibTeX styles print it
        "langid": item.get("language", ""),  # and as biblatex hyphenates by it
    }
    fields = [
        # A month is BibTeX's own macro (`mar`), given bare so styles can name it.
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in braced.items()
        if value
    ]
    return f"@article{{{item['id']},\n" + ",\n".join(fields) + "\n}\n"


def to_csl_json(item: dict) -> str:
    """CSL-JSON is a list of items, even for one."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Format:
    """A citation file a reader can download: its label, media type and writer."""

    extension: str
    label: str
    content_type: str
    write: Callable[[dict], str]


FORMATS = {
    f.extension: f
    for f in (
        Format("ris", "RIS", "application/x-research-info-systems", to_ris),
        Format("bib", "BibTeX", "application/x-bibtex", to_bibtex),
        Format("json", "CSL-JSON", "application/vnd.citationstyles.csl+json", to_csl_json),
    )
}
