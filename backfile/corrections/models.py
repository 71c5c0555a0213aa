"""Readers' corrections of the text of a page or an article (Trove's model).

A reader retypes one paragraph (a text block of a page, a block of an article's body)
as it should read. The suggestion is held for an editor, like a reply; an accepted one
changes the page's or the article's text as a revision, and keeps the text it replaced
(`original`) so that both stay searchable. A correction whose paragraph no longer reads
`original` (corrected since, edited, re-ingested) is stale: it is never applied.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from backfile.archive.models import Article
from backfile.facsimiles.models import Page


class CorrectionQuerySet(models.QuerySet):
    def pending(self) -> CorrectionQuerySet:
        return self.filter(status=Correction.Status.PENDING)

    def accepted(self) -> CorrectionQuerySet:
        return self.filter(status=Correction.Status.ACCEPTED)


class Correction(models.Model):
    """One paragraph of a page's or an article's text, retyped by a reader."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    paragraph = models.PositiveIntegerField(
        help_text="Which paragraph, counted from 1 in reading order (see corrections.text)."
    )
    original = models.TextField(help_text="The paragraph as the reader saw it.")
    text = models.TextField(help_text="The paragraph as the reader says it should read.")
    note = models.TextField(blank=True, help_text="The reader's note to the editors.")
    author_name = models.CharField(max_length=200)
    author_email = models.EmailField(blank=True, help_text="Never shown to readers.")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created = models.DateTimeField()
    decided = models.DateTimeField(null=True, blank=True, help_text="When an editor decided.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    history = HistoricalRecords()

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        # Rate limits count an address's recent corrections.
        indexes = [models.Index(fields=["ip_address", "created"], name="correction_address_recent")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(page__isnull=False) & Q(article__isnull=True))
                | (Q(page__isnull=True) & Q(article__isnull=False)),
                name="correction_of_page_or_article",
                violation_error_message="A correction is of a page or of an article.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.subject}, paragraph {self.paragraph}"

    @property
    def subject(self) -> Page | Article:
        """The page or the article whose text this corrects."""
        return self.page if self.page_id else self.article

    @property
    def change_reason(self) -> str:
        """The reason the revision that applies it records: which correction, and who."""
        return f"Correction {self.pk} by {self.author_name}"[:100]
