"""An editor's decisions: accept (the text changes, as a revision), reject, or mark as spam.

Accepting applies a correction to the page or the article as it is then, inside one
transaction with both rows locked: the paragraph must still read what the reader
corrected, or the correction is stale and nothing is written. The change is a revision
of the page or article (django-simple-history) whose user is the editor who accepted it
and whose reason names the correction and the reader who made it (`Correction N by NAME`);
the first correction also records the text as ingested, so it can be restored. The page
or article is marked `edited`, so a later ingest of a changed source will not overwrite it.

The text replaced stays searchable: a page keeps it in `Page.source_text` (never changed
here), an article's index row adds the `original` of its accepted corrections to the body
(backfile.search.index.related_rows).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backfile.archive.admin import announce, keep_ingested_version
from backfile.archive.models import Article
from backfile.corrections import text as paragraphs
from backfile.corrections.models import Correction
from backfile.facsimiles.models import Page
from backfile.facsimiles.signals import pages_stored

Stale = paragraphs.Stale


def accept(correction: Correction, editor=None) -> bool:
    """Apply a correction; False if it was no longer pending or accepted already.
    Raises Stale (and writes nothing) if its paragraph has changed since."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status == Correction.Status.ACCEPTED:
            return False
        if correction.page_id:
            subject = Page.objects.select_for_update().get(pk=correction.page_id)
        else:
            subject = Article.objects.select_for_update().get(pk=correction.article_id)
        keep_ingested_version(subject)
        paragraphs.apply(subject, correction.paragraph, correction.original, correction.text)
        # Accepted first: the article's index row is written from its accepted corrections.
        decide(correction, Correction.Status.ACCEPTED, editor)
        subject.edited = True
        subject._change_reason = correction.change_reason
        subject._history_user = editor
        subject.save()
        if isinstance(subject, Article):
            announce([subject])  # the search index and the page cache
        else:
            transaction.on_commit(lambda: pages_stored.send(sender=Page, pages=[subject]))
    return True


def decide(correction: Correction, status: str, editor=None) -> None:
    """Record an editor's decision (a revision of the correction, with who and when)."""
    correction.status = status
    correction.decided = timezone.now()
    correction._history_user = editor
    correction.save(update_fields=["status", "decided"])


def is_stale(correction: Correction) -> bool:
    """Has the paragraph changed since the reader corrected it? (Accepted ones are not.)"""
    if correction.status == Correction.Status.ACCEPTED:
        return False
    return paragraphs.is_stale(correction.subject, correction.paragraph, correction.original)
