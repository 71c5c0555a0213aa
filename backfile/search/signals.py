"""Receivers that keep the index in step with every ingest, edit and delete."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from backfile.archive.models import Article
from backfile.archive.signals import PendingWork, articles_changed
from backfile.search.index import index_articles, remove_articles, start_indexing


@receiver(articles_changed, dispatch_uid="search.index_changed_articles")
def index_changed_articles(
    sender, articles: list[Article], finish_later: bool = False, **kwargs
) -> PendingWork | None:
    """Index the articles; a sender that can wait (the loader) gets the rest to finish later."""
    if finish_later:
        return start_indexing(articles)
    index_articles(articles)
    return None


@receiver(post_delete, sender=Article, dispatch_uid="search.remove_deleted_article")
def remove_deleted_article(sender, instance: Article, **kwargs) -> None:
    remove_articles([instance.pk])
