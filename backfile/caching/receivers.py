"""Bump the generation on every write a page can show.

- post_save / post_delete of the rows pages show: publications, issues, articles,
  authors (and their spellings), reviewed works, replies (a reply posted, approved,
  marked spam or deleted). Bylines and reviews are not listened to (that would cost
  their fast bulk deletes): whoever changes them announces the articles.
- `articles_changed`: what the loader sends for each batch it stores (its bulk
  inserts send no post_save) and the editors' desk for each correction.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from backfile.archive.models import Article, Author, AuthorAlias, Issue, Publication, ReviewedWork
from backfile.archive.signals import articles_changed
from backfile.caching.generation import bump
from backfile.replies.models import Reply

SHOWN = (Publication, Issue, Article, Author, AuthorAlias, ReviewedWork, Reply)


def row_changed(sender, using: str | None = None, **kwargs) -> None:
    bump(using)


def announced(sender, **kwargs) -> None:
    bump()


for model in SHOWN:
    post_save.connect(row_changed, sender=model, dispatch_uid=f"caching.saved.{model.__name__}")
    post_delete.connect(row_changed, sender=model, dispatch_uid=f"caching.deleted.{model.__name__}")
articles_changed.connect(announced, dispatch_uid="caching.articles_changed")
