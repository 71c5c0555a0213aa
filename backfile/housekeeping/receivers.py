"""Moves recorded as they are saved: an article's, issue's or publication's address
changes with its slug (or an article's issue, an issue's year or publication), and the
old addresses of it and of everything under it redirect to the new ones.

Cheap: pre_save compares the few fields an address is made of with those the row was
loaded with (`archive.models.RemembersLoaded`: no query), and reads the old addresses
only when one of them changed. Only an instance not loaded from the database (made by
hand with its pk) has its row's fields read first (one query); a save naming only other
fields (`update_fields`) is not looked at. So the loader's re-ingest of an article, or an
editor's change of its title, makes no query here. An issue's articles also get a new
`modified`, so harvesters see them again (whoever saved the issue announces them: the
admin, the loader, the desk).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import timezone

from backfile.archive.models import Article, Issue, Publication
from backfile.housekeeping.redirects import record

ARTICLE_FIELDS = Article.REMEMBERED
ISSUE_FIELDS = Issue.REMEMBERED


def article_path(pub_slug: str, year: int, issue_slug: str, slug: str) -> str:
    decade = f"{year // 10 * 10}s"
    return reverse("archive:article", args=[pub_slug, decade, year, issue_slug, slug])


def issue_path(pub_slug: str, year: int, issue_slug: str) -> str:
    return reverse("archive:issue", args=[pub_slug, f"{year // 10 * 10}s", year, issue_slug])


def article_paths(**filters) -> dict[int, str]:
    rows = Article.objects.filter(**filters).values_list(
        "pk", "publication__slug", "issue__year", "issue__slug", "slug"
    )
    return {pk: article_path(pub, year, issue, slug) for pk, pub, year, issue, slug in rows}


def issue_paths(**filters) -> dict[int, str]:
    rows = Issue.objects.filter(**filters).values_list("pk", "publication__slug", "year", "slug")
    return {pk: issue_path(pub, year, slug) for pk, pub, year, slug in rows}


def moves(before: dict[int, str], after: dict[int, str]) -> list[tuple[str, str]]:
    return [(old, after[pk]) for pk, old in before.items() if pk in after and after[pk] != old]


def stored(instance, update_fields=None) -> dict | None:
    """The address fields as the database has them, or None: nothing to look at (a new
    row, or a save of other fields only), or the row is gone. Remembered from the load
    where it can be; read (one query) where not."""
    if instance.pk is None:
        return None
    fields = type(instance).REMEMBERED
    if update_fields is not None:
        named = {name.removesuffix("_id") for name in update_fields}
        if not named & {name.removesuffix("_id") for name in fields}:
            return None
    known = instance.remembered()
    if known is not None:
        return known
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


def saved(instance, update_fields=None) -> None:
    """After a save the database has the instance's values: remember them."""
    if update_fields is None:
        instance.remember_loaded()
    else:
        fields = {name.removesuffix("_id") for name in update_fields}
        instance.remember_loaded(
            [f for f in instance.REMEMBERED if f.removesuffix("_id") in fields]
        )


def article_saving(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    old = stored(instance, kwargs.get("update_fields"))
    if old is None:
        return
    if (old["issue_id"], old["publication_id"]) != (instance.issue_id, instance.publication_id):
        instance.publication_id = instance.issue.publication_id  # the publication follows
    if (old["slug"], old["issue_id"], old["publication_id"]) != (
        instance.slug,
        instance.issue_id,
        instance.publication_id,
    ):
        instance._old_paths = article_paths(pk=instance.pk)


def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    saved(instance, kwargs.get("update_fields"))
    before = instance.__dict__.pop("_old_paths", None)
    if before:
        record(moves(before, article_paths(pk=instance.pk)), "article moved or renamed")


def issue_saving(sender, instance: Issue, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    old = stored(instance, kwargs.get("update_fields"))
    if old and any(old[field] != getattr(instance, field) for field in ISSUE_FIELDS):
        instance._old_paths = (issue_paths(pk=instance.pk), article_paths(issue_id=instance.pk))


def issue_saved(sender, instance: Issue, raw: bool = False, **kwargs) -> None:
    saved(instance, kwargs.get("update_fields"))
    before = instance.__dict__.pop("_old_paths", None)
    if not before:
        return
    issues, articles = before
    # the articles' records show the issue: harvesters and listeners see them change
    Article.objects.filter(issue_id=instance.pk).update(
        publication_id=instance.publication_id, modified=timezone.now()
    )
    record(moves(issues, issue_paths(pk=instance.pk)), "issue renumbered or moved")
    record(moves(articles, article_paths(issue_id=instance.pk)), "issue renumbered or moved")


def feeds_path(pub_slug: str) -> str:
    """The folder of a publication's feeds (`/feeds/<slug>/`), outside its own address."""
    return reverse("feeds:publication-articles", args=[pub_slug]).rsplit("/", 1)[0] + "/"


def publication_saving(sender, instance: Publication, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    old = (stored(instance, kwargs.get("update_fields")) or {}).get("slug")
    if old is not None and old != instance.slug:
        instance._old_paths = (
            {instance.pk: reverse("archive:publication", args=[old])},
            {instance.pk: feeds_path(old)},
            issue_paths(publication_id=instance.pk),
            article_paths(publication_id=instance.pk),
        )


def publication_saved(sender, instance: Publication, raw: bool = False, **kwargs) -> None:
    saved(instance, kwargs.get("update_fields"))
    before = instance.__dict__.pop("_old_paths", None)
    if not before:
        return
    publications, feeds, issues, articles = before
    new = {instance.pk: instance.get_absolute_url()}
    reason = "publication renamed"
    record(moves(publications, new), reason)
    record(moves(feeds, {instance.pk: feeds_path(instance.slug)}), reason)
    record(moves(issues, issue_paths(publication_id=instance.pk)), reason)
    record(moves(articles, article_paths(publication_id=instance.pk)), reason)
    Article.objects.filter(publication_id=instance.pk).update(modified=timezone.now())


def connect() -> None:
    uid = "housekeeping.redirects"
    pre_save.connect(article_saving, sender=Article, dispatch_uid=uid)
    post_save.connect(article_saved, sender=Article, dispatch_uid=uid)
    pre_save.connect(issue_saving, sender=Issue, dispatch_uid=uid)
    post_save.connect(issue_saved, sender=Issue, dispatch_uid=uid)
    pre_save.connect(publication_saving, sender=Publication, dispatch_uid=uid)
    post_save.connect(publication_saved, sender=Publication, dispatch_uid=uid)
