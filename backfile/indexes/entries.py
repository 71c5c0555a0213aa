"""What goes in the indexes' entries: the label's slug and letter, an author's sort key.

Plain functions over plain values, so that the receivers and the migration that fills
the entries of an archive stored before them file everything the same way.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify

from backfile.archive.models import name_key
from backfile.indexes.models import OTHER, SECTION, SUBJECT

NAME_LENGTH = 200
LETTERS = tuple(string.ascii_lowercase) + (OTHER,)
LEADING_MARKS = re.compile(r"^[^a-z0-9]+")
# Latin letters that Unicode does not decompose into a base letter and a mark, so that
# folding (NFKD, then ASCII) would drop them: `Øyvind` must file under O, not Y.
UNDECOMPOSED = str.maketrans(
    {"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Æ": "AE", "æ": "ae",
     "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "ß": "ss"}
)  # fmt: skip


@lru_cache(maxsize=4096)  # (an archive's labels are few, and each is filed thousands of times)
def label_slug(label: str) -> str:
    """`book-review` for `Book Review` or `BOOK REVIEW`; `économie` gives `economie`; a label
    with no letters a to z (another script) gets one from its digest: `_3f2a…` (which no
    slugify gives, as it strips leading underscores, and which files under OTHER)."""
    slug = slugify(label.translate(UNDECOMPOSED))[:NAME_LENGTH].strip("-")
    if slug:
        return slug
    return "_" + hashlib.sha256(" ".join(label.casefold().split()).encode()).hexdigest()[:16]


def letter_of(key: str) -> str:
    """The letter a folded key is filed under: a to z, or OTHER."""
    first = key[:1]
    return first if first in string.ascii_lowercase and first else OTHER


def author_key(name: str) -> str:
    """A name folded for the A–Z: `Émile Zola` sorts as `emile zola`, `'Abd al-Rahman` as
    `abd al-rahman` (leading quotes and marks dropped)."""
    folded = name_key(name.translate(UNDECOMPOSED))
    return (LEADING_MARKS.sub("", folded) or folded)[:300]


@dataclass(frozen=True)
class Label:
    name: str
    slug: str
    letter: str
    is_section: bool


def article_labels(section: str, subjects: object) -> Iterator[Label]:
    """An article's section and subjects, one Label a slug (the section's first)."""
    names = [(section, True)]
    if isinstance(subjects, list):
        names += [(subject, False) for subject in subjects if isinstance(subject, str)]
    seen: set[str] = set()
    for name, is_section in names:
        name = " ".join(name.split())[:NAME_LENGTH]
        if not name:
            continue
        slug = label_slug(name)
        if slug in seen:
            continue
        seen.add(slug)
        yield Label(name, slug, letter_of(slug), is_section)


SUBJECT_COLUMNS = ("article_id", "publication_id", "name", "slug", "letter", "kind")
AUTHOR_COLUMNS = ("author_id", "key", "letter")


def subject_values(articles: Iterable[tuple[int, int, str, object]]) -> list[tuple]:
    """The entries (SUBJECT_COLUMNS values) for (article id, publication id, section,
    subjects) rows."""
    return [
        (pk, publication, label.name, label.slug, label.letter,
         SECTION if label.is_section else SUBJECT)
        for pk, publication, section, subjects in articles
        for label in article_labels(section or "", subjects)
    ]  # fmt: skip


def subject_rows(entry_model, articles: Iterable[tuple[int, int, str, object]]) -> list:
    """Unsaved entries for (article id, publication id, section, subjects) rows."""
    return [
        entry_model(**dict(zip(SUBJECT_COLUMNS, values, strict=True)))
        for values in subject_values(articles)
    ]


def author_values(authors: Iterable[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """The entries (AUTHOR_COLUMNS values) for (author id, name) rows."""
    rows = []
    for pk, name in authors:
        key = author_key(name)
        rows.append((pk, key, letter_of(key)))
    return rows


def author_rows(entry_model, authors: Iterable[tuple[int, str]]) -> list:
    return [
        entry_model(**dict(zip(AUTHOR_COLUMNS, values, strict=True)))
        for values in author_values(authors)
    ]


def store_author_rows(entry_model, rows: list, using: str = "default") -> None:
    """Write author entries, replacing those of the same authors (one statement)."""
    entry_model.objects.using(using).bulk_create(
        rows, update_conflicts=True, unique_fields=["author"], update_fields=["key", "letter"]
    )
