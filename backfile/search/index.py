"""Keeping the index in step with the archive: one article in, one article out, or all again.

The loader (once per batch) and the editors' desk send `articles_changed` inside
the transaction that wrote the articles, and deletes fire `post_delete`, so
the index is written in that same transaction: it can never describe an
article that is not stored, nor miss one that is.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction

from backfile.archive.models import Article
from backfile.archive.signals import PendingWork
from backfile.search.models import SearchEntry
from backfile.search.text import Analysed, analyse_many, marked_label_terms
from backfile.workers import worker_pool

REINDEX_BATCH = 500
# SQLite's full-text tables, keyed by article id: whole articles, and headlines alone
# (for ranking the headline tier of a large result; see backends.SqliteBackend).
SQLITE_TEXT_TABLES = ("search_fts", "search_headlines")


def body_text(blocks: list[dict]) -> str:
    """An article's body as plain text, quotations included, one block a line."""
    return "\n".join(_block_lines(blocks))


def _block_lines(blocks: list[dict]) -> Iterator[str]:
    for block in blocks:
        if block.get("text"):
            yield block["text"]
        if block.get("blocks"):  # most blocks nest none: no generator for them
            yield from _block_lines(block["blocks"])


@dataclass
class Related:
    """What an article's index row needs from other tables: bylines and reviewed works."""

    bylines: list[tuple[int, str, str]] = field(default_factory=list)  # author id, as printed, name
    works: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Names as printed and as the authority file has them (both are searched)."""
        names: list[str] = []
        for _author, as_printed, name in self.bylines:
            for each in (as_printed, name):
                if each and each not in names:
                    names.append(each)
        return names


def related_rows(article_ids: list[int]) -> dict[int, Related]:
    """Bylines and reviewed works of many articles, in one plain query (this runs for every
    batch of an ingest, so it skips the ORM's query building)."""
    related = {pk: Related() for pk in article_ids}
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 0, b.article_id, b.position, b.author_id, b.as_printed, a.name
            FROM archive_byline b JOIN archive_author a ON a.id = b.author_id
            WHERE b.article_id IN ({placeholders})
            UNION ALL
            SELECT 1, r.article_id, r.position, NULL, w.title, w.author
            FROM archive_review r JOIN archive_reviewedwork w ON w.id = r.work_id
            WHERE r.article_id IN ({placeholders})
            ORDER BY 1, 2, 3
            """,
            [*article_ids, *article_ids],
        )
        for kind, pk, _position, author, first, second in cursor.fetchall():
            if kind == 0:
                related[pk].bylines.append((author, first, second))
            else:
                related[pk].works.append(f"{first} {second}")
    return related


@dataclass
class Document:
    """One article as the index stores it: filter columns and analysed text fields."""

    article_id: int
    publication_id: int
    year: int
    sort_key: int
    section_label: str  # as printed (cut to the column's 200 characters), for the facets
    author_ids: list[int]
    title: str
    kicker: str
    standfirst: str
    authors: str
    body: str
    joined: str
    section: str
    publication: str

    def entry_values(self) -> tuple:
        """The search_entry columns, in ENTRY_COLUMNS order (co_authors as JSON text)."""
        co_authors = self.author_ids[1:]
        return (
            self.article_id,
            self.publication_id,
            self.year,
            self.year // 10 * 10,
            self.sort_key,
            self.section_label,
            self.author_ids[0] if self.author_ids else None,
            json.dumps(co_authors) if co_authors else None,
        )


ENTRY_COLUMNS = (
    "article_id",
    "publication_id",
    "year",
    "decade",
    "sort_key",
    "section",
    "author",
    "co_authors",
)


# The text fields of an index row, in the order `field_texts` gives them; the joined forms
# of hyphenated words are kept from the first five (not from section or publication).
TEXT_FIELDS = ("title", "kicker", "standfirst", "authors", "body", "section", "publication")


def field_texts(article: Article, related: Related) -> tuple[str, ...]:
    """The article's plain text for each of TEXT_FIELDS."""
    return (
        article.title,
        article.kicker,
        " ".join([article.standfirst, article.summary, *related.works]),
        " ; ".join(related.names()),
        body_text(article.blocks),
        article.section,
        article.publication.name,
    )


def analysis_of(batch: list[tuple[str, ...]]) -> PendingWork:
    """Start analysing a batch; finishing returns the result.

    The analysis (folding, stemming) is the index's largest cost and pure Python.
    On a machine with a core to spare, worker processes analyse a large batch
    between them while the caller does other work (the loader reads on). Two
    workers, so that the gaps a reader's worker and this process's database
    writes leave on either core get filled.
    """
    pool = _analysis_pool() if len(batch) >= PARALLEL_ANALYSIS_AFTER else None
    if pool is None:
        result = analyse_many(batch)
        return PendingWork(finish=lambda: result)
    step = math.ceil(len(batch) / ANALYSIS_WORKERS)
    parts = [pool.submit(analyse_many, batch[i : i + step]) for i in range(0, len(batch), step)]
    return PendingWork(
        finish=lambda: [fields for part in parts for fields in part.result()],
        ready=lambda: all(part.done() for part in parts),
    )


PARALLEL_ANALYSIS_AFTER = 100  # articles in one batch
ANALYSIS_WORKERS = 2
_pool: ProcessPoolExecutor | None = None


def stop_analysis_workers() -> None:
    """End the worker processes now rather than when this process exits."""
    global _pool
    if _pool is not None:
        _pool.shutdown()
        _pool = None


def _analysis_pool() -> ProcessPoolExecutor | None:
    """Worker processes, forked on first need and kept for the run (each with its own
    cache of analysed words). They inherit this process's database connection but never
    use it, and exit without closing it (see backfile.workers)."""
    global _pool
    if _pool is None and (os.cpu_count() or 1) > 1:
        _pool = worker_pool(ANALYSIS_WORKERS)
    return _pool


def document_for(article: Article, related: Related, analysed: Analysed) -> Document:
    """The index row of an article from its analysed TEXT_FIELDS."""
    issue = article.issue
    when = article.published
    year = when.year if when else issue.year
    sort_key = (
        year * 10000 + when.month * 100 + when.day
        if when
        else issue.year * 10000 + (issue.month or 0) * 100 + (issue.day or 0)
    )
    terms, joined = analysed
    title, kicker, standfirst, authors, body, section, publication = terms
    return Document(
        article_id=article.pk,
        publication_id=article.publication_id,
        year=year,
        sort_key=sort_key,
        section_label=article.section[:200],
        author_ids=[author for author, _printed, _name in related.bylines],
        title=title,
        kicker=kicker,
        standfirst=standfirst,
        authors=authors,
        body=body,
        joined=" ".join(filter(None, joined[:5])),  # hyphenated words of the text fields
        section=section,
        publication=publication,
    )


def index_articles(articles: Iterable[Article]) -> int:
    """(Re)write the index rows of these articles; returns how many."""
    return start_indexing(articles).finish()


def start_indexing(articles: Iterable[Article]) -> PendingWork:
    """Begin (re)indexing these articles; finishing the work writes the rows (and returns
    how many).

    The articles' own fields are used as given (the loader's freshly saved
    instances); their bylines and reviews are read in one query for the lot.
    Between the two steps a large batch is analysed in a worker process: the
    loader reads its next batch of sources meanwhile, inside the same transaction.
    The rows are written with plain upserts (an ORM bulk_create with conflict
    handling cost more than the writes themselves).
    """
    articles = list(articles)
    if not articles:
        return PendingWork(finish=lambda: 0)
    related = related_rows([a.pk for a in articles])
    analysis = analysis_of([field_texts(a, related[a.pk]) for a in articles])

    def finish() -> int:
        documents = [
            document_for(a, related[a.pk], fields)
            for a, fields in zip(articles, analysis.finish(), strict=True)
        ]
        WRITERS[connection.vendor](documents)
        return len(documents)

    return PendingWork(finish=finish, ready=analysis.ready)


def remove_articles(article_ids: Iterable[int]) -> None:
    ids = [int(i) for i in article_ids]
    if not ids:
        return
    SearchEntry.objects.filter(article_id__in=ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in SQLITE_TEXT_TABLES:
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(i,) for i in ids])


def reindex(progress=None) -> int:
    """Rebuild the whole index from the archive, in one transaction."""
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for table in SQLITE_TEXT_TABLES:
                    cursor.execute(f"DELETE FROM {table}")
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), REINDEX_BATCH):
            batch = ids[start : start + REINDEX_BATCH]
            count += index_articles(
                Article.objects.select_related("issue", "publication").filter(pk__in=batch)
            )
            if progress:
                progress(count, len(ids))
    return count


def _upsert_entries(**expressions: str) -> str:
    """INSERT … ON CONFLICT DO UPDATE for search_entry (both backends speak it); `expressions`
    give a column a placeholder other than %s, or add a backend's own columns."""
    values = {column: "%s" for column in ENTRY_COLUMNS} | expressions
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "article_id")
    return (
        f"INSERT INTO search_entry ({', '.join(values)}) VALUES ({', '.join(values.values())}) "
        f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
    )


SQLITE_ENTRY = _upsert_entries()
SQLITE_FTS = (
    "INSERT OR REPLACE INTO search_fts (rowid, title, kicker, standfirst, authors, body, joined, "
    "section, publication) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
SQLITE_HEADLINE = "INSERT OR REPLACE INTO search_headlines (rowid, title) VALUES (%s, %s)"
POSTGRES_ENTRY = _upsert_entries(
    co_authors="%s::jsonb",
    document="setweight(to_tsvector('simple', %s), 'A')"
    " || setweight(to_tsvector('simple', %s), 'B')"
    " || setweight(to_tsvector('simple', %s), 'C')"
    " || setweight(to_tsvector('simple', %s), 'D')",
    labels="setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')",
)


def _write_sqlite(documents: list[Document]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(SQLITE_ENTRY, [d.entry_values() for d in documents])
        cursor.executemany(SQLITE_HEADLINE, [(d.article_id, d.title) for d in documents])
        cursor.executemany(
            SQLITE_FTS,
            [
                (
                    d.article_id,
                    d.title,
                    d.kicker,
                    d.standfirst,
                    d.authors,
                    d.body,
                    d.joined,
                    marked_label_terms(d.section),
                    marked_label_terms(d.publication),
                )
                for d in documents
            ],
        )


def _write_postgres(documents: list[Document]) -> None:
    """Entry and tsvectors in one statement an article: document weights title A,
    kicker and standfirst B, authors C, body D; labels section A, publication B."""
    with connection.cursor() as cursor:
        cursor.executemany(
            POSTGRES_ENTRY,
            [
                (
                    *d.entry_values(),
                    d.title,
                    f"{d.kicker} {d.standfirst}",
                    d.authors,
                    f"{d.body} {d.joined}",
                    d.section,
                    d.publication,
                )
                for d in documents
            ],
        )


WRITERS = {"sqlite": _write_sqlite, "postgresql": _write_postgres}
