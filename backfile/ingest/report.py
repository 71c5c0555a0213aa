"""What an ingest did: an entry for every file and item, the summary line, `--report FILE`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from backfile.ingest.accounting import PAGE, file_outcomes, files_line

STATUSES = ("added", "updated", "unchanged", "conflict", "failed", "noted")


@dataclass
class ReportEntry:
    path: str
    status: str
    reason: str = ""
    url: str = ""
    kind: str = ""  # what a file that is no article is (`contents page`, `picture page`)


@dataclass
class IngestReport:
    """What happened to every file and item: the summary line and `--report FILE`."""

    entries: list[ReportEntry] = field(default_factory=list)
    files_read: int = 0
    files: list[str] = field(default_factory=list)  # every file read, in order
    # records read from a file while it was being read, for files whose records name other
    # paths (a JSON Lines export's records keep their sources' paths)
    records_read: Counter = field(default_factory=Counter)
    links_resolved: int = 0  # links between articles that name a stored article
    links_absent: int = 0
    page_issues: set = field(default_factory=set)  # the issues whose pages the run stored
    # the versions conflicts did not apply, by the conflict's (path, reason): an article's
    # {"publication" (slug), "key", "title", "blocks", "fingerprint"}, a page's {"page" (its
    # id), "text"}; for the desk's work items (backfile.desk.workitems), not in as_dict
    incoming: dict = field(default_factory=dict)

    def add(self, path: str, status: str, reason: str = "", url: str = "", kind: str = "") -> None:
        self.entries.append(ReportEntry(path, status, reason, url, kind))

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    def summary(self) -> dict[str, int]:
        """Files read and articles by status; with printed pages, `pages added` and so on."""
        counts = {"read": self.files_read}
        pages = Counter(e.status for e in self.entries if e.kind == PAGE)
        everything = Counter(e.status for e in self.entries)
        counts.update({status: everything[status] - pages[status] for status in STATUSES})
        if pages:
            counts.update({f"pages {status}": pages[status] for status in STATUSES})
            counts["issues with pages"] = len(self.page_issues)
        return counts

    def summary_line(self) -> str:
        """`5,153 files: 4,948 articles, 205 contents pages; articles: added 4,948, …`"""
        s = self.summary()
        files = f"{files_line(self)}; " if self.files or self.files_read else ""
        line = (
            f"{files}articles: added {s['added']:,}, updated {s['updated']:,}, "
            f"unchanged {s['unchanged']:,}, failed {s['failed']:,}"
        )
        if s["conflict"]:
            line += f", conflicts {s['conflict']} (edited by an editor; not overwritten)"
        if s["noted"]:
            line += f", notes {s['noted']:,}"
        if "pages added" in s:
            line += f"; {pages_line(s)}"
        if self.links_resolved or self.links_absent:
            line += (
                f"; links between pages: {self.links_resolved:,} to stored articles, "
                f"{self.links_absent:,} not in the archive"
            )
        return line

    def as_dict(self) -> dict:
        """The report as `--report FILE` writes it (and the desk keeps it)."""
        return {
            "summary": self.summary(),
            "files": [outcome.as_dict() for outcome in file_outcomes(self)],
            "links": {"to stored articles": self.links_resolved, "absent": self.links_absent},
            "entries": [e.__dict__ for e in self.entries],
        }

    def write_json(self, path: Path) -> None:
        data = self.as_dict()
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def pages_line(s: dict[str, int]) -> str:
    """`pages: 3 of 1 issue (added 3, updated 0, unchanged 0, failed 0)`."""
    stored = sum(s[f"pages {status}"] for status in ("added", "updated", "unchanged", "conflict"))
    issues = s["issues with pages"]
    line = (
        f"pages: {stored:,} page{'s' if stored != 1 else ''} of {issues:,} "
        f"issue{'s' if issues != 1 else ''} (added {s['pages added']:,}, updated "
        f"{s['pages updated']:,}, unchanged {s['pages unchanged']:,}, failed {s['pages failed']:,}"
    )
    if s["pages conflict"]:
        line += f", conflicts {s['pages conflict']} (corrected by an editor; not overwritten)"
    return line + ")"
