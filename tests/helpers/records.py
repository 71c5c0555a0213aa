"""Records as a reader would make them, for tests of invented periodicals."""

from __future__ import annotations

from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source


def invented_record(publication: str, issue: IssueRecord, title: str, **fields) -> ArticleRecord:
    """An article of an invented periodical, its key, body and source made up from its title
    (any of them may be given instead)."""
    key = fields.pop("key", f"{issue.year}-{issue.number}-{issue.title}-{title}")
    fields.setdefault("blocks", [Block("paragraph", text=f"The body of {title}.")])
    fields.setdefault("source", Source.of(f"tests/{key}.txt", "test", f"{title}\n\nsource text"))
    return ArticleRecord(publication=publication, key=key, issue=issue, title=title, **fields)
