"""Replies that come in with their articles (WordPress comments), stored by the loader.

An imported reply is keyed by its source's id within the article, so a re-import
updates it rather than adding it again. Its status is set when it first comes in
and never again: a moderator's decision survives the re-import of a changed
source. Replies readers posted on the site have no key and are left alone.

New articles' replies are written in bulk (a few queries for a whole write, not
a few per reply), with their history rows, parents before their children.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from backfile.archive.models import Article
from backfile.ingest.records import ArticleRecord, ReplyRecord
from backfile.replies.models import Reply

BATCH = 500


def _content(reply: ReplyRecord) -> dict:
    return {
        "author_name": reply.author_name,
        "author_email": reply.author_email,
        "author_url": reply.author_url,
        "text": reply.text,
        "created": reply.created or timezone.now(),
    }


def _distinct(replies: list[ReplyRecord]) -> list[ReplyRecord]:
    """One reply a key (the last one read, as an upsert would leave it), in the order read;
    replies without a key are all kept."""
    last = {reply.key: reply for reply in replies if reply.key}
    return [reply for reply in replies if not reply.key or last[reply.key] is reply]


def add_replies(articles: Iterable[tuple[Article, ArticleRecord]]) -> None:
    """Store the replies of newly stored articles, generation by generation of the thread:
    a reply whose parent is not yet written waits for the next round."""
    waiting = [
        (article, reply) for article, record in articles for reply in _distinct(record.replies)
    ]
    written: dict[tuple[int, str], Reply] = {}
    keys = {(article.pk, reply.key) for article, reply in waiting if reply.key}
    while waiting:
        ready, later = [], []
        for article, reply in waiting:
            parent = (article.pk, reply.parent_key)
            if reply.parent_key and parent in keys and parent not in written:
                later.append((article, reply))
            else:
                ready.append((article, reply))
        if not ready:  # a loop of parents: the rest come in without theirs
            ready, later = later, []
        rows = [
            Reply(
                article=article,
                key=reply.key,
                status=reply.status,
                parent=written.get((article.pk, reply.parent_key)) if reply.parent_key else None,
                **_content(reply),
            )
            for article, reply in ready
        ]
        for row in bulk_create_with_history(rows, Reply, batch_size=BATCH):
            if row.key:
                written[(row.article_id, row.key)] = row
        waiting = later


def update_replies(article: Article, record: ArticleRecord) -> None:
    """Upsert an updated article's imported replies by key (one by one: updates are rare)."""
    stored: dict[str, Reply] = {}
    for reply in record.replies:
        content = {**_content(reply), "parent": None}
        stored[reply.key], _ = Reply.objects.update_or_create(
            article=article,
            key=reply.key,
            defaults=content,
            create_defaults={**content, "status": reply.status},
        )
    for reply in record.replies:
        parent = stored.get(reply.parent_key)
        if parent is not None:
            Reply.objects.filter(pk=stored[reply.key].pk).update(parent=parent)
