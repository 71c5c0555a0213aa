"""Which articles a harvest selects, their datestamps and sets, read a page at a time.

An article's datestamp is when an ingest or an editor last changed it
(`Article.modified`, indexed), so a harvester asking for changes since its last
visit gets new back issues and corrections alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.text import slugify

from backfile.archive.models import Article, Byline, Publication, Review
from backfile.interop.models import Tombstone
from backfile.interop.oai.protocol import Query, from_moment, until_bound

# A record needs neither the body nor the bookkeeping.
RECORD_DEFERRED = ("blocks", "attachments", "ingested_fingerprint", "original_url")


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def earliest_datestamp() -> datetime | None:
    """The earliest datestamp in the archive (None when it holds no article)."""
    return Article.objects.aggregate(first=Min("modified"))["first"]


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


def dated(rows: QuerySet, datestamp: str, query: Query) -> QuerySet:
    """`rows` whose datestamp (the field named) falls within the query's from and until."""
    if query.from_:
        rows = rows.filter(**{f"{datestamp}__gte": from_moment(query.from_)})
    if query.until:
        rows = rows.filter(**{f"{datestamp}__lt": until_bound(query.until)})
    return rows


def selection(query: Query) -> QuerySet[Article]:
    """All the articles a list request selects (every page of it), ordered by pk."""
    articles = dated(Article.objects.all(), "modified", query)
    if query.set_spec:
        articles = articles.filter(set_filter(query.set_spec))
    return articles.order_by("pk")


def tombstones(query: Query) -> QuerySet[Tombstone]:
    """The deleted records a list request selects, ordered by pk like `selection`."""
    found = dated(Tombstone.objects.all(), "deleted", query)
    if query.set_spec:
        parts = query.set_spec.split(":")
        if len(parts) == 2 and parts[0] == "publication":
            found = found.filter(publication_slug=parts[1])
        elif len(parts) == 4 and parts[0] == "publication" and parts[2] == "section":
            found = found.filter(publication_slug=parts[1], section_slug=parts[3])
        else:
            found = found.none()
    return found.order_by("article_id")


def tombstone_sets(tombstone: Tombstone) -> list[str]:
    """The setSpecs the article was in when it went."""
    if not tombstone.publication_slug:
        return []
    specs = [publication_set(tombstone.publication_slug)]
    if tombstone.section_slug:
        specs.append(f"{specs[0]}:section:{tombstone.section_slug}")
    return specs


def headers_only(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a header needs: pk, datestamp and sets."""
    return articles.select_related("publication").only(
        "pk", "section", "modified", "publication__slug"
    )


def full_records(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a Dublin Core record needs, bylines and reviewed works prefetched in order."""
    return (
        articles.select_related("publication", "issue")
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
