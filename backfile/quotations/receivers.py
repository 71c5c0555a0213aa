"""Keep every article's quotations in step with its body.

The loader (once per batch) and the editors' desk (once per correction) announce what they
wrote with `articles_changed`, inside the transaction that wrote it: the quotations of those
articles are replaced there and then, in three plain statements whatever the number of
articles (the works reviewed, the delete, the insert: the ORM's query building and `bulk_create`
cost more than the database's work). Deletes of articles cascade; an edit to a
reviewed work's title does not move its quotations.

Finding them is most of the cost, so an ingest has it done ahead: when the loader announces
a batch with `articles_coming` and lends its worker processes, the bodies go to a worker
there and then, and the write takes what came back for each article whose body and works are
what was previewed (anything else, and the desk's corrections, is found in place).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Executor

from django.db import connection
from django.dispatch import receiver

from backfile.archive.models import Article, Review, ReviewedWork
from backfile.archive.signals import ArticlePreview, PendingWork, articles_changed, articles_coming
from backfile.database import MAX_PARAMETERS, delete_where_in, insert_values
from backfile.quotations.extract import quotations_of_bodies
from backfile.quotations.models import Quotation

COLUMNS = ("article_id", "position", "kind", "text", "pages", "work_id")


class FoundAhead(dict):
    """Quotations found before a write, by (article key, fingerprint, works as (title,
    author)): for each, (kind, text, pages, the work's place among those works)."""


def requote_articles(articles: list[Article], ahead: list[FoundAhead] = ()) -> None:
    """Replace the quotation rows of these (saved) articles with those their bodies give now.

    An article's body is taken as the sender holds it (it has just written it); one whose
    body was not loaded is read back. The rows are written as plain multi-row INSERTs: a
    batch's hundreds of quotations through `bulk_create` cost more than finding them."""
    ids = [article.pk for article in articles]
    works: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for article, *work in _reviews_of(ids):
        works[article].append(tuple(work))
    found: dict[int, list[tuple]] = {}
    bodies: dict[int, list] = {}
    for article in articles:
        reviewed = works.get(article.pk, [])
        key = ahead_key(article, [(title, author) for _, title, author in reviewed])
        taken = next((each[key] for each in ahead if key in each), None) if key else None
        if taken is not None:
            found[article.pk] = [
                (kind, text, pages, None if n is None else reviewed[n][0])
                for kind, text, pages, n in taken
            ]
        elif "blocks" in article.__dict__:
            bodies[article.pk] = article.blocks
    unread = [pk for pk in ids if pk not in found and pk not in bodies]
    if unread:
        bodies.update(Article.objects.filter(pk__in=unread).values_list("pk", "blocks"))
    pending = list(bodies)
    results = quotations_of_bodies([(bodies[pk] or [], works.get(pk, ())) for pk in pending])
    found.update(zip(pending, results, strict=True))
    rows = [
        (pk, n, kind, text, pages[:100], work)
        for pk in ids
        for n, (kind, text, pages, work) in enumerate(found.get(pk, ()))
    ]
    _replace_rows(ids, rows)


def _reviews_of(ids: list[int]) -> list[tuple[int, int, str, str]]:
    """(article id, work id, title, author) of these articles' reviewed works, in order."""
    found = []
    with connection.cursor() as cursor:
        for chunk in _chunks(ids, MAX_PARAMETERS):
            cursor.execute(
                f"SELECT r.article_id, r.work_id, w.title, w.author FROM {Review._meta.db_table} r "
                f"JOIN {ReviewedWork._meta.db_table} w ON w.id = r.work_id "
                f"WHERE r.article_id IN ({', '.join(['%s'] * len(chunk))}) "
                "ORDER BY r.article_id, r.position, r.id",
                chunk,
            )
            found += cursor.fetchall()
    return found


def _replace_rows(ids: list[int], rows: list[tuple]) -> None:
    """The quotation rows of these articles deleted, and `rows` (COLUMNS values, plain: no
    value needs adapting) inserted in their order, in multi-row INSERTs."""
    delete_where_in(Quotation, "article_id", ids)
    insert_values(Quotation, COLUMNS, rows)


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def ahead_key(article: Article, works: list[tuple[str, str]]) -> tuple | None:
    """What identifies an article's body and works as previewed: its key and the fingerprint
    of what was ingested, with its works; None for an article the loader did not fill."""
    fingerprint = article.__dict__.get("ingested_fingerprint")
    if not fingerprint or "blocks" not in article.__dict__:
        return None
    return (article.key, fingerprint, tuple(works))


@receiver(articles_coming, dispatch_uid="quotations.find_coming_quotations")
def find_coming_quotations(
    sender, previews: list[ArticlePreview], workers: Executor | None = None, **kwargs
) -> PendingWork | None:
    """Send the bodies about to be written to a worker process; None without workers."""
    if workers is None or not previews:
        return None
    keys = [ahead_key(p.article, list(p.works)) for p in previews]
    bodies = [
        (p.article.blocks, [(n, title, author) for n, (title, author) in enumerate(p.works)])
        for p in previews
    ]
    future = workers.submit(quotations_of_bodies, bodies)

    def finish() -> FoundAhead:
        try:
            results = future.result()
        except Exception:  # a worker lost: the write finds them in place
            return FoundAhead()
        return FoundAhead((k, r) for k, r in zip(keys, results, strict=True) if k is not None)

    return PendingWork(finish=finish, ready=future.done)


@receiver(articles_changed, dispatch_uid="quotations.requote_changed_articles")
def requote_changed_articles(sender, articles: list[Article] = (), prepared=(), **kwargs) -> None:
    saved = list({article.pk: article for article in articles if article.pk is not None}.values())
    if saved:
        requote_articles(saved, [p for p in prepared if isinstance(p, FoundAhead)])
