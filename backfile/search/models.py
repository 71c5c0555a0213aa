"""The search entry: what search filters, sorts and counts facets by, one row per article.

Facets count entries by publication, year, section and first `author` (co-authors
from a JSON list on the few entries that have them).
The words themselves live beside it in the backend's own structure (an FTS5 table
on SQLite, tsvector columns on this table on PostgreSQL; see the migration).
"""

from __future__ import annotations

from django.db import models

from backfile.archive.models import Article, Publication


class SearchEntry(models.Model):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField()
    decade = models.IntegerField()
    sort_key = models.IntegerField(help_text="yyyymmdd, with 0 for an unknown month or day.")
    section = models.CharField(max_length=200, blank=True)
    author = models.BigIntegerField(null=True, help_text="The first author's id.")
    co_authors = models.JSONField(
        null=True, help_text="Ids of the second and later authors, if any."
    )

    class Meta:
        db_table = "search_entry"
        indexes = [
            models.Index(fields=["sort_key"], name="search_entry_sort_key"),
            models.Index(fields=["year"], name="search_entry_year"),
        ]


class PageEntry(models.Model):
    """A printed page as search filters, sorts and counts it, one row per page (`facsimiles.Page`).

    Its words, the page's current text and the text as the source gave it, live beside it
    as the articles' do: an FTS5 table (`search_page_fts`) on SQLite, tsvector columns on
    this table on PostgreSQL (migration 0012).
    """

    page = models.OneToOneField(
        "facsimiles.Page", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    issue = models.ForeignKey("archive.Issue", on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField()
    decade = models.IntegerField()
    sort_key = models.IntegerField(help_text="yyyymmdd, with 0 for an unknown month or day.")
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="A hash of what the row was made from."
    )

    class Meta:
        db_table = "search_page_entry"
        indexes = [
            models.Index(fields=["sort_key"], name="search_page_sort_key"),
            models.Index(fields=["year"], name="search_page_year"),
        ]
