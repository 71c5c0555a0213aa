"""What every reader is: sniff a file, feed it files, collect records.

A reader turns source files into ArticleRecords (and Failures and Notices for
the report). It never touches the database. Readers that need to see several
files before they can say anything (a legacy site's contents page and its
article pages) keep what they need between `feed` calls and emit it from
`feed` or `finish`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from backfile.ingest.page_records import PageRecord
from backfile.ingest.records import (
    ArticleRecord,
    AuthorityRecord,
    Failure,
    Notice,
    PublicationRecord,
)
from backfile.ingest.sources import SourceFile

# pages, catalogues, the authority file
Output = ArticleRecord | PageRecord | PublicationRecord | AuthorityRecord | Failure | Notice


class Reader:
    format: ClassVar[str]
    description: ClassVar[str]
    options: ClassVar[tuple[str, ...]] = ()  # the reader options (keyword arguments) it takes
    # Formats are tried in this order, lower first (see `backfile.ingest.readers`).
    priority: ClassVar[int] = 50
    # Streamed: reads a file item by item in bounded memory, so the ingest limits bound each
    # item (BACKFILE_INGEST_MAX_MEMBER_BYTES) and not the file. Otherwise a file is read whole
    # and becomes at most one article: it is refused past what one article may take.
    streamed: ClassVar[bool] = False

    def __init__(self, publication: str | None = None):
        self.publication = publication

    @classmethod
    def configured(cls, publication: str | None, options: dict) -> Reader:
        """A reader given the options it takes; options meant for other formats are ignored."""
        return cls(publication, **{k: v for k, v in options.items() if k in cls.options})

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        """True when this file looks like this reader's format (from content, not only the name)."""
        raise NotImplementedError

    def feed(self, file: SourceFile) -> Iterator[Output]:
        raise NotImplementedError

    def finish(self) -> Iterator[Output]:
        return iter(())
