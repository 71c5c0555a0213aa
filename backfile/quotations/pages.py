"""Page citations as reviewers print them: `on page 30`, `(Page 77.)`, `p. 12`, `pp. 12-14`,
`pages 30 and 32`, `(p.xiv)`; in Spanish `(pág. 77)`, `páginas 12 a 14`, and German
`Seite 30`. Each is read as the pages it names, normalised the one way the
archive stores them: ranges with an en dash (`12–14`, an abbreviated `123-5` written out as
`123–125`), several pages separated by commas (`30, 32`), roman numerals in lower case.

Only a word for page(s) followed by numbers is a citation: `a volume of a hundred pages` and
`Serge's own pages` name no page. Where a citation stands relative to a quotation is
`extract`'s business; this module only reads citations out of a stretch of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A roman numeral below 400 (prefaces are numbered so), never empty; `civil` is not one
# because the numeral must end the word.
_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_NUMBER = rf"(?<!\w)(?:\d{{1,4}}(?:\s?ff?\.?(?!\w))?(?!\w)|{_ROMAN}(?!\w))"
_TO = r"(?:--?|–|—|\bto\b|\ba\b|\bal\b|\bbis\b)"  # `12 to 14`, `12 a 14`, `12 bis 14`
_RANGE = rf"{_NUMBER}(?:\s*{_TO}\s*{_NUMBER})?"
# A further page after a comma has at most three figures: `page 30, 1937` is a page and a year
_FURTHER = rf"(?!\d{{4}})(?:{_RANGE})"
_LIST = rf"{_RANGE}(?:\s*(?:,|\band\b|\by\b|\bund\b|&)\s*{_FURTHER})*"
# `page`, `pages`, `Page`, `PAGE`, `p.`, `pp.`, `pp`, `pg.`, `pgs.`; not inside a word
# (`group. 12`) nor after a dot (`a.p. 12`)
# Spanish `página(s)`, `pág(s).`; German `Seite(n)`
_WORD = (
    r"(?<![\w.])(?:[Pp]ages?\s+|PAGES?\s+|[Pp]p\.?\s*|[Pp]\.\s*|[Pp]gs?\.\s*"
    r"|[Pp][áa]ginas?\s+|P[ÁA]GINAS?\s+|[Pp][áa]gs?\.\s*|[Ss]eiten?\s+)"
)
CITATION = re.compile(rf"{_WORD}(?P<pages>{_LIST})")
_PIECE = re.compile(rf"(?P<start>{_NUMBER})(?:\s*{_TO}\s*(?P<end>{_NUMBER}))?")
_SUFFIX = re.compile(r"\s?(ff?)\.?$")


@dataclass(frozen=True)
class Citation:
    """A citation found in a text: the pages it names (normalised) and where it stands."""

    pages: str
    start: int
    end: int


def citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Every page citation in text[start:end], in order (positions are the text's)."""
    found = []
    for match in CITATION.finditer(text, start, len(text) if end is None else end):
        pages = normalise(match["pages"])
        if pages:
            found.append(Citation(pages, match.start(), match.end()))
    return found


def normalise(cited: str) -> str:
    """`12-14` → `12–14`, `123-5` → `123–125`, `30 and 32` → `30, 32`, `12 ff.` → `12ff`."""
    pieces = []
    for match in _PIECE.finditer(cited):
        first = _number(match["start"])
        if match["end"] is None:
            pieces.append(first)
            continue
        last = _number(match["end"])
        if first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
            last = first[: len(first) - len(last)] + last  # 123-5: 123–125
        pieces.append(f"{first}–{last}")
    return ", ".join(pieces)


def _number(number: str) -> str:
    suffix = _SUFFIX.search(number)
    if suffix and number[0].isdigit():
        return number[: suffix.start()].strip() + suffix[1]
    return number.strip().lower()
