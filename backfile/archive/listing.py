"""What the site's lists of articles share: the columns a listing reads, contents order
and bylines fetched with the articles (one query, not one per article)."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from backfile.archive.models import Article, Byline

# Contents-page columns: everything but the body and the bookkeeping.
LISTING_DEFERRED = ("blocks", "subjects", "attachments", "ingested_fingerprint")


def contents_order(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Page order: the contents position where known (unplaced articles last), then arrival."""
    return articles.order_by(F("position").asc(nulls_last=True), "id")


def with_bylines(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )
