"""Revisions of the link models: a byline and a review link (an article's tie to a work it
reviews) are kept in history like the article, issue, author and work they join.

Their historical tables belong to this app (`register(…, app=…)`), so the archive's own
models and migrations are untouched.
"""

from django.dispatch import receiver
from simple_history import register
from simple_history.signals import pre_create_historical_record

from backfile.archive.models import Byline, Review

INGEST_REASON = "ingest"

register(Byline, app="backfile.editing", table_name="editing_historicalbyline")
register(Review, app="backfile.editing", table_name="editing_historicalreview")


@receiver(pre_create_historical_record)
def ingest_reason(sender, history_instance, history_user=None, **kwargs) -> None:
    """A revision made with no editor signed in is an ingest's (or a command's): say so."""
    if history_user is None and not history_instance.history_change_reason:
        history_instance.history_change_reason = INGEST_REASON
