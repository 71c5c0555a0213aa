"""Which articles a harvest selects, their datestamps and sets, read a page at a time.

Articles carry no modification time, so an article's datestamp is its cover date:
the article's own published date, else its issue's (the first of the month, or of
January, where the issue gives no day or month). It is computed in SQL as a day
number (YYYYMMDD) so from/until filter on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    F,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils.text import slugify

from backfile.archive.models import Article, Byline, Publication, Review
from backfile.interop.oai.protocol import Query, first_day_from, last_day_until

COVER_DAY = Case(
    When(
        published__isnull=False,
        then=ExtractYear("published") * 10000
        + ExtractMonth("published") * 100
        + ExtractDay("published"),
    ),
    default=F("issue__year") * 10000
    + Coalesce("issue__month", 1) * 100
    + Coalesce("issue__day", 1),
    output_field=IntegerField(),
)

# A record needs neither the body nor the bookkeeping.
RECORD_DEFERRED = ("blocks", "attachments", "ingested_fingerprint", "original_url")


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def day_of(number: int) -> date:
    return date(number // 10000, number // 100 % 100, number % 100)


def earliest_day() -> date | None:
    """The earliest datestamp in the archive (None when it holds no article)."""
    number = Article.objects.aggregate(first=Min(COVER_DAY))["first"]
    return None if number is None else day_of(number)


def publication_set(slug: str) -> str:
    return f"publication:{slug}"


def section_set(publication_slug: str, section: str) -> str:
    return f"publication:{publication_slug}:section:{slugify(section)}"


def article_sets(article: Article) -> list[str]:
    """The setSpecs an article belongs to: its publication's, and its section's if it has one."""
    specs = [publication_set(article.publication.slug)]
    if slugify(article.section):
        specs.append(section_set(article.publication.slug, article.section))
    return specs


def all_sets() -> list[OAISet]:
    """Every publication, and every section of it, in two queries."""
    publications = {p.pk: p for p in Publication.objects.order_by("name", "pk")}
    sections = (
        Article.objects.exclude(section="")
        .values_list("publication_id", "section")
        .distinct()
        .order_by("publication_id", "section")
    )
    by_publication: dict[int, dict[str, str]] = {}
    for publication_id, section in sections:
        if slugify(section):
            by_publication.setdefault(publication_id, {}).setdefault(slugify(section), section)
    found = []
    for publication in publications.values():
        found.append(OAISet(publication_set(publication.slug), publication.name))
        for section in by_publication.get(publication.pk, {}).values():
            found.append(
                OAISet(section_set(publication.slug, section), f"{publication.name}: {section}")
            )
    return found


def set_filter(spec: str) -> Q:
    """The articles of a setSpec; one that names no set of ours matches nothing."""
    parts = spec.split(":")
    if len(parts) == 2 and parts[0] == "publication":
        return Q(publication__slug=parts[1])
    if len(parts) == 4 and parts[0] == "publication" and parts[2] == "section":
        names = [
            name
            for name in Article.objects.filter(publication__slug=parts[1])
            .exclude(section="")
            .values_list("section", flat=True)
            .distinct()
            if slugify(name) == parts[3]
        ]
        return Q(publication__slug=parts[1], section__in=names)
    return Q(pk__in=[])


def selection(query: Query) -> QuerySet[Article]:
    """All the articles a list request selects (every page of it), ordered by pk."""
    articles = Article.objects.alias(oai_day=COVER_DAY)
    if query.from_:
        articles = articles.filter(oai_day__gte=day_number(first_day_from(query.from_)))
    if query.until:
        articles = articles.filter(oai_day__lte=day_number(last_day_until(query.until)))
    if query.set_spec:
        articles = articles.filter(set_filter(query.set_spec))
    return articles.order_by("pk")


def headers_only(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a header needs: pk, datestamp and sets."""
    return (
        articles.annotate(oai_day=COVER_DAY)
        .select_related("publication")
        .only("pk", "section", "publication__slug")
    )


def full_records(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a Dublin Core record needs, bylines and reviewed works prefetched in order."""
    return (
        articles.annotate(oai_day=COVER_DAY)
        .select_related("publication", "issue")
        .defer(*RECORD_DEFERRED)
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("author").order_by("position", "pk"),
            ),
            Prefetch(
                "reviews", queryset=Review.objects.select_related("work").order_by("position", "pk")
            ),
        )
    )
