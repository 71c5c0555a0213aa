"""Section and publication terms marked in the FTS5 table (`book` → `zz9book`).

Plain words were kept out of those columns by a column filter on every search,
which makes FTS5 read the position lists of every row holding the word: for a
word in a publication's name (`worker` in *Socialist Worker*), every row. With
the labels' terms marked, a plain word cannot match them and needs no filter;
`section:`/`publication:` search for the marked terms. SQLite only: the rows are
rewritten in place of the table (PostgreSQL keeps labels in a vector of their own).
"""

from django.db import migrations

TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
COLUMNS = "title, kicker, standfirst, authors, body, joined, section, publication"
MARK = "zz9"


def marked(column: str) -> str:
    return f"CASE WHEN {column} = '' THEN '' ELSE '{MARK}' || replace({column}, ' ', ' {MARK}') END"


def unmarked(column: str) -> str:
    return f"replace({column}, '{MARK}', '')"


def rewrite(label_sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        texts = "title, kicker, standfirst, authors, body, joined"
        for sql in (
            f"CREATE VIRTUAL TABLE search_fts_rewritten USING fts5({COLUMNS}, {TOKENIZER})",
            f"INSERT INTO search_fts_rewritten (rowid, {COLUMNS}) "
            f"SELECT rowid, {texts}, {label_sql('section')}, {label_sql('publication')} "
            "FROM search_fts",
            "DROP TABLE search_fts",
            "ALTER TABLE search_fts_rewritten RENAME TO search_fts",
        ):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fts_without_prefix_index")]

    operations = [migrations.RunPython(rewrite(marked), reverse_code=rewrite(unmarked))]
