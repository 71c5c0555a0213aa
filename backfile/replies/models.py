"""Readers' replies to articles ("Leave a Reply"), held for moderation by default."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Count
from simple_history.models import HistoricalRecords

from backfile.archive.models import Article


class ReplyQuerySet(models.QuerySet):
    def approved(self) -> ReplyQuerySet:
        """The replies readers may see: spam and pending replies never are."""
        return self.filter(status=Reply.Status.APPROVED)


class Reply(models.Model):
    """A reader's reply to an article; the email is for the editors only."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    key = models.CharField(
        max_length=200, blank=True, help_text="The source's id for an imported reply."
    )
    author_name = models.CharField(max_length=200)
    author_email = models.EmailField(blank=True, help_text="Never shown to readers.")
    author_url = models.URLField(max_length=500, blank=True)
    text = models.TextField(help_text="Stored as written; rendered escaped and sanitised.")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name_plural = "replies"
        # Rate limits count an address's recent replies.
        indexes = [models.Index(fields=["ip_address", "created"], name="reply_address_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=~models.Q(key=""),
                name="reply_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article}"

    @property
    def anchor(self) -> str:
        """The reply's id on the article page: permalinks are `#reply-N`."""
        return f"reply-{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"


def approved_reply_counts(article_ids: Iterable[int]) -> dict[int, int]:
    """Approved replies per article, in one query, for listings (absent ids have none)."""
    ids = article_ids if isinstance(article_ids, models.QuerySet) else list(article_ids)
    rows = (
        Reply.objects.approved()
        .filter(article_id__in=ids)
        .values("article_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["article_id"]: row["count"] for row in rows}
