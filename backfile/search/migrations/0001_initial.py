"""The search entry table, and the full-text structures of whichever backend this is.

SQLite: an FTS5 table whose rowid is the article id. PostgreSQL: tsvector columns
on search_entry with GIN indexes, and `search_within`, the proximity test that
tsquery cannot express (its `<N>` means exactly N apart, not within N).
Both index terms already folded and stemmed in Python (backfile.search.text).
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, kicker, standfirst, authors, body, joined, section, publication,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
)
"""
SQLITE_BACKWARD = "DROP TABLE IF EXISTS search_fts"

POSTGRES_FORWARD = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE search_entry ADD COLUMN labels tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
    "CREATE INDEX search_entry_labels ON search_entry USING GIN (labels)",
    """
    CREATE FUNCTION search_within(doc tsvector, lexemes text[], span integer)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        WITH hits AS (
            SELECT u.lexeme, p
            FROM unnest(doc) AS u(lexeme, positions, weights), unnest(u.positions) AS p
            WHERE u.lexeme = ANY (lexemes)
        )
        SELECT EXISTS (
            SELECT 1 FROM hits AS first
            WHERE (SELECT count(DISTINCT h.lexeme) FROM hits AS h
                   WHERE h.p BETWEEN first.p AND first.p + span)
                = (SELECT count(DISTINCT l) FROM unnest(lexemes) AS l)
        )
    $$
    """,
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS search_within(tsvector, text[], integer)",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS labels",
]


def create_text_index(apps, schema_editor):
    statements = {"sqlite": [SQLITE_FORWARD], "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_text_index(apps, schema_editor):
    statements = {"sqlite": [SQLITE_BACKWARD], "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="archive.article",
                    ),
                ),
                ("year", models.IntegerField()),
                ("decade", models.IntegerField()),
                (
                    "sort_key",
                    models.IntegerField(help_text="yyyymmdd, with 0 for an unknown month or day."),
                ),
                ("section", models.CharField(blank=True, max_length=200)),
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
                "db_table": "search_entry",
                "indexes": [
                    models.Index(fields=["sort_key"], name="search_entry_sort_key"),
                    models.Index(fields=["year"], name="search_entry_year"),
                ],
            },
        ),
        migrations.RunPython(create_text_index, drop_text_index),
    ]
