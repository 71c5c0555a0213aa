"""Readers' replies to articles ("Leave a Reply"), held for moderation by default."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from backfile.archive.models import Article


class Reply(models.Model):
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

    class Meta:
        ordering = ["created", "id"]
        verbose_name_plural = "replies"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=~models.Q(key=""),
                name="reply_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article}"
