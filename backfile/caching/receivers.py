"""Bump the generation on every write a page can show (see `generation` for scopes).

- post_save / post_delete of the rows pages show: publications, issues, articles,
  authors (and their spellings), reviewed works. Bylines and reviews are not listened
  to (that would cost their fast bulk deletes): whoever changes them announces the
  articles. A publication, issue or article added, or an issue or article deleted,
  changes its publication's pages only; a new author, spelling or reviewed work, the
  archive's pages only (until an article shows it, which announces itself); any other
  change (an editor's correction, which may move or rename a row) is shared.
- Replies: only a change readers can see. Pages show approved replies alone, so a
  reply posted for moderation (or marked spam) changes no page and bumps nothing; its
  approval does, and so does any change to, or deletion of, an approved reply.
- The authority file's entries and aliases (their pages, the mentions they name) as
  authors are.
- `articles_changed`: what the loader sends for each batch it stores (its bulk
  inserts send no post_save) and the editors' desk for each correction.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from backfile.archive.models import Article, Author, AuthorAlias, Issue, Publication, ReviewedWork
from backfile.archive.signals import articles_changed
from backfile.authority.models import Alias, Entry
from backfile.caching.generation import bump, start_scope
from backfile.replies.models import Reply

# (publications: `publication_saved`)
SHARED_ROWS = (Author, AuthorAlias, ReviewedWork, Entry, Alias)
PUBLICATION_ROWS = (Issue, Article)


def row_changed(sender, using: str | None = None, created: bool = False, **kwargs) -> None:
    """An author, a spelling or a reviewed work: a new one is on no page yet but the
    archive's (its author page); a changed or deleted one may be on any."""
    bump(using, publications=() if created else None)


def publication_saved(sender, instance: Publication, created: bool, using=None, **kwargs) -> None:
    """A new publication shows on pages of its own and on the archive's (the home page);
    a renamed one everywhere its name is shown."""
    if created:
        start_scope(instance.pk, using)
        bump(using, publications=[instance.pk])
    else:
        bump(using)


def publication_row_saved(sender, instance, created: bool, using=None, **kwargs) -> None:
    bump(using, publications=[instance.publication_id] if created else None)


def publication_row_deleted(sender, instance, using: str | None = None, **kwargs) -> None:
    bump(using, publications=[instance.publication_id])


def announced(sender, articles=(), **kwargs) -> None:
    bump(publications={article.publication_id for article in articles})


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
        bump(using, publications=[instance.article.publication_id])


def reply_deleted(sender, instance: Reply, using: str | None = None, **kwargs) -> None:
    if shown(instance):
        bump(using, publications=[instance.article.publication_id])


for model in SHARED_ROWS:
    post_save.connect(row_changed, sender=model, dispatch_uid=f"caching.saved.{model.__name__}")
    post_delete.connect(row_changed, sender=model, dispatch_uid=f"caching.deleted.{model.__name__}")
post_save.connect(publication_saved, sender=Publication, dispatch_uid="caching.saved.Publication")
post_delete.connect(row_changed, sender=Publication, dispatch_uid="caching.deleted.Publication")
for model in PUBLICATION_ROWS:
    name = model.__name__
    post_save.connect(publication_row_saved, sender=model, dispatch_uid=f"caching.saved.{name}")
    post_delete.connect(
        publication_row_deleted, sender=model, dispatch_uid=f"caching.deleted.{name}"
    )
pre_save.connect(reply_saving, sender=Reply, dispatch_uid="caching.saving.Reply")
post_save.connect(reply_saved, sender=Reply, dispatch_uid="caching.saved.Reply")
post_delete.connect(reply_deleted, sender=Reply, dispatch_uid="caching.deleted.Reply")
articles_changed.connect(announced, dispatch_uid="caching.articles_changed")
