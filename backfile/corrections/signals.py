"""Pages show corrections' status ("1 correction awaiting review"): any change to a
correction changes the pages of its publication in the page cache (backfile.caching)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from backfile.caching.generation import bump
from backfile.corrections.models import Correction


def publication_of(correction: Correction) -> int:
    if correction.page_id:
        return correction.page.issue.publication_id
    return correction.article.publication_id


def correction_changed(sender, instance: Correction, using: str | None = None, **kwargs) -> None:
    bump(using, publications=[publication_of(instance)])


post_save.connect(correction_changed, sender=Correction, dispatch_uid="corrections.saved")
post_delete.connect(correction_changed, sender=Correction, dispatch_uid="corrections.deleted")
