"""The archive's generation: SHARDS rows whose sum changes with every write a page can show."""

from __future__ import annotations

from django.db import models

# Writers bump one row each; on PostgreSQL a writer skips rows other open transactions
# hold, so concurrent writers (an ingest batch, a reply) never wait for each other here.
SHARDS = 16


class Generation(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)
    changed = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"generation shard {self.id}: {self.value}"
