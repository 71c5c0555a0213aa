"""The A–Z indexes' entries: kept by `receivers` from the articles and authors the archive
stores, so that the index pages read a small indexed table, never the articles' JSON.

An article's subjects (WordPress categories and tags, as `Article.subjects` holds them)
and its section label are each a `SubjectEntry` row, under the label's slug: two labels
that slugify alike share a row (and a page). A slug's letter is part of every lookup by
slug (`entries.letter_of`), so that one index serves the A–Z and each subject's page. An author's `AuthorEntry` holds the name
folded for sorting (accents and case) and the letter it is filed under.
"""

from __future__ import annotations

from django.db import models

from backfile.archive.models import Article, Author, Publication

OTHER = "0"  # the letter of entries that begin with neither a to z (digits, other scripts)
SECTION, SUBJECT = "section", "subject"  # a SubjectEntry's kinds


class SubjectEntry(models.Model):
    """One label of one article: its section (`kind` SECTION; the label may be among its
    subjects too), or one of its subjects."""

    SECTION, SUBJECT = SECTION, SUBJECT
    KINDS = [(SECTION, "Section"), (SUBJECT, "Subject")]

    # (no index of their own: the unique constraint leads with the article, the sections'
    # index with the publication, and a third would only tempt SQLite's planner away)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="index_entries", db_index=False
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, db_index=False)
    letter = models.CharField(max_length=1)
    # (text, not a boolean: Django writes `WHERE is_section` for a boolean, which
    # SQLite's planner cannot seek in an index; `kind = 'section'` it can)
    kind = models.CharField(max_length=7, choices=KINDS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "slug"], name="subject_entry_unique"),
        ]
        # Both hold the name, so that listing labels with their counts reads the index alone.
        indexes = [
            models.Index(fields=["letter", "slug", "name"], name="subject_entry_letter"),
            models.Index(
                fields=["publication", "kind", "slug", "name"], name="subject_entry_section"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuthorEntry(models.Model):
    """Where an author is filed in the A–Z: the folded name, and its letter."""

    author = models.OneToOneField(
        Author, on_delete=models.CASCADE, primary_key=True, related_name="index_entry"
    )
    key = models.CharField(max_length=300)
    letter = models.CharField(max_length=1)

    class Meta:
        indexes = [models.Index(fields=["letter", "key"], name="author_entry_letter")]

    def __str__(self) -> str:
        return self.key
