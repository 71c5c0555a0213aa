"""The article page: the text with its bylines, reviewed works, citation and neighbours."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.article_pager import neighbours
from backfile.archive.links import with_archive_links
from backfile.archive.listing import with_bylines
from backfile.archive.models import Article, Review
from backfile.authority.shown import article_mentions
from backfile.caching.http import cached_page
from backfile.interop.citations.article import ArticleCitation
from backfile.related.shown import related_articles

WORDS_PER_MINUTE = 230


@cached_page
def article(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str, article: str
) -> HttpResponse:
    found = get_object_or_404(
        with_bylines(Article.objects.select_related("issue__publication", "publication"))
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("work")))
        .defer("ingested_fingerprint"),
        issue__publication__slug=publication,
        issue__decade=decade,
        issue__year=year,
        issue__slug=issue,
        slug=article,
    )
    previous, following = neighbours(found)
    minutes = reading_minutes(found.blocks)
    found.blocks = with_archive_links(found)  # for this page only; stored as the source wrote it
    return render(
        request,
        "archive/article.html",
        {
            "issue": found.issue,
            "article": found,
            "previous": previous,
            "next": following,
            "reading_minutes": minutes,
            "related": related_articles(found),
            "mentions": article_mentions(found),
            "citation": ArticleCitation(found, request),
        },
    )


def reading_minutes(blocks: list) -> int:
    """Minutes to read the body at WORDS_PER_MINUTE, rounded, at least one."""
    return max(1, round(body_words(blocks) / WORDS_PER_MINUTE))


def body_words(blocks: list) -> int:
    """Words of the body's text, quotations, lists and notes included (tolerant of odd rows)."""
    count = 0
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict):
            text = block.get("text")
            count += len(text.split()) if isinstance(text, str) else 0
            count += body_words(block.get("blocks") or [])
    return count
