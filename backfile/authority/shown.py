"""What the article page shows of the authority file: the people, places and
organisations it mentions, each linking to its page, grouped by type. One query."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from backfile.archive.models import Article
from backfile.authority.models import TYPE_PATHS, TYPES, Mention

GROUP_LABELS = {"person": "People", "place": "Places", "organisation": "Organisations"}


@dataclass(frozen=True)
class Mentioned:
    name: str
    url: str
    count: int


def article_mentions(article: Article) -> list[tuple[str, list[Mentioned]]]:
    """(group label, its entries A–Z) for each type the article mentions, people first."""
    rows = (
        Mention.objects.filter(article=article)
        .values_list("entry__type", "entry__name", "entry__slug", "count")
        .order_by("entry__key", "entry__slug")
    )
    groups: dict[str, list[Mentioned]] = {kind: [] for kind, _label in TYPES}
    for kind, name, slug, count in rows:
        if kind in groups and (url := entry_url(kind, slug)):
            groups[kind].append(Mentioned(name, url, count))
    return [(GROUP_LABELS[kind], found) for kind, found in groups.items() if found]


def entry_url(kind: str, slug: str) -> str:
    """An entry's page, or "" for a stored slug no address can hold (never a 500)."""
    if kind not in TYPE_PATHS:
        return ""
    try:
        return reverse("authority:entry", args=[TYPE_PATHS[kind], slug])
    except NoReverseMatch:
        return ""
