"""Pictures: each file stored once, named by the SHA-256 of its bytes.

An article's figure blocks name their pictures by that hash (see
`backfile.ingest.records.AssetUse`), so the same photograph used by ten articles
is one Asset with one set of display sizes. The bytes live in the media storage
(`backfile.media.storage`): the original as it came, and the display sizes made
at ingest (`derivatives`, widest first), under names that never change meaning.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from backfile.media.images import FORMATS, THUMBNAIL_WIDTH


class Asset(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    media_type = models.CharField(max_length=100, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes of the original")
    filename = models.CharField(
        max_length=1000, blank=True, help_text="The file's name or path in its source"
    )
    source_url = models.URLField(max_length=2000, blank=True)
    alt = models.TextField(
        "alt text", blank=True, help_text="What the picture shows, for readers who cannot see it"
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=500, blank=True)
    original = models.CharField(
        max_length=300, blank=True, help_text="The original's name in the media storage"
    )
    # [{"width": 640, "height": 427, "format": "webp", "name": "pictures/ab/…-640.v1.webp"}, …]
    derivatives = models.JSONField(default=list, blank=True)
    problem = models.TextField(
        blank=True, help_text="Why no display size could be made (a damaged or unknown file)"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["derivatives", "original", "created"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename or self.source_url or self.sha256[:12]

    def sizes(self, format: str) -> list[dict]:
        return [d for d in self.derivatives if d["format"] == format]

    @property
    def ready(self) -> bool:
        """It has display sizes to show."""
        return bool(self.derivatives)

    @property
    def thumbnail(self) -> dict | None:
        fallback = FORMATS[-1][0]
        small = [d for d in self.sizes(fallback) if d["width"] <= THUMBNAIL_WIDTH]
        return small[0] if small else (self.sizes(fallback) or [None])[-1]
