"""What the article page shows of related articles: one query, whatever the archive."""

from __future__ import annotations

from backfile.archive.models import Article
from backfile.related.models import RelatedArticle


def related_articles(article: Article) -> list[Article]:
    """The articles stored as most like this one, best first, with their issue and
    publication (for their addresses and where they ran)."""
    rows = (
        RelatedArticle.objects.filter(article=article)
        .select_related("related__issue__publication")
        .only(
            "rank",
            "related__slug",
            "related__title",
            "related__publication_id",
            "related__issue__slug",
            "related__issue__title",
            "related__issue__number",
            "related__issue__year",
            "related__issue__month",
            "related__issue__day",
            "related__issue__decade",
            "related__issue__publication__name",
            "related__issue__publication__slug",
        )
        .order_by("rank")
    )
    found = []
    for row in rows:
        other = row.related
        other.publication = other.issue.publication
        found.append(other)
    return found
