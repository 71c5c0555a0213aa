"""The page index: printed pages (`facsimiles.Page`) searchable beside articles.

`search_page_entry` holds what page results are filtered, sorted and counted by (the
issue, its publication and date). The words are kept as the articles' are:

- SQLite: `search_page_fts`, an FTS5 table whose rowid is the page id, with the page's
  current text (`text`), the text as the source gave it where a correction changed it
  (`source`), hyphenated words' joined forms (`joined`), and the publication's name as
  marked label terms (`publication`, for `publication:` only; see `text.LABEL_MARK`).
- PostgreSQL: `document` (text, then source text and joined forms, each a field apart)
  and `labels` (the publication's name, weight B as in search_labels) on
  search_page_entry itself, with GIN indexes.

Page rows are separate from the article index (search_entry and its tables), so article
search reads nothing of them.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_page_fts USING fts5(
        text, source, joined, publication,
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_page_fts"]
POSTGRES_FORWARD = [
    "ALTER TABLE search_page_entry ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE search_page_entry ADD COLUMN labels tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_page_document ON search_page_entry USING GIN (document)",
    "CREATE INDEX search_page_labels ON search_page_entry USING GIN (labels)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_page_entry DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_page_entry DROP COLUMN IF EXISTS labels",
]


def create_text_index(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_text_index(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_issue_pdf"),
        ("facsimiles", "0001_initial"),
        ("search", "0011_postgres_labels_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="facsimiles.page",
                    ),
                ),
                ("year", models.IntegerField()),
                ("decade", models.IntegerField()),
                (
                    "sort_key",
                    models.IntegerField(help_text="yyyymmdd, with 0 for an unknown month or day."),
                ),
                (
                    "fingerprint",
                    models.CharField(
                        blank=True, help_text="A hash of what the row was made from.", max_length=64
                    ),
                ),
                (
                    "issue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="archive.issue",
                    ),
                ),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="archive.publication",
                    ),
                ),
            ],
            options={
                "db_table": "search_page_entry",
                "indexes": [
                    models.Index(fields=["sort_key"], name="search_page_sort_key"),
                    models.Index(fields=["year"], name="search_page_year"),
                ],
            },
        ),
        migrations.RunPython(create_text_index, drop_text_index),
    ]
