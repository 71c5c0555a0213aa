"""An article as CSL-JSON: the one citation record every format is written from.

CSL-JSON (the Citation Style Language's data model) is what citeproc formats and
what reference managers import; RIS, BibTeX and the page's meta tags are all
derived from it, so a correction to how an article is cited is made once, here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from backfile.archive.models import Article

# Lower-case words that belong to the family name when they come before it.
PARTICLES = frozenset(
    "da das de del della der des di do dos du el la le ter ten van von zu bin ibn al".split()  # noqa: SIM905
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# A byline that names a body or a role rather than a person: cited as printed.
COLLECTIVE_OPENINGS = frozenset({"the", "our", "a", "an"})
PAGE_NUMBER = re.compile(r"\d+|[ivxlcdm]+", re.IGNORECASE)
PAGE_PREFIX = re.compile(r"^\s*(pp?\.|pages?)\s*", re.IGNORECASE)
PAGE_RANGE_DASH = re.compile(r"^\s*(\w+)\s*[-–—]+\s*(\w+)\s*$")
PAGE_LIST_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
TITLE_STOPWORDS = frozenset({"a", "an", "the", "of", "on", "in", "and", "to"})
# Quotation marks that may wrap a whole title (`"Iraqis will not forget"`): a headline quoting
# someone. Styles put the title in quotes themselves, so the wrapping pair goes; quotes
# inside a title become single ones, as nested quotes are written.
WRAPPING_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "'": "'", "‘": "’"}
INNER_DOUBLE_QUOTES = str.maketrans({"“": "‘", "”": "’", "„": "‘"})
STRAIGHT_QUOTED = re.compile(r'"([^"]*)"')


def plain(text: str) -> str:
    """Text without the invisible characters (zero-width spaces and joiners, soft hyphens, byte
    order marks: Unicode's format characters) that would make a surname print as nothing."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def citable_title(title: str) -> str:
    """A title as a citation quotes it: invisible characters out, a quoted headline's wrapping
    quotes off, quotes inside it single."""
    text = " ".join(plain(title).split())
    if len(text) > 2 and WRAPPING_QUOTES.get(text[0]) == text[-1]:
        inner = text[1:-1].strip()
        if not any(q in inner for q in (text[0], text[-1])):
            text = inner
    return STRAIGHT_QUOTED.sub(r"‘\1’", text).translate(INNER_DOUBLE_QUOTES)


def person_name(printed: str) -> dict[str, str]:
    """A byline as CSL name parts: `{"family", "given"}`, or `{"literal"}` where it won't split.

    `Hale, Oswin` and `Oswin Hale` split alike; lower-case particles stay with the
    family name (`Jan van der Berg`); `Jr.` becomes a suffix; a single name
    (`Spartacus`), initials (`J. K.`) or a collective byline (`Our Correspondent`)
    is kept literal.
    """
    name = " ".join(plain(printed).split())
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if family and given and given.casefold().rstrip(".") not in {"jr", "sr"}:
            return {"family": family, "given": given}
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1].casefold() in SUFFIXES else ""
    if (
        len(words) < 2
        or words[0].casefold() in COLLECTIVE_OPENINGS
        or len(words[-1].strip(".")) < 2  # initials only (`J. K.`): no family name to cite by
    ):
        return {"literal": name}
    start = len(words) - 1
    # `Jan van der Berg`, `Jon Van Camp`: a particle (in either case) after the given name
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    parts = {"family": " ".join(words[start:]), "given": " ".join(words[:start])}
    if suffix:
        parts["suffix"] = suffix.rstrip(",")
    return parts


def display_name(name: dict[str, str], inverted: bool = True) -> str:
    """`Hale, Oswin` (or `Oswin Hale`); a literal name as printed."""
    if "literal" in name:
        return name["literal"]
    suffix = f", {name['suffix']}" if "suffix" in name else ""
    if inverted:
        return f"{name['family']}, {name['given']}{suffix}"
    return f"{name['given']} {name['family']}{suffix}"


@dataclass(frozen=True)
class PageSpan:
    """Where an article is printed: `first` and `last` pages, and the CSL `page` string."""

    first: str = ""
    last: str = ""
    page: str = ""


def page_span(pages: str) -> PageSpan:
    """`6-7` and `6 and 7` are pages 6 to 7; `8` is page 8; `3, 9` starts on 3 and ends on 9.

    Anything else is kept as printed, with no first or last page claimed.
    """
    text = PAGE_PREFIX.sub("", pages or "").strip()
    if not text:
        return PageSpan()
    dashed = PAGE_RANGE_DASH.match(text)
    if dashed:
        first, last = dashed.groups()
        return PageSpan(first, last, f"{first}-{last}")
    numbers = PAGE_LIST_SEPARATOR.split(text)
    if not all(PAGE_NUMBER.fullmatch(n) for n in numbers):
        return PageSpan(page=text)
    if len(numbers) == 1:
        return PageSpan(text, text, text)
    first, last = numbers[0], numbers[-1]
    if len(numbers) == 2 and first.isdecimal() and last.isdecimal() and int(last) == int(first) + 1:
        return PageSpan(first, last, f"{first}-{last}")
    return PageSpan(first, last, ", ".join(numbers))


def date_parts(article: Article) -> list[int]:
    """[year, month, day] as far as known: the article's own date, else its issue's cover date."""
    if article.published:
        day = article.published
        return [day.year, day.month, day.day]
    year, month, day = article.issue.real_parts()
    parts = [year]
    if month:
        parts.append(month)
        if day:
            parts.append(day)
    return parts


def ascii_word(text: str) -> str:
    """`Señora` → `senora`: the letters and digits of a word, for citation keys."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.casefold())


def citation_key(
    authors: list[dict[str, str]], year: int, title: str, container: str, identity: str = ""
) -> str:
    """`hale1954maps-3f2a9c`: first author's family name (else the publication), year, first
    title word, and six hex digits of the article's identity (its publication and source key),
    so that the 37 unsigned `Views` of one paper's 2005 have 37 keys.

    Made only from what the article is, so the same article keeps its key, in this archive and
    in any other its JSONL export is read into.
    """
    if authors:
        first = authors[0]
        who = ascii_word(first.get("family") or first["literal"].split()[-1])
    else:
        who = next((ascii_word(w) for w in container.split() if w.casefold() != "the"), "")
    word = next(
        (ascii_word(w) for w in title.split() if ascii_word(w) not in TITLE_STOPWORDS | {""}),
        "",
    )
    base = f"{who or 'anon'}{year}{word}"
    if not identity:
        return base
    return f"{base}-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:6]}"


def bylines(article: Article) -> list[str]:
    """The byline names in order, as printed where the source recorded it (uses any prefetch)."""
    ordered = sorted(article.author_bylines(), key=lambda b: b.position)
    return [b.as_printed or b.author.name for b in ordered]


def article_type(article: Article, reviews: list) -> str:
    """`review-book` for a review; else a daily's or weekly's article is a newspaper article
    (the publication's frequency says), anything else a magazine article."""
    if reviews:
        return "review-book"
    return "article-newspaper" if article.publication.is_newspaper else "article-magazine"


def article_csl(article: Article, url: str) -> dict:
    """The article as one CSL-JSON item; `url` is its absolute address on this site. A review
    carries the first work it reviews as `reviewed-title` and `reviewed-author`."""
    issue = article.issue
    authors = [person_name(name) for name in bylines(article)]
    parts = date_parts(article)
    reviews = list(article.reviews.all())
    title = citable_title(article.title)
    identity = f"{article.publication.slug}\n{article.key}"
    item = {
        "id": citation_key(authors, parts[0], title, issue.publication.name, identity),
        "type": article_type(article, reviews),
        "title": title,
        "container-title": issue.publication.name,
        "issued": {"date-parts": [parts]},
        "URL": url,
        "language": article.language or "en",
    }
    if authors:
        item["author"] = authors
    if reviews:
        work = reviews[0].work
        item["reviewed-title"] = citable_title(work.title)
        if work.author:
            item["reviewed-author"] = [person_name(work.author)]
    optional = {
        "volume": issue.volume,
        "issue": issue.number,
        "page": page_span(article.pages).page,
        "abstract": plain(article.standfirst or article.summary),
        "ISSN": article.publication.issn,
    }
    item.update({k: str(v) for k, v in optional.items() if v not in (None, "")})
    return item
