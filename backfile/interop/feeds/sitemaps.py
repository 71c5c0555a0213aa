"""Sitemaps of every page of the archive, for search engines to crawl all of it.

An archive may hold hundreds of thousands of articles, so the sitemaps read plain
rows (`values_list`) of just the columns an address needs, never whole articles
with their bodies, and page them at the framework's limit of 50,000 addresses.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.urls import reverse

from backfile.archive.models import Article, Author, Byline, Issue, Publication, cover_date
from backfile.authority.book_views import book_url, reviewed
from backfile.authority.models import TYPE_PATHS, Entry, Mention
from backfile.authority.shown import entry_url

ArticleRow = tuple[str, int, int, str, str, datetime]
IssueRow = tuple[str, int, int, str, int | None, int | None]


@lru_cache(maxsize=4096)
def issue_path(publication: str, decade: int, year: int, issue: str) -> str:
    """An issue's address, reversed once for all the articles that follow it in a page."""
    return reverse("archive:issue", args=[publication, f"{decade}s", year, issue])


class RowSitemap(Sitemap):
    """A sitemap of one model's rows, each page giving its addresses' dates.

    The index leaves the sections' dates out: the framework would find them by
    reading every row of the section. The rows are counted on the model's own table:
    counting the joined rows a page reads takes a scan of all three tables.
    """

    model: type[Model]

    def get_latest_lastmod(self) -> None:
        return None

    @property
    def paginator(self) -> Paginator:
        pages = super().paginator
        pages.count = self.model.objects.count()
        return pages


class ArticleSitemap(RowSitemap):
    """Every article, dated by when an ingest or an editor last changed it."""

    model = Article

    def items(self) -> QuerySet:
        return Article.objects.order_by("pk").values_list(
            "publication__slug",
            "issue__decade",
            "issue__year",
            "issue__slug",
            "slug",
            "modified",
        )

    def location(self, item: ArticleRow) -> str:
        publication, decade, year, issue, slug, _modified = item
        return f"{issue_path(publication, decade, year, issue)}{slug}/"

    def lastmod(self, item: ArticleRow) -> datetime:
        return item[-1]


class IssueSitemap(RowSitemap):
    """Every issue's contents page, dated by its cover date."""

    model = Issue

    def items(self) -> QuerySet:
        return Issue.objects.order_by("pk").values_list(
            "publication__slug", "decade", "year", "slug", "month", "day"
        )

    def location(self, item: IssueRow) -> str:
        publication, decade, year, issue, _month, _day = item
        return issue_path(publication, decade, year, issue)

    def lastmod(self, item: IssueRow) -> date | None:
        _, _, year, _, month, day = item
        return cover_date(year, month, day)


class BrowseSitemap(Sitemap):
    """The pages a reader browses a print run by: publication, decade and year."""

    def items(self) -> list[str]:
        publications = Publication.objects.order_by("slug").values_list("slug", flat=True)
        years = sorted(set(Issue.objects.values_list("publication__slug", "decade", "year")))
        decades = sorted({(slug, decade) for slug, decade, _ in years})
        return (
            [reverse("archive:publication", args=[slug]) for slug in publications]
            + [reverse("archive:decade", args=[slug, f"{d}s"]) for slug, d in decades]
            + [reverse("archive:year", args=[slug, f"{d}s", year]) for slug, d, year in years]
        )

    def location(self, item: str) -> str:
        return item


class AuthorSitemap(Sitemap):
    """Every author with a byline in the archive."""

    def items(self) -> QuerySet:
        return (
            Author.objects.filter(Exists(Byline.objects.filter(author=OuterRef("pk"))))
            .order_by("pk")
            .values_list("slug", flat=True)
        )

    def location(self, item: str) -> str:
        return reverse("archive:author", args=[item])


class EntrySitemap(Sitemap):
    """The pages of the authority file's people, places and organisations that some article
    mentions (the A–Z lists the same ones); a stored row no address can hold is left out."""

    def items(self) -> list[str]:
        rows = (
            Entry.objects.filter(
                Exists(Mention.objects.filter(entry=OuterRef("pk"))), type__in=TYPE_PATHS
            )
            .order_by("pk")
            .values_list("type", "slug")
        )
        return [path for kind, slug in rows.iterator() if (path := entry_url(kind, slug))]

    def location(self, item: str) -> str:
        return item


class BookSitemap(Sitemap):
    """Every reviewed work's page: its reviews and the passages quoted from it."""

    def items(self) -> QuerySet:
        return reviewed().order_by("pk")

    def location(self, item) -> str:
        return book_url(item)


SITEMAPS: dict[str, Sitemap] = {
    "browse": BrowseSitemap(),
    "issues": IssueSitemap(),
    "articles": ArticleSitemap(),
    "authors": AuthorSitemap(),
    "names": EntrySitemap(),
    "books": BookSitemap(),
}
