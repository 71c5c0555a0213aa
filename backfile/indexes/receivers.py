"""Keep the indexes' entries in step with what the archive stores.

The loader and the editors' desk announce what they wrote with `articles_changed`,
inside the transaction that wrote it: the entries of those articles (and of their
authors) are rewritten there and then. An author saved on their own (renamed at the
desk) is refiled; deletes cascade.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from backfile.archive.models import Article, Author
from backfile.archive.signals import articles_changed
from backfile.indexes.entries import author_rows, store_author_rows, subject_rows
from backfile.indexes.models import AuthorEntry, SubjectEntry


def refile_articles(ids: list[int]) -> None:
    """Rewrite the subject entries of these articles (read back as stored) and file their
    authors: four statements whatever the number of articles."""
    stored = Article.objects.filter(pk__in=ids).values_list(
        "pk", "publication_id", "section", "subjects"
    )
    SubjectEntry.objects.filter(article_id__in=ids).delete()
    SubjectEntry.objects.bulk_create(subject_rows(SubjectEntry, stored))
    authors = Author.objects.filter(bylines__article_id__in=ids).values_list(
        "pk", "name", "index_entry__key"
    )
    rows = author_rows(AuthorEntry, {(pk, name) for pk, name, _ in authors})
    filed = {pk: key for pk, _, key in authors}
    changed = [row for row in rows if filed.get(row.author_id) != row.key]
    if changed:  # (most of a batch's writers are filed already)
        store_author_rows(AuthorEntry, changed)


@receiver(articles_changed, dispatch_uid="indexes.refile_changed_articles")
def refile_changed_articles(sender, articles: list[Article] = (), **kwargs) -> None:
    ids = [article.pk for article in articles if article.pk is not None]
    if ids:
        refile_articles(ids)


@receiver(post_save, sender=Author, dispatch_uid="indexes.refile_saved_author")
def refile_saved_author(sender, instance: Author, raw: bool = False, **kwargs) -> None:
    if not raw:
        store_author_rows(AuthorEntry, author_rows(AuthorEntry, [(instance.pk, instance.name)]))
