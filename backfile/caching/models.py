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


# Pages under one publication's address (its issues and articles) show that publication's
# rows and the shared ones (publications' names, authors, reviewed works), and are keyed on
# the "publication:<id>" and "shared" scopes alone, so an ingest into one publication or a
# reply approved there leaves every other publication's pages in the cache.
SCOPE_SHARDS = 4
SHARED = "shared"


class ScopedGeneration(models.Model):
    scope = models.CharField(max_length=40)  # "shared" or "publication:<id>"
    shard = models.PositiveSmallIntegerField()
    value = models.BigIntegerField(default=0)
    changed = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "shard"], name="scoped_generation_unique")
        ]

    def __str__(self) -> str:
        return f"generation of {self.scope}, shard {self.shard}: {self.value}"
