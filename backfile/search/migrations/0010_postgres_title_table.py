"""PostgreSQL: the headline's own words in a narrower table still, `search_title`.

A large result's first page is its headline matches ranked (see backends:
`_tier_plans`). Matched as `head`'s A weight, every article with the word
anywhere in its headline, kicker, standfirst or authors was read from
search_head to test the weight (`iraq`: 30,549 rows, 11,374 pages, for its 6,120
headlines). `search_title` holds the headline's lexemes alone (their A weight
kept), so its GIN index answers exactly and the ranking reads a table of
about 70 bytes a row, as SQLite ranks its first tier on its table of headlines
(0006). search_entry's trigger (0009) keeps it too.
"""

from django.db import migrations

KEEP = """
CREATE OR REPLACE FUNCTION search_head_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE search_head, search_title;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM search_head WHERE article_id = OLD.article_id;
        DELETE FROM search_title WHERE article_id = OLD.article_id;
    ELSE
        IF TG_OP = 'UPDATE' AND OLD.article_id <> NEW.article_id THEN
            DELETE FROM search_head WHERE article_id = OLD.article_id;
            DELETE FROM search_title WHERE article_id = OLD.article_id;
        END IF;
        INSERT INTO search_head VALUES (NEW.article_id, ts_filter(NEW.document, '{a,b,c}'))
        ON CONFLICT (article_id) DO UPDATE SET head = EXCLUDED.head;
        INSERT INTO search_title VALUES (NEW.article_id, ts_filter(NEW.document, '{a}'))
        ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title;
    END IF;
    RETURN NULL;
END $$
"""
KEEP_HEAD = """
CREATE OR REPLACE FUNCTION search_head_keep() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""
POSTGRES_FORWARD = [
    "CREATE TABLE search_title (article_id bigint PRIMARY KEY, title tsvector NOT NULL)",
    "INSERT INTO search_title SELECT article_id, ts_filter(head, '{a}') FROM search_head "
    "ORDER BY article_id",
    "CREATE INDEX search_title_title ON search_title USING GIN (title)",
    KEEP,
    "ANALYZE search_title",
]
POSTGRES_BACKWARD = [KEEP_HEAD, "DROP TABLE IF EXISTS search_title"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_postgres_head_table")]

    operations = [migrations.RunPython(forward, backward)]
