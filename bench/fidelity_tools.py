"""Comparing an archive's records with a hand-written ground truth, field by field.

Backfile-independent: it reads the ground truth (`tests/fidelity/ground_truth.jsonl`,
described in `tests/fidelity/README.md`) and records in the JSONL export format
(`docs/jsonl-format.md`, as plain dicts), so `bench/fidelity.py` and any test can share
the same rules. The rules, so a score means the same thing to everyone:

- Text (titles, kickers, sections, standfirsts, names, paragraphs) is compared after
  `normalise`: Unicode NFKC; curly quotes, primes and guillemets as straight quotes;
  em and en dashes as `--` (the typed dash of old sites; a prefix cut inside one still
  matches); `…` as three dots; every run of whitespace
  (line breaks, no-break spaces) as one space; zero-width characters and soft hyphens
  dropped; leading and trailing space stripped. Nothing else is forgiven: a word
  missing, or a dateline left at the start of a paragraph, is a mismatch.
- Section and kicker are compared without regard to case (the sites print them in
  capitals as styling); titles, standfirsts and paragraphs keep their case. Author
  names are compared without case too: a name printed in capitals (`by ALAN MAASS`)
  cannot be recased with certainty, and the archive's spelling is not the point.
- A standfirst and the first and last paragraph are recorded as their first 80
  characters: the archive's text must begin with them (an empty expected standfirst
  means the archive must have none).
- Texts that are the corpus's own sentences (titles, kickers, standfirsts, paragraphs)
  are kept in the ground truth sealed: `{"sha256": …}` of the text as compared (after
  `normalise`, or `folded` for a kicker), with `chars`, the prefix's length, for the
  texts compared by their opening. The repository holds no sentence of the corpus; the
  comparison is the same as on the text itself (`seal` makes them).
- Authors: the people with the role `author`, in byline order (order matters: it is
  the order a citation prints), and separately the other roles (translator,
  contributor…) as a set of (name, role). A record that knows no roles counts every
  name as an author, so a contributor stored as an author is a mismatch.
- Issue: the number (or none), the date at the precision the source gives
  (`2003-03-07`, or `1937-09` for a monthly) and that precision (`day`, `month`,
  `year`) are three fields. The article's own date is the record's `published`, or the
  issue's date when the issue is dated to the day.
- Pages compare as the list of page numbers they name (`Pages 6 and 7`, `6-7` and
  `6, 7` are all [6, 7]).
- Language compares the primary subtag of the BCP 47 tag (`en-US` is `en`).
- Structure counts top-level blocks: paragraphs and quotations outside any quotation,
  lists, tables and subheads (`heading`) anywhere at the top; footnotes are counted
  wherever they are (blocks of type `footnote`, or a record's `footnotes` list).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES = ["legacy-en", "legacy-es", "wxr", "capture"]
FAMILY_LABELS = {
    "legacy-en": "legacy EN",
    "legacy-es": "legacy ES",
    "wxr": "WXR",
    "capture": "capture",
}
FIELDS = [
    "title",
    "kicker",
    "section",
    "standfirst",
    "authors",
    "other roles",
    "issue number",
    "issue date",
    "date precision",
    "article date",
    "pages",
    "language",
    "first paragraph",
    "last paragraph",
    "paragraphs",
    "quotations",
    "lists",
    "tables",
    "subheads",
    "footnotes",
]
PREFIX_CHARS = 80
NOT_STORED = "(not stored)"

QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "‹": "'",
        "›": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "—": "--",
        "–": "--",
        "‒": "--",
        "―": "--",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
BLOCK_TYPES = {
    "paragraph": "paragraphs",
    "quotation": "quotations",
    "blockquote": "quotations",
    "list": "lists",
    "ordered_list": "lists",
    "unordered_list": "lists",
    "bullet_list": "lists",
    "table": "tables",
    "heading": "subheads",
    "subhead": "subheads",
}


def normalise(text: str | None) -> str:
    """Text as compared: see the module's rules."""
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES)
    text = text.replace("…", "...")
    return " ".join(text.split())


def folded(text: str | None) -> str:
    return normalise(text).casefold()


def page_numbers(pages: str | None) -> list[int]:
    """`Pages 6 and 7` → [6, 7]; `6-8` → [6, 7, 8]; `` → []."""
    numbers: list[int] = []
    for start, end in re.findall(r"(\d+)(?:\s*[-–—]\s*(\d+))?", pages or ""):
        first = int(start)
        last = int(end) if end and int(end) >= first and int(end) - first < 100 else first
        numbers.extend(range(first, last + 1))
    return numbers


def language(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].strip().lower()


def issue_date(issue: dict) -> tuple[str, str]:
    """(date at its precision, precision) of an exported issue."""
    year, month, day = issue.get("year"), issue.get("month"), issue.get("day")
    if year is None:
        return "", ""
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def people(authors: Iterable) -> tuple[list[str], set[tuple[str, str]]]:
    """Authors in order, and the other (name, role) pairs, from a list of names or of
    {name, role} objects; a role-less name is an author."""
    ordered: list[str] = []
    others: set[tuple[str, str]] = set()
    for person in authors or []:
        if isinstance(person, str):
            name, role = person, "author"
        else:
            name, role = person.get("name", ""), (person.get("role") or "author")
        if folded(role) == "author":
            ordered.append(folded(name))
        else:
            others.add((folded(name), folded(role)))
    return ordered, others


def record_people(record: dict) -> tuple[list[str], set[tuple[str, str]]]:
    """A record's people: its `authors`, plus `contributors` if the format has them."""
    return people(list(record.get("authors") or []) + list(record.get("contributors") or []))


def body_summary(record: dict) -> dict:
    """The counts and the first and last paragraph of a record's body."""
    counts = {name: 0 for name in set(BLOCK_TYPES.values())}
    paragraphs: list[str] = []
    for block in record.get("blocks") or []:
        kind = BLOCK_TYPES.get(block.get("type", ""))
        if kind:
            counts[kind] += 1
        if kind == "paragraphs":
            paragraphs.append(block.get("text", ""))
    counts["footnotes"] = count_footnotes(record.get("blocks") or []) + len(
        record.get("footnotes") or []
    )
    return {
        **counts,
        "first": paragraphs[0] if paragraphs else "",
        "last": paragraphs[-1] if paragraphs else "",
    }


def count_footnotes(blocks: list[dict]) -> int:
    total = 0
    for block in blocks:
        if block.get("type") in ("footnote", "note"):
            total += 1
        total += count_footnotes(block.get("blocks") or [])
    return total


def seal(text: str | None, convert=None, prefix: bool = False) -> dict | str:
    """What the ground truth keeps of a corpus text: its digest as compared (and, for a
    text compared by its opening, the opening's length); "" stays "" (no text)."""
    text = (convert or normalise)(text)
    if not text:
        return ""
    sealed = {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if prefix:
        sealed["chars"] = len(text)
    return sealed


def same_text(expected, got: str | None, convert=None) -> bool:
    """The archive's text is the expected one (sealed or plain), after `convert`."""
    convert = convert or normalise
    if isinstance(expected, dict):
        return seal(got, convert) == expected
    return convert(expected) == convert(got)


def starts_with(got: str, expected) -> bool:
    """The archive's text begins with the expected opening (sealed or plain); an empty
    expected text means the archive must have none."""
    if isinstance(expected, dict):
        opening = normalise(got)[: expected["chars"]]
        return seal(opening, prefix=True) == expected
    expected = normalise(expected)
    if not expected:
        return not normalise(got)
    return normalise(got).startswith(expected)


def shown(expected) -> object:
    """An expected value as a mismatch list shows it (a sealed text says so)."""
    if isinstance(expected, dict) and "sha256" in expected:
        return f"(sealed text, sha256 {expected['sha256'][:12]}…)"
    return expected


@dataclass
class Mismatch:
    entry: str
    family: str
    field: str
    expected: object
    got: object


@dataclass
class Score:
    """Matches and trials per field and family, and the mismatches."""

    right: dict = field(default_factory=dict)
    tried: dict = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)

    def count(self, family: str, name: str, ok: bool, entry: str, expected, got) -> None:
        for where in (family, "overall"):
            self.tried[where, name] = self.tried.get((where, name), 0) + 1
            self.right[where, name] = self.right.get((where, name), 0) + int(ok)
        if not ok:
            self.mismatches.append(Mismatch(entry, family, name, expected, got))

    def cell(self, family: str, name: str) -> str:
        tried = self.tried.get((family, name), 0)
        if not tried:
            return "–"
        right = self.right.get((family, name), 0)
        return f"{100 * right / tried:5.1f}% {right:>3}/{tried:<3}"


def compare(entry: dict, record: dict | None, score: Score) -> None:
    """Score one ground-truth entry against its record (None: the article was not stored)."""
    family, name = entry["family"], entry["id"]
    if record is None:
        for field_name in FIELDS:
            score.count(family, field_name, False, name, "(an article)", NOT_STORED)
        return
    checks = field_values(entry, record)
    for field_name in FIELDS:
        ok, expected, got = checks[field_name]
        score.count(family, field_name, ok, name, expected, got)


def field_values(entry: dict, record: dict) -> dict[str, tuple[bool, object, object]]:
    """Per field: (matches, expected, got)."""
    body, got_body = entry["body"], body_summary(record)
    issue = record.get("issue") or {}
    got_date, got_precision = issue_date(issue)
    got_published = record.get("published") or (got_date if got_precision == "day" else None)
    authors, others = people(entry.get("authors") or [])
    got_authors, got_others = record_people(record)
    values = {
        "issue number": (None, entry["issue"]["number"], issue.get("number")),
        "issue date": (None, entry["issue"]["date"], got_date),
        "date precision": (None, entry["issue"]["precision"], got_precision),
        "article date": (None, entry.get("published"), got_published),
        "pages": (page_numbers, entry["pages"], record.get("pages")),
        "language": (language, entry["language"], record.get("language")),
    }
    out = {
        key: (convert(expected) == convert(got) if convert else expected == got, expected, got)
        for key, (convert, expected, got) in values.items()
    }
    for key, convert in (("title", normalise), ("kicker", folded), ("section", folded)):
        got = record.get(key)
        out[key] = (same_text(entry[key], got, convert), shown(entry[key]), got)
    out["standfirst"] = (
        starts_with(record.get("standfirst", ""), entry["standfirst"]),
        shown(entry["standfirst"]),
        clip(record.get("standfirst", "")),
    )
    out["authors"] = (authors == got_authors, authors, got_authors)
    out["other roles"] = (others == got_others, sorted(others), sorted(got_others))
    for key, which in (("first paragraph", "first"), ("last paragraph", "last")):
        got = got_body[which]
        out[key] = (starts_with(got, body[which]), shown(body[which]), clip(got))
    for key in ("paragraphs", "quotations", "lists", "tables", "subheads", "footnotes"):
        out[key] = (body[key] == got_body[key], body[key], got_body[key])
    return out


def clip(text: str) -> str:
    text = normalise(text)
    return text if len(text) <= PREFIX_CHARS + 20 else text[: PREFIX_CHARS + 20] + "…"


def load_ground_truth(path: Path) -> list[dict]:
    """The entries of a ground-truth JSONL file; a bad line stops with its number."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON: {error}") from error
        missing = {"id", "family", "source", "title", "issue", "body"} - set(entry)
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
        if entry["family"] not in FAMILIES:
            raise ValueError(f"{path}:{number}: unknown family {entry['family']!r}")
        entries.append(entry)
    return entries


def table(score: Score, families: list[str] | None = None) -> str:
    """Accuracy per field, overall and per source family, as a fixed-width table."""
    families = families or FAMILIES
    columns = ["overall", *families]
    width = 15
    head = (
        f"{'field':<16}"
        + "".join(f"{(FAMILY_LABELS.get(c, c)):>{width}}  " for c in columns).rstrip()
    )
    rows = [head, "-" * len(head)]
    for name in FIELDS:
        rows.append(
            f"{name:<16}" + "".join(f"{score.cell(c, name):>{width}}  " for c in columns).rstrip()
        )
    return "\n".join(rows)
