"""Receivers that keep the index in step with every ingest, edit and delete."""

from __future__ import annotations

from concurrent.futures import Executor

from django.db.models.signals import post_delete
from django.dispatch import receiver

from backfile.archive.models import Article
from backfile.archive.signals import ArticlePreview, PendingWork, articles_changed, articles_coming
from backfile.search.index import AnalysedAhead, index_articles, remove_articles, start_analysis


@receiver(articles_coming, dispatch_uid="search.analyse_coming_articles")
def analyse_coming_articles(
    sender, previews: list[ArticlePreview], workers: Executor | None = None, **kwargs
) -> PendingWork:
    """Analyse the text of articles about to be written, before their write transaction."""
    return start_analysis(previews, workers)


@receiver(articles_changed, dispatch_uid="search.index_changed_articles")
def index_changed_articles(sender, articles: list[Article], prepared=(), **kwargs) -> None:
    """Write the articles' index rows now, in the sender's transaction and thread, with
    whatever of their text was analysed ahead."""
    index_articles(articles, [p for p in prepared if isinstance(p, AnalysedAhead)])


@receiver(post_delete, sender=Article, dispatch_uid="search.remove_deleted_article")
def remove_deleted_article(sender, instance: Article, **kwargs) -> None:
    remove_articles([instance.pk])
