"""Keep the indexes' entries in step with what the archive stores.

The loader and the editors' desk announce what they wrote with `articles_changed`,
inside the transaction that wrote it: the entries of those articles (and of their
authors) are rewritten there and then. An author saved on their own (renamed at the
desk) is refiled; deletes cascade.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver

from backfile.archive.models import Article, Author, Byline
from backfile.archive.signals import articles_changed
from backfile.database import MAX_PARAMETERS, delete_where_in, insert_values
from backfile.indexes.entries import (
    AUTHOR_COLUMNS,
    SUBJECT_COLUMNS,
    author_rows,
    author_values,
    store_author_rows,
    subject_values,
)
from backfile.indexes.models import AuthorEntry, SubjectEntry

# what an article's subject entries are made of, as the article holds them
FILED_FIELDS = ("publication_id", "section", "subjects")


def refile_articles(ids: list[int], written: list[Article] = ()) -> None:
    """Rewrite the subject entries of these articles and file their authors, in a handful of
    plain statements whatever the number of articles (the ORM's query building and model
    instances cost more than the database's work). The articles `written` (instances as
    the sender wrote them) are filed from the fields they hold; the rest are read back."""
    held = {article.pk: article for article in written if _holds_what_is_filed(article)}
    stored = [
        (pk, article.publication_id, article.section, article.subjects)
        for pk, article in held.items()
    ]
    if unread := [pk for pk in ids if pk not in held]:
        stored += Article.objects.filter(pk__in=unread).values_list(*["pk", *FILED_FIELDS])
    stored.sort(key=lambda row: row[0])
    delete_where_in(SubjectEntry, "article_id", ids)
    insert_values(SubjectEntry, SUBJECT_COLUMNS, subject_values(stored))
    authors = _authors_of(ids)
    filed = {pk: key for pk, _, key in authors}
    rows = author_values(sorted({(pk, name) for pk, name, _ in authors}))
    changed = [row for row in rows if filed.get(row[0]) != row[1]]
    if changed:  # (most of a batch's writers are filed already)
        insert_values(AuthorEntry, AUTHOR_COLUMNS, changed, conflict="author_id")


def _authors_of(ids: list[int]) -> list[tuple[int, str, str | None]]:
    """(id, name, key filed under or None) of the authors with a byline in these articles."""
    authors = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), MAX_PARAMETERS):
            chunk = ids[start : start + MAX_PARAMETERS]
            cursor.execute(
                f"SELECT DISTINCT a.id, a.name, e.key FROM {Author._meta.db_table} a "
                f"JOIN {Byline._meta.db_table} b ON b.author_id = a.id "
                f"LEFT JOIN {AuthorEntry._meta.db_table} e ON e.author_id = a.id "
                f"WHERE b.article_id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            authors += cursor.fetchall()
    return authors


def _holds_what_is_filed(article: Article) -> bool:
    """Does this instance hold its filed fields as they are stored: loaded, and its subjects
    plain (no JSON column gives back anything else: a tuple comes back a list)?"""
    fields = article.__dict__
    if not all(name in fields for name in FILED_FIELDS):
        return False
    subjects = fields["subjects"]
    return subjects is None or (
        type(subjects) is list and all(type(subject) is str for subject in subjects)
    )


@receiver(articles_changed, dispatch_uid="indexes.refile_changed_articles")
def refile_changed_articles(sender, articles: list[Article] = (), **kwargs) -> None:
    written = [article for article in articles if article.pk is not None]
    if written:
        refile_articles(list(dict.fromkeys(article.pk for article in written)), written)


@receiver(post_save, sender=Author, dispatch_uid="indexes.refile_saved_author")
def refile_saved_author(sender, instance: Author, raw: bool = False, **kwargs) -> None:
    if not raw:
        store_author_rows(AuthorEntry, author_rows(AuthorEntry, [(instance.pk, instance.name)]))
