"""Bump the generation on every write a page can show.

- post_save / post_delete of the rows pages show: publications, issues, articles,
  authors (and their spellings), reviewed works. Bylines and reviews are not listened
  to (that would cost their fast bulk deletes): whoever changes them announces the
  articles.
- Replies: only a change readers can see. Pages show approved replies alone, so a
  reply posted for moderation (or marked spam) changes no page and bumps nothing; its
  approval does, and so does any change to, or deletion of, an approved reply.
- `articles_changed`: what the loader sends for each batch it stores (its bulk
  inserts send no post_save) and the editors' desk for each correction.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from backfile.archive.models import Article, Author, AuthorAlias, Issue, Publication, ReviewedWork
from backfile.archive.signals import articles_changed
from backfile.caching.generation import bump
from backfile.replies.models import Reply

SHOWN = (Publication, Issue, Article, Author, AuthorAlias, ReviewedWork)


def row_changed(sender, using: str | None = None, **kwargs) -> None:
    bump(using)


def announced(sender, **kwargs) -> None:
    bump()


def shown(reply: Reply) -> bool:
    return reply.status == Reply.Status.APPROVED


def reply_saving(sender, instance: Reply, using: str | None = None, **kwargs) -> None:
    """Before an existing reply is saved: was it on the page? (One query, moderators' saves.)"""
    instance._was_shown = (
        instance.pk is not None
        and Reply.objects.using(using).filter(pk=instance.pk, status=Reply.Status.APPROVED).exists()
    )


def reply_saved(sender, instance: Reply, using: str | None = None, **kwargs) -> None:
    if shown(instance) or getattr(instance, "_was_shown", False):
        bump(using)


def reply_deleted(sender, instance: Reply, using: str | None = None, **kwargs) -> None:
    if shown(instance):
        bump(using)


for model in SHOWN:
    post_save.connect(row_changed, sender=model, dispatch_uid=f"caching.saved.{model.__name__}")
    post_delete.connect(row_changed, sender=model, dispatch_uid=f"caching.deleted.{model.__name__}")
pre_save.connect(reply_saving, sender=Reply, dispatch_uid="caching.saving.Reply")
post_save.connect(reply_saved, sender=Reply, dispatch_uid="caching.saved.Reply")
post_delete.connect(reply_deleted, sender=Reply, dispatch_uid="caching.deleted.Reply")
articles_changed.connect(announced, dispatch_uid="caching.articles_changed")
