"""The ingest's account of itself, in words a user reads: every file, what it was, what came of it.

The report's entries are by the path a reader gave (a file, a page's key below
its site, an export's `…xml#post-12`, a JSONL file's `…jsonl:7`), so each file
read is matched to its entries (its own path, or an entry whose path is a tail of
it, or a part of it), and given one outcome: an article, an export of several,
a contents page, a series, navigation or picture page, a failure (with its
reason), or nothing at all (said so, never left out).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

ARTICLE_STATUSES = ("added", "updated", "unchanged", "conflict")
PAGE = "page"  # the kind of a printed page's entries (backfile.ingest.page_loader)
ITEM_SUFFIX = re.compile(r"(?:#[^/]*|:\d+)$")  # `export.xml#post-12`, `records.jsonl:7`
ORDER = [  # the summary's order: what was stored, what was read for it, what was not
    "article",
    "export",
    "facsimile",
    "contents page",
    "series page",
    "navigation page",
    "picture page",
    "picture",
    "other page",
    "skipped",
    "nothing stored",
    "no outcome",
    "failed",
]
PLURALS = {
    "article": "articles",
    "export": "exports",
    "failed": "failed",
    "nothing stored": "nothing stored",
    "no outcome": "with no outcome",
    "skipped": "skipped",
}


@dataclass
class FileOutcome:
    path: str
    outcome: str  # article, export, contents page, …, failed, nothing stored, no outcome
    articles: int = 0
    reasons: list[str] = field(default_factory=list)
    pages: int = 0  # printed pages stored from it (a PDF, a page image, an ALTO file)

    def as_dict(self) -> dict:
        data = {
            "path": self.path,
            "outcome": self.outcome,
            "articles": self.articles,
            "reasons": self.reasons,
        }
        if self.pages:
            data["pages"] = self.pages
        return data


def file_outcomes(report) -> list[FileOutcome]:
    """One outcome for every file the run read, in the order read."""
    by_path: dict[str, list] = {}
    for entry in report.entries:
        by_path.setdefault(entry.path, []).append(entry)
        item = ITEM_SUFFIX.sub("", entry.path)
        if item != entry.path:
            by_path.setdefault(item, []).append(entry)
    read = getattr(report, "records_read", {})
    return [_outcome(path, _entries_of(path, by_path), read.get(path, 0)) for path in report.files]


def _entries_of(path: str, by_path: dict[str, list]) -> list:
    """The entries of the file at `path`: its own, and those of the longest tail of it that
    a reader used as the page's key (`2003-2/459/459_08_X.php`)."""
    own = by_path.get(path, [])
    parts = re.split(r"[/\\!]", path)
    for start in range(1, len(parts)):
        tail = "/".join(parts[start:])
        if tail in by_path:
            return own + by_path[tail]
    return own


def _outcome(path: str, entries: list, records_read: int = 0) -> FileOutcome:
    """`records_read`: the records read from the file as it was read, for a file whose
    records are reported under other paths (a JSON Lines export's keep their sources')."""
    articles = sum(1 for e in entries if e.status in ARTICLE_STATUSES and e.kind != PAGE)
    pages = sum(1 for e in entries if e.status in ARTICLE_STATUSES and e.kind == PAGE)
    if not entries and records_read:
        return FileOutcome(path, "export" if records_read > 1 else "article", records_read)
    kinds = [e.kind for e in entries if getattr(e, "kind", "") not in ("", PAGE)]
    failures = [e.reason for e in entries if e.status == "failed"]
    notes = [e.reason for e in entries if e.status == "noted"]
    if kinds:
        outcome = kinds[0]
    elif articles == 1:
        outcome = "article"
    elif articles > 1:
        outcome = "export"
    elif pages:
        outcome = "facsimile"  # a file of printed pages: a PDF, a page image, an ALTO file
    elif failures:
        outcome = "failed"
    elif entries:
        outcome = "nothing stored"
    else:
        outcome = "no outcome"
        notes = ["read, but its reader said nothing of it: no article, notice or failure"]
    return FileOutcome(path, outcome, articles, failures + notes, pages)


def files_line(report) -> str:
    """`5,153 files: 4,948 articles, 205 contents pages, 3 navigation pages`."""
    counts = Counter(outcome.outcome for outcome in file_outcomes(report))
    files = len(report.files) or report.files_read
    kinds = sorted(counts, key=lambda kind: (ORDER.index(kind) if kind in ORDER else 99, kind))
    parts = [f"{counts[kind]:,} {_plural(kind, counts[kind])}" for kind in kinds]
    head = f"{files:,} file{'s' if files != 1 else ''}"
    return f"{head}: {', '.join(parts)}" if parts else head


def _plural(kind: str, count: int) -> str:
    if kind in PLURALS:
        return kind if count == 1 and kind in ("article", "export") else PLURALS[kind]
    return kind if count == 1 else f"{kind}s"
