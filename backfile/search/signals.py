"""Receivers that keep the index in step with every ingest, edit and delete."""

from __future__ import annotations

from concurrent.futures import Executor

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from backfile.archive.models import Article, Issue
from backfile.archive.signals import ArticlePreview, PendingWork, articles_changed, articles_coming
from backfile.facsimiles.models import Page
from backfile.facsimiles.signals import pages_stored
from backfile.search.index import (
    AnalysedAhead,
    index_articles,
    redate_issue_articles,
    remove_articles,
    start_analysis,
)
from backfile.search.page_index import index_pages, refresh_issue_pages, remove_pages


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


@receiver(pages_stored, dispatch_uid="search.index_stored_pages")
def index_stored_pages(sender, pages: list[Page] = (), **kwargs) -> None:
    """The loader's pages, once committed: their rows in one transaction of their own."""
    with transaction.atomic():
        index_pages(pages)


@receiver(post_save, sender=Page, dispatch_uid="search.index_saved_page")
def index_saved_page(sender, instance: Page, raw: bool = False, **kwargs) -> None:
    """A page saved one by one (by the loader, an editor, an accepted reader's correction):
    indexed in the same transaction, as an edited article is; its announcement afterwards
    (`pages_stored`) then finds its row current and costs a hash (`index_pages`)."""
    if not raw:
        index_pages([instance])


@receiver(post_delete, sender=Page, dispatch_uid="search.remove_deleted_page")
def remove_deleted_page(sender, instance: Page, **kwargs) -> None:
    remove_pages([instance.pk])


@receiver(post_save, sender=Issue, dispatch_uid="search.refresh_issue_pages")
def refresh_pages_of_saved_issue(sender, instance: Issue, raw: bool = False, created=False, **kw):
    """An issue redated or moved: its pages' rows follow, and its articles' dates (which are
    the issue's) in theirs."""
    if not (raw or created):
        refresh_issue_pages(instance)
        redate_issue_articles([instance])
