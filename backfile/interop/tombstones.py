"""Keeping OAI-PMH tombstones: a deleted article leaves one; an article stored again under
the same pk (SQLite may reuse the highest) takes its identifier back."""

from __future__ import annotations

from functools import lru_cache

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.text import slugify

from backfile.archive.models import Article, Publication
from backfile.interop.models import Tombstone


def article_deleted(sender, instance: Article, **kwargs) -> None:
    publication = publication_slug(instance.publication_id)
    Tombstone.objects.update_or_create(
        article_id=instance.pk,
        defaults={
            "deleted": timezone.now(),
            "publication_slug": publication,
            "section_slug": slugify(instance.section)[:300],
            "title": instance.title[:1000],
            # an article merged into another on the desk carries the other's pk
            "merged_into": getattr(instance, "merged_into_pk", None),
        },
    )


@lru_cache(maxsize=64)
def publication_slug(pk: int) -> str:
    """A publication's slug, read once for all its articles deleted with it (deleting a
    publication deletes its articles first, so its row is still there to read)."""
    slugs = Publication.objects.filter(pk=pk).values_list("slug", flat=True)
    return next(iter(slugs), "")


def publication_changed(sender, **kwargs) -> None:
    publication_slug.cache_clear()


def article_saved(sender, instance: Article, created: bool, **kwargs) -> None:
    if created:
        Tombstone.objects.filter(article_id=instance.pk).delete()


def connect() -> None:
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="interop.tombstone")
    post_save.connect(article_saved, sender=Article, dispatch_uid="interop.tombstone_back")
    post_save.connect(publication_changed, sender=Publication, dispatch_uid="interop.slugs")
