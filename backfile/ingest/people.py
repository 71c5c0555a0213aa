"""The people an ingest credits: authors found by the key of their name (any spelling an
editor merged is an alias), made when new, cached for the ingest, and articles' bylines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.text import slugify

from backfile.archive.models import Article, Author, AuthorAlias, Byline, name_key, unique_slug
from backfile.ingest.records import ArticleRecord


class People:
    """The authors an ingest has met, by the key of their name."""

    def __init__(self) -> None:
        self.by_key: dict[str, Author] = {}

    def clear(self) -> None:
        self.by_key.clear()

    def known(self, names: Iterable[str]) -> None:
        """The stored authors of these names into the cache, with one query (reads only)."""
        keys = {name_key(name) for name in names} - self.by_key.keys()
        if keys:
            for alias in AuthorAlias.objects.select_related("author").filter(key__in=keys):
                self.by_key[alias.key] = alias.author

    def prefetch(self, names: Iterable[str]) -> None:
        """Find a batch's authors with one query and add the new ones with two bulk inserts.

        A new name whose slug is taken (or shared with another new name) is left
        to `get`, which numbers the slug.
        """
        wanted: dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key not in self.by_key:
                wanted.setdefault(key, name)
        for alias in AuthorAlias.objects.select_related("author").filter(key__in=list(wanted)):
            self.by_key[alias.key] = alias.author
            del wanted[alias.key]
        slugs = {key: unique_slug(name, set(), fallback="author") for key, name in wanted.items()}
        taken = set(Author.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
        counts = Counter(slugs.values())
        fresh = [key for key, slug in slugs.items() if slug not in taken and counts[slug] == 1]
        authors = Author.objects.bulk_create(
            Author(name=wanted[key], slug=slugs[key]) for key in fresh
        )
        AuthorAlias.objects.bulk_create(
            AuthorAlias(author=author, name=author.name, key=key)
            for key, author in zip(fresh, authors, strict=True)
        )
        self.by_key.update(zip(fresh, authors, strict=True))

    def get(self, name: str) -> Author:
        """The person of this name: cached, stored under an alias, or made now."""
        key = name_key(name)
        author = self.by_key.get(key)
        if author is not None:
            return author
        alias = AuthorAlias.objects.select_related("author").filter(key=key).first()
        if alias is not None:
            author = alias.author
        else:
            taken = set(
                Author.objects.filter(slug__startswith=slugify(name)[:50] or "author").values_list(
                    "slug", flat=True
                )
            )
            author = Author.objects.create(
                name=name, slug=unique_slug(name, taken, fallback="author")
            )
            AuthorAlias.objects.create(author=author, name=name, key=key)
        self.by_key[key] = author
        return author

    def bylines(self, record: ArticleRecord) -> list[tuple[Author, str, str]]:
        """The article's authors in order, then the people credited with another role, with
        their names as printed, each person once however often the name repeats (as an
        author if at all); a byline's position is its index here."""
        bylines: list[tuple[Author, str, str]] = []
        credited = [(name, Byline.AUTHOR) for name in record.authors]
        credited += [(c.name, c.role) for c in record.contributors]
        for name, role in credited:
            author = self.get(name)
            if all(author.pk != each.pk for each, _printed, _role in bylines):
                bylines.append((author, name, role))
        return bylines

    def write(self, article: Article, record: ArticleRecord, new: bool = False) -> None:
        """Store the article's bylines (`new`: it has none yet), unless they are unchanged."""
        wanted = self.bylines(record)
        if not new:
            current = list(
                article.bylines.values_list("author_id", "as_printed", "role").order_by("position")
            )
            if current == [(author.pk, printed, role) for author, printed, role in wanted]:
                return
            article.bylines.all().delete()
        if wanted:
            Byline.objects.bulk_create(
                Byline(
                    article=article, author=author, position=position, as_printed=printed, role=role
                )
                for position, (author, printed, role) in enumerate(wanted)
            )


def credited(record: ArticleRecord) -> list[str]:
    """Everyone the record names: its authors and its other contributors."""
    return [*record.authors, *(c.name for c in record.contributors)]
