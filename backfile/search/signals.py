"""Receivers that keep the index in step with every ingest, edit and delete."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from backfile.archive.models import Article
from backfile.archive.signals import article_changed, articles_deleting
from backfile.search.index import index_article, remove_articles


@receiver(article_changed, dispatch_uid="search.index_changed_article")
def index_changed_article(sender, article: Article, **kwargs) -> None:
    index_article(article)


@receiver(post_delete, sender=Article, dispatch_uid="search.remove_deleted_article")
def remove_deleted_article(sender, instance: Article, **kwargs) -> None:
    remove_articles([instance.pk])


@receiver(articles_deleting, dispatch_uid="search.remove_deleting_articles")
def remove_deleting_articles(sender, article_ids, **kwargs) -> None:
    remove_articles(article_ids)
