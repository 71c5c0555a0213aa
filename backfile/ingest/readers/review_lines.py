"""The line that heads a review and names the work: `BOOKS: Author, Title. Publisher, 2002, $17.95.`

Weeklies print it above the review's first paragraph, in any language: a label
in capitals and a colon (`BOOKS:`, `MOVIES:`, `MUSIC:`, `LIBROS:`, `CINE:`), then
the work's particulars, the title usually in italics:

    BOOKS: Lisa Cullen, <i>A Job to Die For.</i> Common Courage Press, 2002, 224 pages, $17.95.
    BOOKS: <i>Get Your War On.</i> David Rees, Soft Skull Press, 2002, 100 pages, $20.
    MUSIC: Steve Earle, <i>Jerusalem</i>, Artemis Records, 2002.
    MOVIES: <i>John Q</i>, directed by Nick Cassavetes, starring Denzel Washington.
    CINE: <i>Amores perros</i>, dirigida por Alejandro González Iñárritu, 2000.

A line with no label is one only where it opens with the work's title in italics,
straight followed by who made it (`<i>Downfall</i>, directed by Oliver Hirschbiegel,
starring…`; `<i>Amores perros</i>, dirigida por…`), short: `parse_review_line(…,
unlabelled=True)`, for the first line of a body.

A line is taken for one only by its shape: a short label in capitals, and
particulars with a year, a price, a page count, an italic title or a credit
(`directed by`, `dirigida por`…). The kind of work comes from the label through a
table of words, so another language is a few more entries, not new code.
"""

from __future__ import annotations

import html as html_module
import re

from backfile.ingest.records import ReviewedWork

# Label words (lower case, accents kept) → the kind of work. Unknown labels still make a
# reviewed work (kind "other") when the rest of the line has the shape of one.
KINDS = {
    "book": "book",
    "books": "book",
    "pamphlet": "book",
    "libro": "book",
    "libros": "book",
    "movie": "film",
    "movies": "film",
    "film": "film",
    "films": "film",
    "documentary": "film",
    "video": "film",
    "dvd": "film",
    "cine": "film",
    "película": "film",
    "películas": "film",
    "documental": "film",
    "music": "music",
    "cd": "music",
    "cds": "music",
    "album": "music",
    "música": "music",
    "disco": "music",
    "television": "television",
    "tv": "television",
    "televisión": "television",
    "theater": "theatre",
    "theatre": "theatre",
    "play": "theatre",
    "teatro": "theatre",
    "exhibit": "exhibition",
    "exhibition": "exhibition",
    "art": "exhibition",
    "exposición": "exhibition",
    "arte": "exhibition",
}
# Credits that introduce the maker of a film, a show or an exhibition.
CREDIT = re.compile(
    r"\b(?:(?:produced and )?directed by|created by|curated by|produced by|"
    r"dirigid[ao] por|dirección de|creada por|producid[ao] por|de)\s+",
    re.I,
)
MAKER_CREDIT = re.compile(
    r"^(?:(?:produced and )?directed by|created by|curated by|produced by|"
    r"dirigid[ao] por|dirección de|creada por|producid[ao] por)\s+(?P<who>.+)$",
    re.I,
)
LABEL = re.compile(
    r"^\s*(?P<label>[^\W\d_][^\W\d_ ]{1,15}(?: [^\W\d_]{2,15})?)\s*:\s*(?P<rest>.+)$"
)
YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
PRICE = re.compile(r"[$£€¥]\s?\d|\d\s?(?:dollars|pesos|euros)\b|\b\d+s\.(?: \d+d\.)?", re.I)
PAGE_COUNT = re.compile(r"^\d+\s*(?:pages|pp\.?|páginas|págs?\.)$", re.I)
ITALIC = re.compile(r"<(i|em|cite)\b[^>]*>(?P<title>.*?)</\1>", re.I | re.S)
TAGS = re.compile(r"<[^>]+>")
OTHER_CREDIT = re.compile(
    r"^(?:written|starring|screenplay|narrated|based on|with|edited|translated|"
    r"escrit[ao]|con|guion|protagonizada|basada)\b",
    re.I,
)
MAX_LENGTH = 500


UNLABELLED_MAX = 300  # characters: a longer line opening with a title is a paragraph
OPENING_TITLE = re.compile(r"^(?:<(?:strong|b)>)?<(?:i|em|cite)>(?P<title>[^<]{1,120})</", re.I)
FILM_CREDIT = re.compile(r"^(?:(?:produced and )?directed by|dirigid[ao] por|dirección de)\s", re.I)


def parse_review_line(
    text: str, html: str = "", unlabelled: bool = False
) -> tuple[str, ReviewedWork] | None:
    """(kind, work) when `text` (with its inline `html`, where it has any) heads a review."""
    if len(text) > MAX_LENGTH:
        return None
    match = LABEL.match(text)
    if match is None or not match["label"].isupper():
        return _unlabelled(text, html) if unlabelled else None
    label = match["label"].lower()
    kind = KINDS.get(label, "other")
    rest = match["rest"].strip()
    title = _italic_title(html, label)
    at = rest.find(title) if title else -1
    if at >= 0:  # the particulars before the title (its author) and after it (the imprint)
        before, after = _items(rest[:at]), _items(rest[at + len(title) :])
    else:
        before, after = [], _items(rest)
        title = ""
    has_shape = bool(
        title
        or any(YEAR.match(item) for item in after)
        or PRICE.search(rest)
        or CREDIT.search(rest)
    )
    if not has_shape or (kind == "other" and not title):
        return None
    work = ReviewedWork(title=title, author=", ".join(before))
    leftover: list[str] = []
    for item in after:
        if YEAR.match(item) and work.year is None:
            work.year = int(item)
        elif PAGE_COUNT.match(item):
            continue  # the work's length: kept in the source
        elif PRICE.search(item) and not work.price:
            work.price = item
        elif credit := MAKER_CREDIT.match(item):
            work.author = work.author or credit["who"]
        elif OTHER_CREDIT.match(item):
            continue  # the rest of a film's credits: kept in the source
        else:
            leftover.append(item)
    if not work.title and leftover:  # no italics: the title is the first or second item
        if kind in ("book", "music") and len(leftover) > 1 and not work.author:
            work.author = leftover.pop(0)
        work.title = leftover.pop(0)
    if not work.author and leftover and kind in ("book", "music") and at >= 0:
        work.author = leftover.pop(0)  # `Title. Author, Publisher, 2002`
    if kind == "book" and leftover:
        work.publisher = leftover[0]
    if not work.title:
        return None
    return kind, work


def _unlabelled(text: str, html: str) -> tuple[str, ReviewedWork] | None:
    """A line opening with the work's title in italics and then its maker's credit."""
    opening = OPENING_TITLE.match(html.strip())
    if len(text) > UNLABELLED_MAX or opening is None:
        return None
    title = html_module.unescape(opening["title"]).strip().rstrip(".,;:").strip()
    if not title or not text.startswith(title):
        return None
    after = _items(text[len(title) :])
    credit = MAKER_CREDIT.match(after[0]) if after else None
    if credit is None:
        return None
    kind = "film" if FILM_CREDIT.match(after[0]) else "other"
    work = ReviewedWork(title=title, author=credit["who"])
    work.year = next((int(item) for item in after if YEAR.match(item)), None)
    return kind, work


def _items(text: str) -> list[str]:
    """A run of particulars split at commas and full stops, trimmed of punctuation."""
    parts = re.split(r",\s*|\.\s+(?=[^\W\d_]|\d|[$£€])", text)
    return [part.strip(" .,;:") for part in parts if part.strip(" .,;:")]


def _italic_title(html: str, label: str) -> str:
    """The first italic run that is not the label itself: the work's title."""
    for found in ITALIC.finditer(html or ""):
        text = html_module.unescape(TAGS.sub("", found["title"])).strip().rstrip(".,;:").strip()
        if text and text.lower().rstrip(":") != label:
            return text
    return ""
