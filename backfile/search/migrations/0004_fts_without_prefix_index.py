"""The FTS5 table without its prefix indexes (`prefix = '2 3'`).

They doubled the cost of every insert into the table, the largest single cost
of an ingest, to speed up only prefixes of two or three letters; the query
parser now asks for at least three letters before a `*`, and longer prefixes
never used them. SQLite only: the table is rebuilt with its rows copied over.
"""

from django.db import migrations

COLUMNS = "title, kicker, standfirst, authors, body, joined, section, publication"


def table(name: str, options: str) -> str:
    return f"CREATE VIRTUAL TABLE {name} USING fts5({COLUMNS}, {options})"


def rebuild(options: str):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for sql in (
            table("search_fts_rebuilt", options),
            f"INSERT INTO search_fts_rebuilt (rowid, {COLUMNS}) "
            f"SELECT rowid, {COLUMNS} FROM search_fts",
            "DROP TABLE search_fts",
            "ALTER TABLE search_fts_rebuilt RENAME TO search_fts",
        ):
            schema_editor.execute(sql)

    return operation


TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_cells")]

    operations = [
        migrations.RunPython(
            rebuild(TOKENIZER), reverse_code=rebuild(f"{TOKENIZER}, prefix = '2 3'")
        ),
    ]
