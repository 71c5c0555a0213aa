"""An article as CSL-JSON: the one citation record every format is written from.

CSL-JSON (the Citation Style Language's data model) is what citeproc formats and
what reference managers import; RIS, BibTeX and the page's meta tags are all
derived from it, so a correction to how an article is cited is made once, here.
"""

from __future__ import annotations

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


def person_name(printed: str) -> dict[str, str]:
    """A byline as CSL name parts: `{"family", "given"}`, or `{"literal"}` where it won't split.

    `Hale, Oswin` and `Oswin Hale` split alike; lower-case particles stay with the
    family name (`Jan van der Berg`); `Jr.` becomes a suffix; a single name
    (`Spartacus`), initials (`J. K.`) or a collective byline (`Our Correspondent`)
    is kept literal.
    """
    name = " ".join(printed.split())
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
    while start > 1 and words[start - 1] in PARTICLES:
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
    if len(numbers) == 2 and first.isdigit() and last.isdigit() and int(last) == int(first) + 1:
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


def citation_key(authors: list[dict[str, str]], year: int, title: str, container: str) -> str:
    """`hale1954maps`: first author's family name (else the publication), year, first title word.

    Made only from what the article says, so the same article keeps its key.
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
    return f"{who or 'anon'}{year}{word}"


def bylines(article: Article) -> list[str]:
    """The byline names in order, as printed where the source recorded it (uses any prefetch)."""
    ordered = sorted(article.author_bylines(), key=lambda b: b.position)
    return [b.as_printed or b.author.name for b in ordered]


def article_csl(article: Article, url: str) -> dict:
    """The article as one CSL-JSON item; `url` is its absolute address on this site.

    The type is `article-magazine`: the archive does not record a publication's
    frequency, which is what would tell a newspaper from a magazine.
    """
    issue = article.issue
    authors = [person_name(name) for name in bylines(article)]
    parts = date_parts(article)
    item = {
        "id": citation_key(authors, parts[0], article.title, issue.publication.name),
        "type": "article-magazine",
        "title": article.title,
        "container-title": issue.publication.name,
        "issued": {"date-parts": [parts]},
        "URL": url,
        "language": article.language or "en",
    }
    if authors:
        item["author"] = authors
    optional = {
        "volume": issue.volume,
        "issue": issue.number,
        "page": page_span(article.pages).page,
        "abstract": article.standfirst or article.summary,
    }
    item.update({k: str(v) for k, v in optional.items() if v not in (None, "")})
    return item
