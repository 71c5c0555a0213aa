"""PostgreSQL: the headline words (`head`, migration 0008) in a narrow table of their own.

Stored in search_entry's rows, `head` tripled that table (58 → 165 MB at 250,000
articles), and counting a common word reads every heap page of it: a GIN
bitmap on a tsvector gives row addresses only, and the server reads each page
they are on (PostgreSQL 15's bitmap scans no longer skip all-visible pages).
`search_head` holds each article's `head` (its document's A, B and C weights:
headline, kicker, standfirst, authors) with a GIN index; triggers on
search_entry keep it, so the index writer is unchanged. The table is
rewritten (CLUSTER, in article order) to give back the dropped column's space.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE search_head (article_id bigint PRIMARY KEY, head tsvector NOT NULL)",
    "INSERT INTO search_head SELECT article_id, ts_filter(document, '{a,b,c}') FROM search_entry",
    "CREATE INDEX search_head_head ON search_head USING GIN (head)",
    """
    CREATE FUNCTION search_head_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE search_head;
        ELSIF TG_OP = 'DELETE' THEN
            DELETE FROM search_head WHERE article_id = OLD.article_id;
        ELSE
            IF TG_OP = 'UPDATE' AND OLD.article_id <> NEW.article_id THEN
                DELETE FROM search_head WHERE article_id = OLD.article_id;
            END IF;
            INSERT INTO search_head VALUES (NEW.article_id, ts_filter(NEW.document, '{a,b,c}'))
            ON CONFLICT (article_id) DO UPDATE SET head = EXCLUDED.head;
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER search_head_keep AFTER INSERT OR UPDATE OR DELETE ON search_entry "
    "FOR EACH ROW EXECUTE FUNCTION search_head_keep()",
    "CREATE TRIGGER search_head_clear AFTER TRUNCATE ON search_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_head_keep()",
    "ALTER TABLE search_entry DROP COLUMN head",
    "CLUSTER search_entry USING search_entry_pkey",
    "ANALYZE search_entry",
    "ANALYZE search_head",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_head_clear ON search_entry",
    "DROP TRIGGER IF EXISTS search_head_keep ON search_entry",
    "DROP FUNCTION IF EXISTS search_head_keep()",
    "DROP TABLE IF EXISTS search_head",
    "ALTER TABLE search_entry ADD COLUMN head tsvector "
    "GENERATED ALWAYS AS (ts_filter(document, '{a,b,c}')) STORED",
    "CREATE INDEX search_entry_head ON search_entry USING GIN (head)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgres_head_vector")]

    operations = [migrations.RunPython(forward, backward)]
