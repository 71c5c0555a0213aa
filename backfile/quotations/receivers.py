"""Keep every article's quotations in step with its body.

The loader (once per batch) and the editors' desk (once per correction) announce what they
wrote with `articles_changed`, inside the transaction that wrote it: the quotations of those
articles are found again there and then and their rows replaced, in three statements
whatever the number of articles (the works reviewed, the delete, the insert). Deletes of
articles cascade; an edit to a reviewed work's title does not move its quotations.
"""

from __future__ import annotations

from collections import defaultdict

from django.dispatch import receiver

from backfile.archive.models import Article, Review
from backfile.archive.signals import articles_changed
from backfile.ingest.rows import insert_rows
from backfile.quotations.extract import quotations
from backfile.quotations.models import Quotation

COLUMNS = ("article_id", "position", "kind", "text", "pages", "work_id")


def requote_articles(articles: list[Article]) -> None:
    """Replace the quotation rows of these (saved) articles with those their bodies give now.

    An article's body is taken as the sender holds it (it has just written it); one whose
    body was not loaded is read back. The rows are written as plain multi-row INSERTs (the
    loader's `insert_rows`): a batch's hundreds of quotations through `bulk_create` cost
    more than finding them."""
    ids = [article.pk for article in articles]
    bodies = {a.pk: a.__dict__["blocks"] for a in articles if "blocks" in a.__dict__}
    missing = [pk for pk in ids if pk not in bodies]
    if missing:
        bodies.update(Article.objects.filter(pk__in=missing).values_list("pk", "blocks"))
    works: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    reviews = (
        Review.objects.filter(article_id__in=ids)
        .order_by("article_id", "position", "pk")
        .values_list("article_id", "work_id", "work__title", "work__author")
    )
    for article, *work in reviews:
        works[article].append(tuple(work))
    rows = [
        (pk, n, q.kind, q.text, q.pages[:100], q.work)
        for pk in ids
        for n, q in enumerate(quotations(bodies.get(pk) or [], works.get(pk, ())))
    ]
    Quotation.objects.filter(article_id__in=ids).delete()
    insert_rows(Quotation, COLUMNS, rows)


@receiver(articles_changed, dispatch_uid="quotations.requote_changed_articles")
def requote_changed_articles(sender, articles: list[Article] = (), **kwargs) -> None:
    saved = list({article.pk: article for article in articles if article.pk is not None}.values())
    if saved:
        requote_articles(saved)
