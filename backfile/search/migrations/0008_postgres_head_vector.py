"""PostgreSQL: the headline words (title, kicker, standfirst) and authors in a column of their own.

`head` is the A, B and C weights of `document`, kept by PostgreSQL itself (a
stored generated column, so the index writer is unchanged), with a GIN index. A
large result's first page ranks its headline matches, and `title:`/`author:`
terms are matched (see engines.PostgresBackend), from this small column stored
in the row, instead of every matching article's whole `document`, which lies out
of line in TOAST and costs a read each. SQLite has its table of headlines (0006)
for the same purpose.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_entry ADD COLUMN head tsvector "
    "GENERATED ALWAYS AS (ts_filter(document, '{a,b,c}')) STORED",
    "CREATE INDEX search_entry_head ON search_entry USING GIN (head)",
]
POSTGRES_BACKWARD = ["ALTER TABLE search_entry DROP COLUMN IF EXISTS head"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_without_facet_cells")]

    operations = [migrations.RunPython(forward, backward)]
