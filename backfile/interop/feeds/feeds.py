"""Atom feeds of an archive's latest articles and issues, whole or one publication's.

Each feed is a fixed number of queries however many entries it holds: the newest
issues are picked first (a short sort over issues, not over every article), then
their articles come with their issue, publication and bylines in two queries.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.db.models import Exists, F, Max, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from backfile.archive.models import Article, Byline, Issue, Publication
from backfile.interop.feeds.dates import at_midnight, newest_issue_first
from backfile.interop.oai.identity import repository_name
from backfile.interop.oai.responses import clean
from backfile.site_url import CanonicalRequest

ENTRIES = 50
CONTENTS_ORDER = F("position").asc(nulls_last=True)
SITE_NAME = "Backfile"

# What an entry shows of an article: no body, no bookkeeping.
ENTRY_FIELDS = (
    "title",
    "kicker",
    "slug",
    "section",
    "standfirst",
    "summary",
    "published",
    "modified",
    "position",
    "issue__slug",
    "issue__year",
    "issue__month",
    "issue__day",
    "issue__decade",
    "publication__slug",
)


def cleaned(value):
    """A feed's value without the control characters XML cannot carry (one in a stored title
    made every feed answer 500), through lists and tuples."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (list, tuple)):
        return type(value)(cleaned(v) for v in value)
    return value


class BylinedAtomFeed(Atom1Feed):
    """Atom with every author of a byline, in order (Django's feeds name one author at most),
    and never a control character in its text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(cleaned(a) for a in args), **{k: cleaned(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*(cleaned(a) for a in args), **{k: cleaned(v) for k, v in kwargs.items()})

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, path in item.get("bylines", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", urljoin(self.feed["link"], path))
            handler.endElement("author")


def newest_issues(publication: Publication | None) -> QuerySet[Issue]:
    """Issues that hold articles, newest first, of one publication or of the whole archive."""
    issues = Issue.objects.filter(Exists(Article.objects.filter(issue=OuterRef("pk"))))
    if publication is not None:
        issues = issues.filter(publication=publication)
    return issues.order_by(*newest_issue_first(), "-pk")


def article_date(article: Article) -> date:
    """The article's own date, else its issue's cover date, else the first day of its year."""
    return article.date or date(article.issue.year, 1, 1)


class ArchiveFeed(Feed):
    """Shared by the feeds: Atom, its own address as its id, 404 for an unknown publication,
    and a feed-level author (the publication's publisher, else its name; the archive's name
    for the whole archive), which RFC 4287 requires wherever an entry names none."""

    feed_type = BylinedAtomFeed

    def author_name(self, obj) -> str:
        publication = obj if isinstance(obj, Publication) else None
        if publication is not None:
            return publication.publisher or publication.name
        return repository_name()

    def get_object(self, request: HttpRequest, publication: str | None = None):
        if publication is None:
            return None
        return get_object_or_404(Publication, slug=publication)

    def get_feed(self, obj, request: HttpRequest):
        """An Atom feed's id must be its own: the articles and issues feeds share a page link.

        Links are made on the canonical origin (BACKFILE_BASE_URL), not the Host header.
        """
        feed = super().get_feed(obj, CanonicalRequest(request))
        feed.feed["id"] = feed.feed["feed_url"]
        return feed

    def link(self, obj: Publication | None) -> str:
        return obj.get_absolute_url() if obj else reverse("archive:home")

    def item_updateddate(self, item) -> datetime:
        """Atom requires every entry's `updated`; an issue knows no later date than its own."""
        return self.item_pubdate(item)


class LatestArticlesFeed(ArchiveFeed):
    """The articles of the newest issues, newest issue first and in contents order within it."""

    def title(self, obj: Publication | None) -> str:
        return f"{obj.name if obj else SITE_NAME}: latest articles"

    def subtitle(self, obj: Publication | None) -> str:
        where = obj.name if obj else "the archive"
        return f"The articles of the latest issues of {where}."

    def items(self, obj: Publication | None) -> QuerySet[Article]:
        issues = newest_issues(obj).values("pk")[:ENTRIES]
        bylines = Byline.objects.select_related("author").order_by("position")
        return (
            Article.objects.filter(issue__in=issues)
            .select_related("issue", "publication")
            .only(*ENTRY_FIELDS)
            .prefetch_related(Prefetch("bylines", queryset=bylines))
            .order_by(*newest_issue_first("issue__"), "-issue_id", CONTENTS_ORDER, "pk")[:ENTRIES]
        )

    def item_title(self, item: Article) -> str:
        return f"{item.kicker}: {item.title}" if item.kicker else item.title

    def item_description(self, item: Article) -> str | None:
        """The standfirst (or teaser) as plain text, escaped: Atom's summary here is HTML."""
        text = item.standfirst or item.summary
        return escape(text) if text else None

    def item_pubdate(self, item: Article) -> datetime:
        return at_midnight(article_date(item))

    def item_updateddate(self, item: Article) -> datetime:
        """When an ingest or an editor last changed the article."""
        return item.modified

    def item_categories(self, item: Article) -> tuple[str, ...]:
        return (item.section,) if item.section else ()

    def item_extra_kwargs(self, item: Article) -> dict:
        return {
            "bylines": [(b.author.name, b.author.get_absolute_url()) for b in item.author_bylines()]
        }


class NewIssuesFeed(ArchiveFeed):
    """The newest issues, each entry naming the articles it holds."""

    def title(self, obj: Publication | None) -> str:
        return f"{obj.name if obj else SITE_NAME}: new issues"

    def subtitle(self, obj: Publication | None) -> str:
        where = obj.name if obj else "the archive"
        return f"The latest issues of {where}, with their contents."

    def items(self, obj: Publication | None) -> QuerySet[Issue]:
        contents = Article.objects.only("issue_id", "title").order_by(CONTENTS_ORDER, "pk")
        return (
            newest_issues(obj)
            .select_related("publication")
            .annotate(changed=Max("articles__modified"))
            .prefetch_related(Prefetch("articles", queryset=contents))[:ENTRIES]
        )

    def item_title(self, item: Issue) -> str:
        return str(item)

    def item_description(self, item: Issue) -> str:
        titles = "".join(f"<li>{escape(a.title)}</li>" for a in item.articles.all())
        return f"<ul>{titles}</ul>"

    def item_pubdate(self, item: Issue) -> datetime:
        return at_midnight(item.date or date(item.year, 1, 1))

    def item_updateddate(self, item: Issue) -> datetime:
        """When the issue last changed: its newest article's change (an ingest or an editor),
        not its cover date, so a back issue added today is news today."""
        return item.changed or self.item_pubdate(item)

    def item_categories(self, item: Issue) -> tuple[str, ...]:
        return (item.publication.name,)
