"""Reads Backfile's own JSONL export back in (the lossless round trip)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.records import (
    ArticleRecord,
    Failure,
    IssueRecord,
    ReplyRecord,
    ReviewedWork,
    Source,
    block_from_dict,
)
from backfile.ingest.sources import SourceFile

REQUIRED_KEYS = {"publication", "key", "issue", "title", "source", "blocks"}


class JsonlReader(Reader):
    format = "jsonl"
    description = "Backfile's JSONL export, one article per line"
    streamed = True  # a line at a time, each at most BACKFILE_INGEST_MAX_MEMBER_BYTES

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        head = file.head.lstrip()
        named_jsonl = file.path.lower().endswith((".jsonl", ".ndjson"))
        return head.startswith(b'{"') and (named_jsonl or b'"blocks": [' in head)

    def feed(self, file: SourceFile) -> Iterator[Output]:
        for number, raw in enumerate(_lines(file), start=1):
            where = f"{file.path}:{number}"
            if raw is None:
                yield Failure(where, file.limits.member_refusal("the line"))
                continue
            line = raw.decode("utf-8", errors="strict").strip() if raw.strip() else ""
            if not line:
                continue
            try:
                data = json.loads(line)
                missing = REQUIRED_KEYS - data.keys()
                if missing:
                    raise ValueError(f"missing keys: {', '.join(sorted(missing))}")
                yield record_from_json(data, self.publication)
            except (ValueError, KeyError, TypeError) as error:
                yield Failure(where, f"not a Backfile JSONL record: {error}")


def _lines(file: SourceFile) -> Iterator[bytes | None]:
    """The file's lines; None for one longer than the limits allow, which is skipped unread."""
    most = file.limits.member_bytes
    while line := file.stream.readline(most + 1):
        if len(line) <= most or line.endswith(b"\n"):
            yield line
            continue
        while (rest := file.stream.readline(1 << 20)) and not rest.endswith(b"\n"):
            pass
        yield None


def record_from_json(data: dict, publication: str | None = None) -> ArticleRecord:
    issue = data["issue"]
    source = data["source"]
    return ArticleRecord(
        publication=publication or data["publication"],
        key=data["key"],
        issue=IssueRecord(
            year=int(issue["year"]),
            number=issue.get("number"),
            month=issue.get("month"),
            day=issue.get("day"),
            volume=issue.get("volume"),
            slug=issue.get("slug", ""),
            title=issue.get("title", ""),
        ),
        title=data["title"],
        source=Source(
            path=source["path"],
            format=source["format"],
            sha256=source["sha256"],
            text=source.get("text", ""),
        ),
        slug=data.get("slug", ""),
        section=data.get("section", ""),
        kicker=data.get("kicker", ""),
        standfirst=data.get("standfirst", ""),
        summary=data.get("summary", ""),
        authors=list(data.get("authors", [])),
        pages=data.get("pages", ""),
        position=data.get("position"),
        published=date.fromisoformat(data["published"]) if data.get("published") else None,
        language=data.get("language", "en"),
        reviewed_works=[ReviewedWork(**w) for w in data.get("reviewed_works", [])],
        blocks=[block_from_dict(b) for b in data["blocks"]],
        subjects=list(data.get("subjects", [])),
        original_url=data.get("original_url", ""),
        attachments=list(data.get("attachments", [])),
        replies=[
            ReplyRecord(
                **{
                    **r,
                    "created": datetime.fromisoformat(r["created"]) if r.get("created") else None,
                }
            )
            for r in data.get("replies", [])
        ],
    )
