"""Keeping the index in step with the archive: one article in, one article out, or all again.

The loader (once per write) and the editors' desk send `articles_changed` inside
the transaction that wrote the articles, and deletes fire `post_delete`, so
the index is written in that same transaction: it can never describe an
article that is not stored, nor miss one that is.

The costly part, analysing the text (folding, stemming), is done before that
transaction where the sender allows: the loader announces a batch with
`articles_coming`, the analysis runs in the worker processes the ingest command
owns while the loader reads on, and the write transaction then only looks the
results up (`AnalysedAhead`). Anything not analysed ahead (an editor's save, an
article whose text changed meanwhile) is analysed in the sender's own thread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction

from backfile.archive.models import Article, Issue
from backfile.archive.signals import ArticlePreview, PendingWork
from backfile.search.models import SearchEntry
from backfile.search.text import Analysed, analyse_many, marked_label_terms

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
    """What an article's index row needs from other tables: bylines, reviewed works, and the
    text that readers' accepted corrections replaced (backfile.corrections), which is still
    searched as the body's."""

    bylines: list[tuple[int, str, str]] = field(default_factory=list)  # author id, as printed, name
    works: list[str] = field(default_factory=list)
    originals: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Names as printed and as the authority file has them (both are searched)."""
        names: list[str] = []
        for _author, as_printed, name in self.bylines:
            for each in (as_printed, name):
                if each and each not in names:
                    names.append(each)
        return names


def related_rows(article_ids: list[int]) -> dict[int, Related]:
    """Bylines, reviewed works and corrected text of many articles, in one plain query (this
    runs for every batch of an ingest, so it skips the ORM's query building)."""
    related = {pk: Related() for pk in article_ids}
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 0, b.article_id, b.position, b.author_id, b.as_printed, a.name
            FROM archive_byline b JOIN archive_author a ON a.id = b.author_id
            WHERE b.article_id IN ({placeholders}) AND b.role = 'author'
            UNION ALL
            SELECT 1, r.article_id, r.position, NULL, w.title, w.author
            FROM archive_review r JOIN archive_reviewedwork w ON w.id = r.work_id
            WHERE r.article_id IN ({placeholders})
            UNION ALL
            SELECT 2, c.article_id, c.id, NULL, c.original, NULL
            FROM corrections_correction c
            WHERE c.article_id IN ({placeholders}) AND c.status = 'accepted'
            ORDER BY 1, 2, 3
            """,
            [*article_ids, *article_ids, *article_ids],
        )
        for kind, pk, _position, author, first, second in cursor.fetchall():
            if kind == 0:
                related[pk].bylines.append((author, first, second))
            elif kind == 1:
                related[pk].works.append(f"{first} {second}")
            else:
                related[pk].originals.append(first)
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
    """The article's plain text for each of TEXT_FIELDS, then its language (which stems
    its text: `search.text.analyse_many`)."""
    return (
        article.title,
        article.kicker,
        " ".join([article.standfirst, article.summary, *related.works]),
        " ; ".join(related.names()),
        "\n".join([body_text(article.blocks), *related.originals]),
        article.section,
        article.publication.name,
        article.language,
    )


class AnalysedAhead(dict):
    """Analyses made before a write transaction, by the TEXT_FIELDS texts they analysed.

    A write looks an article's texts up here and analyses in place only what it
    does not find (an article whose text is not what was previewed), so the
    index always describes the article as written.
    """

    # what ALONGSIDE's functions made of each analysis: by their name, then by texts
    alongside: dict[str, dict[tuple[str, ...], object]]

    def take(self, texts: tuple[str, ...]) -> Analysed | None:
        return self.get(texts)


# Work another app does with each article's analysis where it is made (in the worker
# processes, during an ingest), so that what it counts from the terms comes back with
# them instead of being counted in the loader's process: under a name, a function of an
# article's TEXT_FIELDS texts (and language) and their Analysed, returning a picklable
# value. Related articles count their salient terms so (`backfile.related.apps`).
ALONGSIDE: dict[str, Callable[[tuple[str, ...], Analysed], object]] = {}


def analyse_along(
    batch: list[tuple[str, ...]], alongside: tuple[tuple[str, Callable], ...]
) -> list[tuple[Analysed, tuple]]:
    """`analyse_many`, each item's analysis with what `alongside`'s functions made of it."""
    return [
        (each, tuple(work(texts, each) for _name, work in alongside))
        for texts, each in zip(batch, analyse_many(batch), strict=True)
    ]


def analysis_of(
    batch: list[tuple[str, ...]],
    workers: Executor | None = None,
    analyse: Callable[[list], list] = analyse_many,
) -> PendingWork:
    """Start analysing a batch (with `analyse`, a function of a part of it that a worker
    process can be given); finishing returns the result.

    The analysis (folding, stemming) is the index's largest cost and pure Python.
    Given worker processes (an ingest's or a reindex's, never a web request's), a
    large batch is analysed between them while the caller does other work (the
    loader reads on); otherwise here and now.
    """
    if workers is None or len(batch) < PARALLEL_ANALYSIS_AFTER:
        result = analyse(batch)
        return PendingWork(finish=lambda: result)
    step = math.ceil(len(batch) / ANALYSIS_PARTS)
    parts = [workers.submit(analyse, batch[i : i + step]) for i in range(0, len(batch), step)]
    return PendingWork(
        finish=lambda: [fields for part in parts for fields in part.result()],
        ready=lambda: all(part.done() for part in parts),
    )


PARALLEL_ANALYSIS_AFTER = 100  # articles in one batch
ANALYSIS_PARTS = 2  # a batch is cut in this many parts, one for each worker


def analyse_ahead(
    texts: list[tuple[str, ...]],
    workers: Executor | None = None,
    alongside: Iterable[tuple[str, Callable]] = (),
) -> PendingWork:
    """Begin analysing these TEXT_FIELDS texts; finishing gives an AnalysedAhead of them,
    with what `alongside`'s (name, function) pairs made of each (an ingest passes
    ALONGSIDE's; a reindex, which stores no terms of other apps, none)."""
    texts = list(dict.fromkeys(texts))  # the same texts twice are analysed once
    alongside = tuple(alongside)
    analysis = analysis_of(texts, workers, partial(analyse_along, alongside=alongside))

    def finish() -> AnalysedAhead:
        results = analysis.finish()
        ahead = AnalysedAhead(zip(texts, [each for each, _made in results], strict=True))
        ahead.alongside = {
            name: dict(zip(texts, [made[n] for _each, made in results], strict=True))
            for n, (name, _work) in enumerate(alongside)
        }
        return ahead

    return PendingWork(finish=finish, ready=analysis.ready)


def preview_texts(preview: ArticlePreview) -> tuple[str, ...]:
    """The TEXT_FIELDS of an article about to be written, as `field_texts` will find them."""
    related = Related(
        bylines=[(0, printed, name) for printed, name in preview.bylines],
        works=[f"{title} {author}" for title, author in preview.works],
    )
    return field_texts(preview.article, related)


def start_analysis(previews: list[ArticlePreview], workers: Executor | None) -> PendingWork:
    """Analyse the text of articles about to be written (in the workers, if lent some)."""
    return analyse_ahead([preview_texts(p) for p in previews], workers, ALONGSIDE.items())


def issue_date_key(issue: Issue) -> tuple[int, int]:
    """The year and `yyyymmdd` sort key an article is filtered, counted and sorted by: its
    issue's cover date (00 for a month or day not known), which is the date a reader sees
    beside it everywhere, not the date a web page says it was posted (a reprint, or a post
    dated years before the issue it was filed in, would otherwise sit in another decade)."""
    year, month, day = issue.real_parts()
    return year, year * 10000 + (month or 0) * 100 + (day or 0)


REDATE_ISSUE_ARTICLES = (
    "UPDATE search_entry SET year = %s, decade = %s, sort_key = %s "
    "WHERE article_id IN (SELECT id FROM archive_article WHERE issue_id = %s) AND sort_key <> %s"
)


def redate_issue_articles(issues: Iterable[Issue], cursor=None) -> None:
    """The index rows of these issues' articles given their issues' dates (`issue_date_key`),
    as an issue is redated; a statement for each issue, no text analysed."""
    rows = []
    for issue in issues:
        year, sort_key = issue_date_key(issue)
        rows.append(
            (year, year // 10 * 10, sort_key, issue.pk, sort_key)
        )  # (rows as they were: kept)
    if rows:
        if cursor is None:
            with connection.cursor() as own:
                own.executemany(REDATE_ISSUE_ARTICLES, rows)
        else:
            cursor.executemany(REDATE_ISSUE_ARTICLES, rows)


def document_for(article: Article, related: Related, analysed: Analysed) -> Document:
    """The index row of an article from its analysed TEXT_FIELDS."""
    year, sort_key = issue_date_key(article.issue)
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


def index_articles(articles: Iterable[Article], prepared: Iterable[AnalysedAhead] = ()) -> int:
    """(Re)write the index rows of these articles, here and now; returns how many.

    The articles' own fields are used as given (the loader's freshly saved
    instances); their bylines and reviews are read in one query for the lot.
    Texts analysed ahead (`prepared`) are looked up; the rest are analysed in
    this thread. The rows are written with plain upserts (an ORM bulk_create
    with conflict handling cost more than the writes themselves).
    """
    articles = list(articles)
    if not articles:
        return 0
    related = related_rows([a.pk for a in articles])
    texts = [field_texts(a, related[a.pk]) for a in articles]
    analysed: list[Analysed | None] = [None] * len(texts)
    for ahead in prepared:
        for n, each in enumerate(texts):
            if analysed[n] is None:
                analysed[n] = ahead.take(each)
    missing = [n for n, each in enumerate(analysed) if each is None]
    for n, each in zip(missing, analyse_many([texts[n] for n in missing]), strict=True):
        analysed[n] = each
    documents = [
        document_for(a, related[a.pk], fields) for a, fields in zip(articles, analysed, strict=True)
    ]
    WRITERS[connection.vendor](documents)
    return len(documents)


def remove_articles(article_ids: Iterable[int]) -> None:
    ids = [int(i) for i in article_ids]
    if not ids:
        return
    SearchEntry.objects.filter(article_id__in=ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in SQLITE_TEXT_TABLES:
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(i,) for i in ids])


def reindex(progress=None, workers: Executor | None = None) -> int:
    """Rebuild the whole index from the archive; returns how many articles it indexed.

    Batch by batch: each batch's text is analysed outside any transaction (in the
    workers, if lent some, while the previous batch is written), then its rows are
    written in a short transaction of its own from the articles as they are then,
    so the site keeps searching, and taking replies, throughout. Rows of articles
    no longer stored are removed at the end.
    """
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[start : start + REINDEX_BATCH] for start in range(0, len(ids), REINDEX_BATCH)]

    def articles(batch: list[int]):
        return Article.objects.select_related("issue", "publication").filter(pk__in=batch)

    def ahead(batch: list[int]) -> PendingWork:
        found = list(articles(batch))
        related = related_rows([a.pk for a in found]) if found else {}
        return analyse_ahead([field_texts(a, related[a.pk]) for a in found], workers)

    count = 0
    pending = ahead(batches[0]) if batches else None
    for n, batch in enumerate(batches):
        prepared = pending.finish()
        pending = ahead(batches[n + 1]) if n + 1 < len(batches) else None
        with transaction.atomic():
            count += index_articles(articles(batch), [prepared])
        if progress:
            progress(count, len(ids))
    with transaction.atomic():
        _remove_rows_of_missing_articles()
    return count


def _remove_rows_of_missing_articles() -> None:
    SearchEntry.objects.exclude(article_id__in=Article.objects.values("pk")).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in SQLITE_TEXT_TABLES:
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid NOT IN (SELECT id FROM archive_article)"
                )


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
# The document's fields one after another, a gap of FIELD_GAP positions between two (a
# spacer lexeme at the gap's end shifts what follows, then is deleted): a phrase or a
# proximity search matches within one field, as FTS5 matches within one column. The gap
# exceeds any span a query may ask for (query.MAX_NEAR words and MAX_TERMS terms).
FIELD_GAP = 256
_SPACER = f"'#:{FIELD_GAP}'::tsvector"  # `#`: never an index term (terms are letters, digits)
DOCUMENT_FIELDS = (("title", "A"), ("kicker", "B"), ("standfirst", "B"), ("authors", "C"),
                   ("body", "D"), ("joined", "D"))  # fmt: skip
POSTGRES_ENTRY = _upsert_entries(
    co_authors="%s::jsonb",
    document="ts_delete("
    + f" || {_SPACER} || ".join(
        f"setweight(to_tsvector('simple', %s), '{weight}')" for _field, weight in DOCUMENT_FIELDS
    )
    + ", '#')",
)
# section A and publication B, in a table of their own (migration search.0011); search_entry's
# trigger deletes its rows with theirs
POSTGRES_LABELS = (
    "INSERT INTO search_labels (article_id, labels) VALUES (%s, "
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')) "
    "ON CONFLICT (article_id) DO UPDATE SET labels = excluded.labels"
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
    kicker and standfirst B, authors C, body D (`DOCUMENT_FIELDS`, each field apart); then
    the labels, section A and publication B."""
    with connection.cursor() as cursor:
        cursor.executemany(
            POSTGRES_ENTRY,
            [
                (*d.entry_values(), *(getattr(d, field) for field, _weight in DOCUMENT_FIELDS))
                for d in documents
            ],
        )
        cursor.executemany(
            POSTGRES_LABELS, [(d.article_id, d.section, d.publication) for d in documents]
        )


WRITERS = {"sqlite": _write_sqlite, "postgresql": _write_postgres}
