"""The archive's generation: what the page cache and the validators (ETag) are keyed on.

Every write that can change a page bumps it (`receivers` connects the signals):
an ingest batch, an editor's save, a reply posted, approved or deleted. The bump
is an UPDATE inside the writer's own transaction, so the new generation becomes
visible to readers exactly when the new rows do (never before them, so no page
of the old rows can be cached under the new key), and a rolled-back write
bumps nothing. It lives in the database, so every server process and an ingest
run from the command line see the same generation whatever cache is configured.

It is the sum of SHARDS rows, each bumped by a random step: on PostgreSQL a writer
takes a row no other open transaction holds (`FOR UPDATE SKIP LOCKED`), so a reply
never waits for an ingest batch to commit; random steps mean a database restored
from a backup does not count up again through the numbers its pages were cached under.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backfile.caching.models import SHARDS, Generation

STEP = 1 << 24  # bumps add 1 … STEP-1

_thread = threading.local()


@dataclass(frozen=True)
class State:
    """The generation as one read saw it, and when it last changed (None: never)."""

    value: int
    changed: datetime | None


def current(using: str | None = None) -> State:
    """The generation now: one aggregate over SHARDS rows (in plain SQL: every page asks,
    and the ORM would take longer to build the query than the database to answer it)."""
    connection = connections[using or router.db_for_read(Generation)]
    table = connection.ops.quote_name(Generation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(value), MAX(changed) FROM {table}")
        value, changed = cursor.fetchone()
    if isinstance(changed, str):  # SQLite hands back the stored text
        changed = parse_datetime(changed)
    if changed is not None and timezone.is_naive(changed):
        changed = timezone.make_aware(changed, UTC)
    return State(int(value or 0), changed)


def bump(using: str | None = None) -> None:
    """Change the generation, inside the caller's transaction if there is one."""
    using = using or router.db_for_write(Generation)
    connection = connections[using]
    step = random.randrange(1, STEP)
    now = timezone.now()
    shard = _preferred_shard()
    if connection.vendor == "postgresql" and _bump_unlocked_shard(connection, shard, step, now):
        return
    rows = Generation.objects.using(using).filter(id=shard)
    if rows.update(value=F("value") + step, changed=now):
        return
    # No rows yet (a fresh or flushed database): make them all, then count this change.
    Generation.objects.using(using).bulk_create(
        [Generation(id=n, value=0, changed=now) for n in range(1, SHARDS + 1)],
        ignore_conflicts=True,
    )
    rows.update(value=F("value") + step, changed=now)


def _preferred_shard() -> int:
    """Each thread starts with its own row, so concurrent writers rarely meet."""
    shard = getattr(_thread, "shard", None)
    if shard is None:
        shard = _thread.shard = random.randrange(1, SHARDS + 1)
    return shard


def _bump_unlocked_shard(connection, shard: int, step: int, now: datetime) -> bool:
    """PostgreSQL: bump the preferred row, or any other row no open transaction holds."""
    table = connection.ops.quote_name(Generation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = value + %s, changed = %s WHERE id = ("
            f"SELECT id FROM {table} ORDER BY id = %s DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED)",
            [step, now, shard],
        )
        return cursor.rowcount > 0
