"""Feeds to follow one thread of the archive: an author's articles, a section's, and a search's
(a saved search's feed is a reader's alert: new matches appear in it as they are ingested).

Each is a `LatestArticlesFeed` with other items: the newest articles first (by issue date, then
contents order), at most `ENTRIES`, in the same few queries.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify

from backfile.archive.models import Article, Author, Byline, Publication
from backfile.interop.feeds.dates import newest_issue_first
from backfile.interop.feeds.feeds import CONTENTS_ORDER, ENTRIES, ENTRY_FIELDS, LatestArticlesFeed
from backfile.search.backends import filters_from, search
from backfile.search.query import clean


def newest_articles(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Articles as feed entries: newest issue first, with what an entry shows."""
    bylines = Byline.objects.select_related("author").order_by("position")
    return (
        articles.select_related("issue", "publication")
        .only(*ENTRY_FIELDS)
        .prefetch_related(Prefetch("bylines", queryset=bylines))
        .order_by(*newest_issue_first("issue__"), "-issue_id", CONTENTS_ORDER, "pk")[:ENTRIES]
    )


class AuthorFeed(LatestArticlesFeed):
    """One writer's articles, newest first."""

    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: Author) -> str:
        return f"{obj.name}: latest articles"

    def subtitle(self, obj: Author) -> str:
        return f"The articles of {obj.name} in the archive, newest first."

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def author_name(self, obj: Author) -> str:
        return obj.name

    def items(self, obj: Author) -> QuerySet[Article]:
        return newest_articles(Article.objects.filter(bylines__author=obj).distinct())


class Section:
    """A publication's section, as its feed's address names it (`letters` for `Letters`)."""

    def __init__(self, publication: Publication, slug: str):
        names = (
            Article.objects.filter(publication=publication)
            .exclude(section="")
            .values_list("section", flat=True)
            .distinct()
        )
        self.names = [name for name in names if slugify(name) == slug]
        if not self.names:
            raise Http404("The publication has no section of that name.")
        self.publication = publication
        self.slug = slug
        self.name = self.names[0]


class SectionFeed(LatestArticlesFeed):
    """One section of one publication, newest first."""

    def get_object(self, request: HttpRequest, publication: str, section: str) -> Section:
        return Section(get_object_or_404(Publication, slug=publication), section)

    def title(self, obj: Section) -> str:
        return f"{obj.publication.name}: {obj.name}"

    def subtitle(self, obj: Section) -> str:
        return f"The latest articles of {obj.publication.name}'s {obj.name}."

    def link(self, obj: Section) -> str:
        return obj.publication.get_absolute_url()

    def author_name(self, obj: Section) -> str:
        return super().author_name(obj.publication)

    def items(self, obj: Section) -> QuerySet[Article]:
        return newest_articles(
            Article.objects.filter(publication=obj.publication, section__in=obj.names)
        )


class Search:
    """A search as a feed asks it: the query and the search page's filters."""

    def __init__(self, request: HttpRequest):
        self.q = clean(request.GET.get("q", ""))
        self.filters, _notices = filters_from(request.GET)
        self.query_string = request.GET.urlencode()


class SearchFeed(LatestArticlesFeed):
    """The newest articles a search finds: the same query language and filters as the search
    page (`/feeds/search.atom?q=strike&publication=…`)."""

    def get_object(self, request: HttpRequest) -> Search:
        return Search(request)

    def title(self, obj: Search) -> str:
        return f"Search: {obj.q}" if obj.q else "Search: every article"

    def subtitle(self, obj: Search) -> str:
        return "The newest articles this search finds in the archive."

    def link(self, obj: Search) -> str:
        return f"{reverse('search:search')}?{obj.query_string}"

    def author_name(self, obj: Search) -> str:
        return super().author_name(None)

    def items(self, obj: Search) -> list[Article]:
        results = search(obj.q, obj.filters, sort="newest", page=1, per_page=ENTRIES)
        keys = [hit.article.pk for hit in results.hits]
        found = {a.pk: a for a in newest_articles(Article.objects.filter(pk__in=keys))}
        return [found[pk] for pk in keys if pk in found]
