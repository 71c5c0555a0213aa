"""The loader's batches (records read together, their bodies encoded once) and the rows its
bulk path writes for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from backfile.archive.models import Article
from backfile.ingest.page_records import PageRecord
from backfile.ingest.records import ArticleRecord
from backfile.ingest.report import ReportEntry
from backfile.ingest.rows import json_text

# The columns the bulk path writes, in the order of `_article_row` and the tuples below.
ARTICLE_COLUMNS = (
    "publication_id",
    "issue_id",
    "key",
    "slug",
    "position",
    "section",
    "kicker",
    "title",
    "standfirst",
    "summary",
    "pages",
    "published",
    "language",
    "blocks",
    "subjects",
    "original_url",
    "attachments",
    "ingested_fingerprint",
    "edited",
    "modified",
)
SOURCE_COLUMNS = ("article_id", "path", "format", "sha256", "text")
BYLINE_COLUMNS = ("article_id", "author_id", "position", "as_printed", "role")


class Encoded(NamedTuple):
    """A record's fingerprint and body, as stored, made once."""

    fingerprint: str
    body_json: str
    block_dicts: list[dict]


@dataclass
class Batch:
    """Records stored together, each with its body encoded and its fingerprint (by record
    id), made as the records are read: while the previous batch's text is being analysed."""

    records: list[ArticleRecord] = field(default_factory=list)
    encoded: dict[int, Encoded] = field(default_factory=dict)
    repeats: list[ReportEntry] = field(default_factory=list)  # later records of its articles
    # unsaved articles made for `articles_coming` (by record id), for the write to reuse
    previewed: dict[int, Article] = field(default_factory=dict)
    pages: list[PageRecord] = field(default_factory=list)  # printed pages, stored after

    def add(self, record: ArticleRecord) -> None:
        self.records.append(record)
        block_dicts = record.block_dicts()
        body_json = record.blocks_json(block_dicts)
        self.encoded[id(record)] = Encoded(record.fingerprint(body_json), body_json, block_dicts)


def article_row(article: Article, blocks_json: str) -> tuple:
    return (
        article.publication_id,
        article.issue_id,
        article.key,
        article.slug,
        article.position,
        article.section,
        article.kicker,
        article.title,
        article.standfirst,
        article.summary,
        article.pages,
        article.published,
        article.language,
        blocks_json,
        json_text(article.subjects),
        article.original_url,
        json_text(article.attachments),
        article.ingested_fingerprint,
        article.edited,
        article.modified,
    )
