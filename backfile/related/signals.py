"""Receivers that keep the related articles in step with ingests and editors' corrections."""

from __future__ import annotations

from django.db.models.signals import pre_delete

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed, ingest_finished
from backfile.authority.signals import mentions_relinked
from backfile.related.store import record_terms, refresh, relate_again, retire_pages_listing


def terms_of_changed_articles(sender, articles: list[Article], prepared=(), **kwargs) -> None:
    """In the sender's transaction: the articles' terms, to be related when the run ends;
    the pages listing them as related, in other publications too, retired."""
    record_terms(articles, prepared)
    retire_pages_listing([a.pk for a in articles], {a.publication_id for a in articles})


def article_deleting(sender, instance: Article, **kwargs) -> None:
    """Before an article and the rows listing it go: retire the pages that list it."""
    retire_pages_listing([instance.pk], [instance.publication_id])


def relate_relinked_again(sender, article_ids=(), **kwargs) -> None:
    """Articles whose mentions changed without their text (an entry added or merged): their
    lists are made again by the next refresh, with the entries they now mention."""
    relate_again(article_ids)


def relate_after_ingest(sender, progress=None, **kwargs) -> int:
    """Once a run has stored everything: relate what it stored (`store.refresh`)."""
    return refresh(progress)


articles_changed.connect(terms_of_changed_articles, dispatch_uid="related.terms_of_changed")
pre_delete.connect(article_deleting, sender=Article, dispatch_uid="related.article_deleting")
ingest_finished.connect(relate_after_ingest, dispatch_uid="related.relate_after_ingest")
mentions_relinked.connect(relate_relinked_again, dispatch_uid="related.relate_relinked_again")
