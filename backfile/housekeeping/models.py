"""The permanent redirect table: an address that once showed a page and now shows none
answers 301 to where the page went (see `redirects`)."""

from __future__ import annotations

from django.db import models


class Redirect(models.Model):
    old_path = models.CharField(max_length=1000, unique=True)
    new_path = models.CharField(max_length=1000)
    created = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"
