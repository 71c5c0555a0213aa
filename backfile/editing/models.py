"""Revisions of the link models: a byline and a review link (an article's tie to a work it
reviews) are kept in history like the article, issue, author and work they join.

Their historical tables belong to this app (`register(…, app=…)`), so the archive's own
models and migrations are untouched. Only the desk's changes are recorded (`DeskHistory`).
"""

from django.dispatch import receiver
from simple_history import register
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from backfile.archive.models import Byline, Review

INGEST_REASON = "ingest"


class DeskHistory(HistoricalRecords):
    """History kept of the desk's changes only: outside a request (an ingest writing an
    article's bylines and review links by the thousand) nothing is recorded, as the loader
    records no revision of the articles and issues it writes. The first correction at the
    desk records the link as ingested (`editing.desk.keep_ingested_version`)."""

    def post_save(self, instance, created, using=None, **kwargs):
        if getattr(HistoricalRecords.context, "request", None) is not None:
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if getattr(HistoricalRecords.context, "request", None) is not None:
            super().post_delete(instance, using=using, **kwargs)


for model in (Byline, Review):
    register(
        model,
        app="backfile.editing",
        records_class=DeskHistory,
        table_name=f"editing_historical{model._meta.model_name}",
    )


@receiver(pre_create_historical_record)
def ingest_reason(sender, history_instance, history_user=None, **kwargs) -> None:
    """A revision made with no editor signed in is an ingest's (or a command's): say so."""
    if history_user is None and not history_instance.history_change_reason:
        history_instance.history_change_reason = INGEST_REASON
