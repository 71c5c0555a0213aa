"""Receivers that keep the related articles in step with ingests and editors' corrections."""

from __future__ import annotations

from backfile.archive.models import Article
from backfile.archive.signals import articles_changed, ingest_finished
from backfile.related.store import record_terms, refresh


def terms_of_changed_articles(sender, articles: list[Article], prepared=(), **kwargs) -> None:
    """In the sender's transaction: the articles' terms, to be related when the run ends."""
    record_terms(articles, prepared)


def relate_after_ingest(sender, progress=None, **kwargs) -> int:
    """Once a run has stored everything: relate what it stored (`store.refresh`)."""
    return refresh(progress)


articles_changed.connect(terms_of_changed_articles, dispatch_uid="related.terms_of_changed")
ingest_finished.connect(relate_after_ingest, dispatch_uid="related.relate_after_ingest")
