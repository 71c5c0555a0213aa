"""Faster facets: each entry carries its authors' ids, and on SQLite is keyed by rowid.

Counting the author facet over a large result no longer joins archive_byline
(one index seek per matched article): the ids are in the entry itself, expanded
with json_each / jsonb_array_elements_text. On SQLite the entry table is rebuilt
with `article_id INTEGER PRIMARY KEY`, so joining a matched FTS5 rowid to its
entry is one b-tree seek instead of an index seek and a table seek.
"""

from django.db import migrations, models

SQLITE = [
    """
    CREATE TABLE search_entry_new (
        article_id integer NOT NULL PRIMARY KEY
            REFERENCES archive_article (id) DEFERRABLE INITIALLY DEFERRED,
        publication_id bigint NOT NULL
            REFERENCES archive_publication (id) DEFERRABLE INITIALLY DEFERRED,
        year integer NOT NULL,
        decade integer NOT NULL,
        sort_key integer NOT NULL,
        section varchar(200) NOT NULL,
        authors text NOT NULL DEFAULT '[]' CHECK (JSON_VALID(authors))
    )
    """,
    """
    INSERT INTO search_entry_new
        (article_id, publication_id, year, decade, sort_key, section, authors)
    SELECT e.article_id, e.publication_id, e.year, e.decade, e.sort_key, e.section,
        (SELECT json_group_array(author_id)
         FROM (SELECT author_id FROM archive_byline b
               WHERE b.article_id = e.article_id ORDER BY position))
    FROM search_entry e
    """,
    "DROP TABLE search_entry",
    "ALTER TABLE search_entry_new RENAME TO search_entry",
    "CREATE INDEX search_entry_publication ON search_entry (publication_id)",
    "CREATE INDEX search_entry_sort_key ON search_entry (sort_key)",
    "CREATE INDEX search_entry_year ON search_entry (year)",
]
POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN authors jsonb NOT NULL DEFAULT '[]'::jsonb",
    """
    UPDATE search_entry e SET authors = COALESCE(
        (SELECT jsonb_agg(b.author_id ORDER BY b.position)
         FROM archive_byline b WHERE b.article_id = e.article_id),
        '[]'::jsonb)
    """,
]


def rebuild_entries(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="authors",
                    field=models.JSONField(
                        default=list, help_text="The ids of the article's authors, in byline order."
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(rebuild_entries, migrations.RunPython.noop)],
        ),
    ]
