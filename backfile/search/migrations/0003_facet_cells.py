"""Facets from two integer GROUP BYs: a cell per (publication, year, section), a first author.

Grouping a large result by three columns (one of them text) and expanding a JSON
list of authors per row cost more than the full-text match itself. Each entry now
carries `cell`, the id of its (publication, year, section) combination in
search_cell, and `author`, its first author's id; only the rare second and later
authors stay in a JSON list (`co_authors`, null for most articles). Done in SQL per
vendor so that SQLite keeps the rowid-keyed entry table built in 0002.
"""

from django.db import migrations, models

SQLITE = [
    "ALTER TABLE search_entry ADD COLUMN cell integer NULL",
    "ALTER TABLE search_entry ADD COLUMN author integer NULL",
    "ALTER TABLE search_entry ADD COLUMN co_authors text NULL",
    """INSERT INTO search_cell (publication_id, year, section)
       SELECT DISTINCT publication_id, year, section FROM search_entry""",
    """UPDATE search_entry SET cell = (
           SELECT c.id FROM search_cell c WHERE c.publication_id = search_entry.publication_id
           AND c.year = search_entry.year AND c.section = search_entry.section)""",
    """UPDATE search_entry SET author = json_extract(authors, '$[0]'),
           co_authors = CASE WHEN json_array_length(authors) > 1
                             THEN json_remove(authors, '$[0]') END""",
    "ALTER TABLE search_entry DROP COLUMN authors",
]
POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN cell integer NULL",
    "ALTER TABLE search_entry ADD COLUMN author bigint NULL",
    "ALTER TABLE search_entry ADD COLUMN co_authors jsonb NULL",
    """INSERT INTO search_cell (publication_id, year, section)
       SELECT DISTINCT publication_id, year, section FROM search_entry""",
    """UPDATE search_entry e SET cell = c.id FROM search_cell c
       WHERE c.publication_id = e.publication_id AND c.year = e.year AND c.section = e.section""",
    """UPDATE search_entry SET author = (authors ->> 0)::bigint,
           co_authors = CASE WHEN jsonb_array_length(authors) > 1 THEN authors - 0 END""",
    "ALTER TABLE search_entry DROP COLUMN authors",
]


def to_cells(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entry_authors_rowid"),
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchCell",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("year", models.IntegerField()),
                ("section", models.CharField(blank=True, max_length=200)),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="archive.publication",
                    ),
                ),
            ],
            options={
                "db_table": "search_cell",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("publication", "year", "section"), name="search_cell_unique"
                    )
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="searchentry", name="authors"),
                migrations.AddField(
                    model_name="searchentry",
                    name="cell",
                    field=models.IntegerField(
                        null=True, help_text="The SearchCell of its publication, year and section."
                    ),
                ),
                migrations.AddField(
                    model_name="searchentry",
                    name="author",
                    field=models.BigIntegerField(null=True, help_text="The first author's id."),
                ),
                migrations.AddField(
                    model_name="searchentry",
                    name="co_authors",
                    field=models.JSONField(
                        null=True, help_text="Ids of the second and later authors, if any."
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(to_cells, migrations.RunPython.noop)],
        ),
    ]
