"""The archive's generation: changed by every write a page shows, atomically with it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from backfile.caching.generation import bump, current
from backfile.caching.models import Generation, ScopedGeneration
from backfile.replies.models import Reply
from tests.replies.helpers import stored_article, stored_reply


@pytest.mark.django_db
def test_a_write_that_is_rolled_back_leaves_the_generation_as_it_was():
    article = stored_article()
    before = current().value
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never saved"
        article.save()
        assert current().value != before  # the writer's own transaction sees its change
        raise RuntimeError("the editor's save fails")
    assert current().value == before


@pytest.mark.django_db
def test_each_kind_of_change_moves_the_generation():
    article = stored_article()
    seen = {current().value}

    def changed() -> bool:
        value = current().value
        fresh = value not in seen
        seen.add(value)
        return fresh

    reply = stored_reply(article, status=Reply.Status.PENDING)
    assert not changed(), "a reply held for moderation changes no page"
    reply.text = "Corrected while held."
    reply.save()
    assert not changed(), "nor does a moderator's change to it"
    reply.status = Reply.Status.APPROVED
    reply.save()
    assert changed(), "a reply approved"
    reply.text = "Corrected once shown."
    reply.save()
    assert changed(), "an approved reply corrected"
    reply.status = Reply.Status.SPAM
    reply.save()
    assert changed(), "an approved reply taken down"
    reply.status = Reply.Status.APPROVED
    reply.save()
    assert changed(), "and approved again"
    reply.delete()
    assert changed(), "an approved reply deleted"
    held = stored_reply(article, status=Reply.Status.PENDING)
    held.delete()
    assert not changed(), "a held reply deleted"
    article.issue.title = "Spring Number"
    article.issue.save()
    assert changed(), "an issue corrected"
    stored_article(key="bus-fares", title="Bus Fares Up Again")
    assert changed(), "an ingest batch (bulk inserts, announced with articles_changed)"


@pytest.mark.django_db
def test_a_database_without_generation_rows_starts_them():
    Generation.objects.all().delete()
    assert current().value == 0 and current().changed is None
    bump()
    assert current().value > 0 and current().changed is not None


@pytest.mark.parametrize("rows", ["as migrated", "flushed"])
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_writer_never_waits_for_another_writers_open_transaction(rows):
    """An ingest batch holds its generation row until it commits; a reply posted meanwhile
    bumps another row instead of waiting (lock_timeout makes any wait an error), also
    where a scope has only the row the other transaction holds (a flushed database: the
    suite's own state after a transactional test)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; this runs in the PostgreSQL pass")
    if rows == "flushed":
        ScopedGeneration.objects.all().delete()
        Generation.objects.all().delete()
    bump()  # rows exist
    holding, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def long_writer() -> None:
        try:
            with transaction.atomic():
                bump()
                holding.set()
                done.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=long_writer)
    writer.start()
    try:
        assert holding.wait(30)
        for _ in range(20):  # every shard the other transaction does not hold
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '2s'")
                    bump()
            except Exception as failure:  # noqa: BLE001
                failures.append(failure)
    finally:
        done.set()
        writer.join()
    assert failures == []
