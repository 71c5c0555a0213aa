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

Scopes narrow it for the pages under one publication's address (`current(publication=…)`):
they show that publication's rows and the shared ones (publication names, authors,
reviewed works), so they are keyed on the generations of the "publication:<id>" and
"shared" scopes (ScopedGeneration, SCOPE_SHARDS rows each). Every write bumps the archive's
generation and one scope: its publication's where it touches one publication's rows
alone (`bump(publications=…)`), else the shared one, which every scoped page includes.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backfile.archive.models import Publication
from backfile.caching.models import SCOPE_SHARDS, SHARDS, SHARED, Generation, ScopedGeneration

STEP = 1 << 24  # bumps add 1 … STEP-1

_thread = threading.local()


@dataclass(frozen=True)
class State:
    """The generation as one read saw it, and when it last changed (None: never)."""

    value: int
    changed: datetime | None


def current(using: str | None = None, publication: str | None = None) -> State:
    """The generation now: one aggregate over a few rows (in plain SQL: every page asks, and
    the ORM would take longer to build the query than the database to answer it). With
    `publication` (a slug), the generation of that publication's pages: its scope's and
    the shared scope's."""
    connection = connections[using or router.db_for_read(Generation)]
    with connection.cursor() as cursor:
        if publication is None:
            table = connection.ops.quote_name(Generation._meta.db_table)
            cursor.execute(f"SELECT SUM(value), MAX(changed) FROM {table}")
        else:
            table = connection.ops.quote_name(ScopedGeneration._meta.db_table)
            publications = connection.ops.quote_name(Publication._meta.db_table)
            cursor.execute(
                f"SELECT SUM(value), MAX(changed) FROM {table} WHERE scope = %s OR scope = "
                f"'publication:' || CAST((SELECT id FROM {publications} WHERE slug = %s) AS TEXT)",
                [SHARED, publication],
            )
        value, changed = cursor.fetchone()
    if isinstance(changed, str):  # SQLite hands back the stored text
        changed = parse_datetime(changed)
    if changed is not None and timezone.is_naive(changed):
        changed = timezone.make_aware(changed, UTC)
    return State(int(value or 0), changed)


def bump(using: str | None = None, publications: Iterable[int] | None = None) -> None:
    """Change the archive's generation, inside the caller's transaction if there is one,
    and a scope's: each of `publications` (ids) if the write touched their rows alone,
    else the shared one."""
    using = using or router.db_for_write(Generation)
    now = timezone.now()
    _bump_archive(using, now)
    scopes = (
        [SHARED] if publications is None else sorted({f"publication:{p}" for p in publications})
    )
    for scope in scopes:
        _bump_scope(using, scope, now)


def _bump_archive(using: str, now: datetime) -> None:
    connection = connections[using]
    step = random.randrange(1, STEP)
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


def start_scope(publication_id: int, using: str | None = None) -> None:
    """Make a new publication's scope rows in the transaction that makes the publication,
    so no two writers ever race to make them (on PostgreSQL the second would wait on the
    first's uncommitted row, and could deadlock with it)."""
    _make_scope_rows(using or router.db_for_write(Generation), f"publication:{publication_id}")


def _make_scope_rows(using: str, scope: str) -> None:
    ScopedGeneration.objects.using(using).bulk_create(
        [
            ScopedGeneration(scope=scope, shard=n, value=0, changed=timezone.now())
            for n in range(1, SCOPE_SHARDS + 1)
        ],
        ignore_conflicts=True,
    )


def _bump_scope(using: str, scope: str, now: datetime) -> None:
    """Bump one of the scope's rows: on PostgreSQL one no open transaction holds (as for
    the archive's); else, or where the scope has no rows yet, the thread's own, made if
    missing."""
    connection = connections[using]
    table = connection.ops.quote_name(ScopedGeneration._meta.db_table)
    step = random.randrange(1, STEP)
    shard = _preferred_shard() % SCOPE_SHARDS + 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET value = value + %s, changed = %s WHERE id = (SELECT id "
                f"FROM {table} WHERE scope = %s ORDER BY shard = %s DESC, shard LIMIT 1 "
                "FOR UPDATE SKIP LOCKED)",
                [step, now, scope, shard],
            )
            if cursor.rowcount:
                return
            # Every row the scope has is held by open transactions (or it has none): make a
            # shard it lacks. Only a shard no row has: an insert that meets a row another
            # transaction has written waits for it, DO NOTHING or not. (A plain read waits
            # for no one.)
            cursor.execute(f"SELECT shard FROM {table} WHERE scope = %s", [scope])
            have = {row[0] for row in cursor.fetchall()}
            for missing in sorted(set(range(1, SCOPE_SHARDS + 1)) - have, key=lambda n: n != shard):
                cursor.execute(
                    f"INSERT INTO {table} (scope, shard, value, changed) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (scope, shard) DO NOTHING",
                    [scope, missing, step, now],
                )
                if cursor.rowcount:
                    return
        cursor.execute(
            f"INSERT INTO {table} (scope, shard, value, changed) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (scope, shard) DO UPDATE SET value = {table}.value + excluded.value, "
            "changed = excluded.changed",
            [scope, shard, step, now],
        )


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
