"""What harvesters must be told that the archive no longer shows: deleted records.

OAI-PMH's `deletedRecord` is `persistent`: an article deleted (or merged into another) keeps
its identifier as a tombstone, so a harvester that took it learns it is gone rather than
keeping it for ever. The tombstone holds what a deleted record's header says: the identifier
(the article's pk), when it went, and the sets it was in.
"""

from __future__ import annotations

from django.db import models


class Tombstone(models.Model):
    """An article that is gone, by the pk it had (its OAI identifier's number)."""

    article_id = models.BigIntegerField(primary_key=True)
    deleted = models.DateTimeField(db_index=True, help_text="The deleted record's datestamp.")
    publication_slug = models.SlugField(max_length=300)
    section_slug = models.SlugField(max_length=300, blank=True)
    title = models.CharField(max_length=1000, blank=True, help_text="For the desk, not harvesters")
    merged_into = models.BigIntegerField(
        null=True, blank=True, help_text="The article that took its place, if it was merged."
    )

    class Meta:
        ordering = ["article_id"]

    def __str__(self) -> str:
        return f"Deleted article {self.article_id}: {self.title}"
