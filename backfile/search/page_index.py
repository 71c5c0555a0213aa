"""Keeping the page index in step with the printed pages: pages in, pages out, or all again.

A page is indexed with its current text (`Page.text`, corrected by editors and readers)
and, where a correction changed it, the text as the source gave it (`Page.source_text`),
so a word found in either finds the page. Both are folded and stemmed as article text
is (`text.analyse_many`, in the page's language); the publication's name is kept for
`publication:` alone, as for articles. The rows are in tables of their own (migration
0012), so the article index and its searches are untouched by them.

The loader sends `facsimiles.signals.pages_stored` once a batch of pages is committed,
and an edit (a correction accepted) saves the page: both reach `index_pages` (see
`search.signals`); `reindex_pages` rebuilds the lot for `backfile search-reindex`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass

from django.db import connection, transaction

from backfile.facsimiles.models import Page
from backfile.search.index import FIELD_GAP, analysis_of, issue_date_key
from backfile.search.models import PageEntry
from backfile.search.text import Analysed, analyse_many, index_text, marked_label_terms

PAGE_BATCH = 200  # pages of a reindex analysed and written at a time (a page's text is long)


def page_texts(page: Page) -> tuple[str, str, str]:
    """What is analysed of a page: its text, its source text where that differs (or ""),
    and the language both are written in."""
    source = page.source_text if page.source_text.strip() != page.text.strip() else ""
    return (page.text, source, page.language)


@dataclass
class PageDocument:
    page_id: int
    issue_id: int
    publication_id: int
    year: int
    sort_key: int
    text: str
    source: str
    joined: str
    publication: str
    fingerprint: str

    def entry_values(self) -> tuple:
        return (
            self.page_id,
            self.issue_id,
            self.publication_id,
            self.year,
            self.year // 10 * 10,
            self.sort_key,
            self.fingerprint,
        )


ENTRY_COLUMNS = (
    "page_id",
    "issue_id",
    "publication_id",
    "year",
    "decade",
    "sort_key",
    "fingerprint",
)


def fingerprint(page: Page, texts: tuple[str, str, str]) -> str:
    """A hash of everything a page's row is made from: its texts and language, and its
    issue's identity, date and publication."""
    issue = page.issue
    made_from = [
        *texts,
        issue.pk,
        issue.year,
        issue.month,
        issue.day,
        issue.publication_id,
        issue.publication.name,
    ]
    return hashlib.sha256(json.dumps(made_from).encode()).hexdigest()


def document_for(
    page: Page, analysed: Analysed, publication_terms: str, made_from: str
) -> PageDocument:
    issue = page.issue
    year, sort_key = issue_date_key(issue)
    (text, source), joined = analysed
    return PageDocument(
        page_id=page.pk,
        issue_id=issue.pk,
        publication_id=issue.publication_id,
        year=year,
        sort_key=sort_key,
        text=text,
        source=source,
        joined=" ".join(filter(None, joined)),
        publication=publication_terms,
        fingerprint=made_from,
    )


def _pages(ids: Iterable[int]):
    return Page.objects.select_related("issue__publication").filter(pk__in=list(ids))


def index_pages(
    pages: Iterable[Page], ahead: dict[tuple, Analysed] | None = None, force: bool = False
) -> int:
    """(Re)write the index rows of these pages, as they are stored now; returns how many.

    The pages are read again with their issues (what the sender holds may be partial,
    and a page deleted meanwhile is simply not indexed). A page whose row was made from
    what it is now (its `fingerprint`) is skipped unless `force`d: the loader saves a page
    (its post_save indexes it) and then announces it (`pages_stored`), and the second
    costs a hash. Texts analysed `ahead` (by their `page_texts`) are looked up; the rest
    are analysed here. Idempotent: a page stored twice has one row.
    """
    found = list(_pages(p.pk for p in pages))
    texts = [page_texts(p) for p in found]
    prints = [fingerprint(p, t) for p, t in zip(found, texts, strict=True)]
    if not force and found:
        rows = PageEntry.objects.filter(page_id__in=[p.pk for p in found])
        stored = dict(rows.values_list("page_id", "fingerprint"))
        changed = [n for n, page in enumerate(found) if stored.get(page.pk) != prints[n]]
        found, texts, prints = ([each[n] for n in changed] for each in (found, texts, prints))
    if not found:
        return 0
    ahead = ahead or {}
    missing = list(dict.fromkeys(t for t in texts if t not in ahead))
    ahead = {**ahead, **dict(zip(missing, analyse_many(missing), strict=True))}
    analysed = [ahead[t] for t in texts]
    names: dict[int, str] = {}
    documents = []
    for page, fields, made_from in zip(found, analysed, prints, strict=True):
        publication = page.issue.publication
        if publication.pk not in names:
            names[publication.pk] = index_text(publication.name).terms
        documents.append(document_for(page, fields, names[publication.pk], made_from))
    WRITERS[connection.vendor](documents)
    return len(documents)


def refresh_issue_pages(issue) -> int:
    """Reindex the pages of an issue whose rows no longer give its date or publication (an
    editor redated it); one query when none are stale, as on every other save of an issue."""
    year, sort_key = issue_date_key(issue)
    stale = PageEntry.objects.filter(issue_id=issue.pk).exclude(
        publication_id=issue.publication_id, year=year, sort_key=sort_key
    )
    ids = list(stale.values_list("page_id", flat=True))
    return index_pages([Page(pk=pk) for pk in ids]) if ids else 0


def remove_pages(page_ids: Iterable[int]) -> None:
    ids = [int(i) for i in page_ids]
    if not ids:
        return
    PageEntry.objects.filter(page_id__in=ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_page_fts WHERE rowid = %s", [(i,) for i in ids])


def reindex_pages(
    progress: Callable[[int, int], None] | None = None, workers: Executor | None = None
) -> int:
    """Rebuild the page index from every stored page; returns how many it indexed.

    As `index.reindex` does for articles: batch by batch, each batch's text analysed
    outside any transaction (in the workers, if lent some), then written in a short
    transaction of its own; rows of pages no longer stored are removed at the end.
    """
    ids = list(Page.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[start : start + PAGE_BATCH] for start in range(0, len(ids), PAGE_BATCH)]
    count = 0
    for batch in batches:
        texts = list(dict.fromkeys(page_texts(p) for p in _pages(batch)))
        ahead = dict(zip(texts, analysis_of(texts, workers).finish(), strict=True))
        with transaction.atomic():
            count += index_pages([Page(pk=pk) for pk in batch], ahead, force=True)
        if progress:
            progress(count, len(ids))
    with transaction.atomic():
        PageEntry.objects.exclude(page_id__in=Page.objects.values("pk")).delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM search_page_fts WHERE rowid NOT IN (SELECT id FROM facsimiles_page)"
                )
    return count


def _upsert_entry(**expressions: str) -> str:
    values = {column: "%s" for column in ENTRY_COLUMNS} | expressions
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "page_id")
    return (
        f"INSERT INTO search_page_entry ({', '.join(values)}) "
        f"VALUES ({', '.join(values.values())}) ON CONFLICT (page_id) DO UPDATE SET {updates}"
    )


SQLITE_ENTRY = _upsert_entry()
SQLITE_FTS = (
    "INSERT OR REPLACE INTO search_page_fts (rowid, text, source, joined, publication) "
    "VALUES (%s, %s, %s, %s, %s)"
)
# text, source text and joined forms a field apart (as `index.POSTGRES_ENTRY`), so a phrase
# matches within one of them; the publication's terms at weight B, as search_labels.
_SPACER = f"'#:{FIELD_GAP}'::tsvector"
POSTGRES_ENTRY = _upsert_entry(
    document="ts_delete(" + f" || {_SPACER} || ".join(["to_tsvector('simple', %s)"] * 3) + ", '#')",
    labels="setweight(to_tsvector('simple', %s), 'B')",
)


def _write_sqlite(documents: list[PageDocument]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(SQLITE_ENTRY, [d.entry_values() for d in documents])
        cursor.executemany(
            SQLITE_FTS,
            [
                (d.page_id, d.text, d.source, d.joined, marked_label_terms(d.publication))
                for d in documents
            ],
        )


def _write_postgres(documents: list[PageDocument]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            POSTGRES_ENTRY,
            [(*d.entry_values(), d.text, d.source, d.joined, d.publication) for d in documents],
        )


WRITERS = {"sqlite": _write_sqlite, "postgresql": _write_postgres}
