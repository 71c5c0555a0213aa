"""A full-text table of headlines alone (SQLite), beside the table of whole articles.

A large result is ranked headline matches first; ranking those in the whole-article
table means reading the position lists of every article holding the words, and
scoring them against whole-article lengths. This table holds each article's
title terms only (its rowid is the article id), so the first page of `workers`
at 250,000 articles ranks a few thousand short rows.
"""

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE search_headlines USING fts5("
    "title, tokenize = 'unicode61 remove_diacritics 2')"
)
FILL = "INSERT INTO search_headlines (rowid, title) SELECT rowid, title FROM search_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)
        schema_editor.execute(FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_headlines")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_fts_marked_labels")]

    operations = [migrations.RunPython(create, reverse_code=drop)]
