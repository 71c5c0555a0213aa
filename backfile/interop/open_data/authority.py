"""`/api/authority` and `/api/authority/{type}/{slug}`: the authority file as open data
(people, places and organisations, with their aliases, note and dates, and the articles
that mention them, by date), and what an article's record says of it (`mentions`,
`quotations`). Paginated and cached as the rest of the open data API."""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from backfile.archive.models import Article
from backfile.authority.counting import rows_of, sum_of
from backfile.authority.models import TYPE_PATHS, Entry, Mention
from backfile.interop.open_data import schemas
from backfile.interop.open_data.api import (
    PER_PAGE,
    article_summary,
    cached,
    checked_paging,
    entry_links,
    paginated,
    with_bylines,
)

router = Router(tags=["open data"])
EntryType = Literal["person", "place", "organisation"]


class EntrySummary(Schema):
    id: int
    type: EntryType
    name: str
    slug: str
    dates: str
    articles: int  # how many articles mention it
    url: str | None  # its page on the site (null where the site shows no entry pages)
    api_url: str


class EntryOut(EntrySummary):
    aliases: list[str]
    note: str
    mentions: int  # how many times the articles mention it, all told


class EntryMention(Schema):
    count: int  # times this article mentions it
    sentence: str  # the sentence around the first time
    article: schemas.ArticleSummary


class EntriesPage(schemas.Page):
    results: list[EntrySummary]


class EntryArticlesPage(schemas.Page):
    entry: EntryOut
    results: list[EntryMention]


def entry_summary(request: HttpRequest, entry: Entry) -> dict:
    return {
        "id": entry.pk,
        "type": entry.type,
        "name": entry.name,
        "slug": entry.slug,
        "dates": entry.dates,
        "articles": entry.article_count,
        **entry_links(request, entry.type, entry.slug),
    }


def with_counts(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.annotate(article_count=rows_of(Mention))


@router.get("/authority", response={200: EntriesPage}, url_name="authority",
            summary="The authority file A to Z: people, places and organisations")  # fmt: skip
@cached
def entries(
    request: HttpRequest,
    type: EntryType | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
):
    page, per_page = checked_paging(page, per_page)
    found = with_counts(Entry.objects.filter(type__in=TYPE_PATHS))  # (a stored odd type: none)
    if type is not None:
        found = found.filter(type=type)
    items, numbers = paginated(request, found.order_by("key", "type", "pk"), page, per_page)
    return {**numbers, "results": [entry_summary(request, e) for e in items]}


@router.get("/authority/{type}/{slug}",
            response={200: EntryArticlesPage, 404: schemas.Problem}, url_name="authority_entry",
            summary="An entry, with its aliases and the articles that mention it, by date")  # fmt: skip
@cached
def entry(request: HttpRequest, type: EntryType, slug: str, page: int = 1,
          per_page: int = PER_PAGE):  # fmt: skip
    page, per_page = checked_paging(page, per_page)
    found = get_object_or_404(
        with_counts(Entry.objects).annotate(mention_total=sum_of(Mention, "count")),
        type=type,
        slug=slug,
    )
    mentions = Mention.objects.filter(entry=found).order_by("sort_key", "article_id")
    items, numbers = paginated(request, mentions, page, per_page)
    articles = with_bylines(Article.objects.filter(pk__in=[m.article_id for m in items]))
    by_id = {a.pk: a for a in articles}
    aliases = sorted(found.aliases.all(), key=lambda a: (a.key, a.name))
    return {
        **numbers,
        "entry": {
            **entry_summary(request, found),
            "aliases": [a.name for a in aliases],
            "note": found.note,
            "mentions": found.mention_total or 0,
        },
        "results": [
            {
                "count": m.count,
                "sentence": m.sentence,
                "article": article_summary(request, by_id[m.article_id]),
            }
            for m in items
            if m.article_id in by_id
        ],  # fmt: skip
    }
