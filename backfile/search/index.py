"""Keeping the index in step with the archive: one article in, one article out, or all again.

The loader (once per batch) and the editors' desk send `articles_changed` inside
the transaction that wrote the articles, and deletes fire `post_delete`, so
the index is written in that same transaction: it can never describe an
article that is not stored, nor miss one that is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from backfile.archive.models import Article
from backfile.search.models import SearchCell, SearchEntry
from backfile.search.text import index_text

REINDEX_BATCH = 500


def body_text(blocks: list[dict]) -> str:
    """An article's body as plain text, quotations included, one block a line."""
    return "\n".join(_block_lines(blocks))


def _block_lines(blocks: list[dict]) -> Iterator[str]:
    for block in blocks:
        if block.get("text"):
            yield block["text"]
        yield from _block_lines(block.get("blocks", []))


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
    """Bylines and reviewed works of many articles, in one plain query (this runs per article
    during an ingest, so it skips the ORM's query building)."""
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

    entry: SearchEntry
    title: str
    kicker: str
    standfirst: str
    authors: str
    body: str
    joined: str
    section: str
    publication: str

    @property
    def article_id(self) -> int:
        return self.entry.article_id


def document_for(article: Article, related: Related) -> Document:
    issue = article.issue
    when = article.published
    year = when.year if when else issue.year
    sort_key = (
        year * 10000 + when.month * 100 + when.day
        if when
        else issue.year * 10000 + (issue.month or 0) * 100 + (issue.day or 0)
    )
    authors = [author for author, _printed, _name in related.bylines]
    fields = {
        "title": index_text(article.title),
        "kicker": index_text(article.kicker),
        "standfirst": index_text(" ".join([article.standfirst, article.summary, *related.works])),
        "authors": index_text(" ; ".join(related.names())),
        "body": index_text(body_text(article.blocks)),
    }
    joined = " ".join(j for analysed in fields.values() for j in analysed.joined)
    return Document(
        entry=SearchEntry(
            article_id=article.pk,
            publication_id=article.publication_id,
            year=year,
            decade=year // 10 * 10,
            sort_key=sort_key,
            section=article.section[:200],
            author=authors[0] if authors else None,
            co_authors=authors[1:] or None,
        ),
        joined=joined,
        section=index_text(article.section).terms,
        publication=index_text(article.publication.name).terms,
        **{name: analysed.terms for name, analysed in fields.items()},
    )


def index_articles(articles: Iterable[Article]) -> int:
    """(Re)write the index rows of these articles; returns how many.

    The articles' own fields are used as given (the loader's freshly saved
    instances); their bylines and reviews are read in two queries for the lot.
    """
    articles = list(articles)
    if not articles:
        return 0
    related = related_rows([a.pk for a in articles])
    documents = [document_for(a, related[a.pk]) for a in articles]
    entries = [d.entry for d in documents]
    assign_cells(entries)
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=[
            "publication",
            "year",
            "decade",
            "sort_key",
            "section",
            "cell",
            "author",
            "co_authors",
        ],
    )
    WRITERS[connection.vendor](documents)
    return len(documents)


def assign_cells(entries: list[SearchEntry]) -> None:
    """Give each entry the id of its (publication, year, section) cell, adding new cells."""
    wanted = {(e.publication_id, e.year, e.section) for e in entries}
    ids = _cell_ids(wanted)
    missing = wanted - ids.keys()
    if missing:
        SearchCell.objects.bulk_create(
            [SearchCell(publication_id=p, year=y, section=s) for p, y, s in missing],
            ignore_conflicts=True,
        )
        ids = _cell_ids(wanted)
    for entry in entries:
        entry.cell = ids[(entry.publication_id, entry.year, entry.section)]


def _cell_ids(wanted: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], int]:
    publications = sorted({p for p, _y, _s in wanted})
    years = sorted({y for _p, y, _s in wanted})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT publication_id, year, section, id FROM search_cell "
            f"WHERE publication_id IN ({', '.join(['%s'] * len(publications))}) "
            f"AND year IN ({', '.join(['%s'] * len(years))})",
            [*publications, *years],
        )
        return {(p, y, s): pk for p, y, s, pk in cursor.fetchall()}


def remove_articles(article_ids: Iterable[int]) -> None:
    ids = [int(i) for i in article_ids]
    if not ids:
        return
    SearchEntry.objects.filter(article_id__in=ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])


def reindex(progress=None) -> int:
    """Rebuild the whole index from the archive, in one transaction."""
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), REINDEX_BATCH):
            batch = ids[start : start + REINDEX_BATCH]
            count += index_articles(
                Article.objects.select_related("issue", "publication").filter(pk__in=batch)
            )
            if progress:
                progress(count, len(ids))
    return count


def _write_sqlite(documents: list[Document]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT OR REPLACE INTO search_fts (rowid, title, kicker, standfirst, authors, body, joined, "
            "section, publication) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    d.article_id,
                    d.title,
                    d.kicker,
                    d.standfirst,
                    d.authors,
                    d.body,
                    d.joined,
                    d.section,
                    d.publication,
                )
                for d in documents
            ],
        )


def _write_postgres(documents: list[Document]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            """
            UPDATE search_entry SET
                document = setweight(to_tsvector('simple', %s), 'A')
                    || setweight(to_tsvector('simple', %s), 'B')
                    || setweight(to_tsvector('simple', %s), 'C')
                    || setweight(to_tsvector('simple', %s), 'D'),
                labels = setweight(to_tsvector('simple', %s), 'A')
                    || setweight(to_tsvector('simple', %s), 'B')
            WHERE article_id = %s
            """,
            [
                (
                    d.title,
                    f"{d.kicker} {d.standfirst}",
                    d.authors,
                    f"{d.body} {d.joined}",
                    d.section,
                    d.publication,
                    d.article_id,
                )
                for d in documents
            ],
        )


WRITERS = {"sqlite": _write_sqlite, "postgresql": _write_postgres}
