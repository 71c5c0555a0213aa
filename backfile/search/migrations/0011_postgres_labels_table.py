"""PostgreSQL: the section and publication words (`labels`) in a narrow table of their own.

Counting a common word reads every heap page of search_entry that holds a match
(a GIN bitmap gives row addresses only; see 0009). `labels` was a third of each
row's width there (about 75 of 235 bytes at 250,000 articles) and is read only
by `section:` and `publication:` terms. `search_labels` holds it with its GIN
index; the index writer fills it beside search_entry, and search_entry's
trigger (0009, 0010) deletes and truncates it with its rows. The table is
rewritten (CLUSTER, in article order) to give back the dropped column's space.
"""

from django.db import migrations

KEEP = """
CREATE OR REPLACE FUNCTION search_head_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE search_head, search_title, search_labels;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM search_head WHERE article_id = OLD.article_id;
        DELETE FROM search_title WHERE article_id = OLD.article_id;
        DELETE FROM search_labels WHERE article_id = OLD.article_id;
    ELSE
        IF TG_OP = 'UPDATE' AND OLD.article_id <> NEW.article_id THEN
            DELETE FROM search_head WHERE article_id = OLD.article_id;
            DELETE FROM search_title WHERE article_id = OLD.article_id;
            DELETE FROM search_labels WHERE article_id = OLD.article_id;
        END IF;
        INSERT INTO search_head VALUES (NEW.article_id, ts_filter(NEW.document, '{a,b,c}'))
        ON CONFLICT (article_id) DO UPDATE SET head = EXCLUDED.head;
        INSERT INTO search_title VALUES (NEW.article_id, ts_filter(NEW.document, '{a}'))
        ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title;
    END IF;
    RETURN NULL;
END $$
"""
KEEP_BEFORE = """
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
POSTGRES_FORWARD = [
    "CREATE TABLE search_labels (article_id bigint PRIMARY KEY, labels tsvector NOT NULL)",
    "INSERT INTO search_labels SELECT article_id, labels FROM search_entry ORDER BY article_id",
    "CREATE INDEX search_labels_labels ON search_labels USING GIN (labels)",
    KEEP,
    "ALTER TABLE search_entry DROP COLUMN labels",
    "CLUSTER search_entry USING search_entry_pkey",
    "ANALYZE search_entry",
    "ANALYZE search_labels",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_entry ADD COLUMN labels tsvector NOT NULL DEFAULT ''::tsvector",
    "UPDATE search_entry e SET labels = l.labels FROM search_labels l "
    "WHERE l.article_id = e.article_id",
    "CREATE INDEX search_entry_labels ON search_entry USING GIN (labels)",
    KEEP_BEFORE,
    "DROP TABLE IF EXISTS search_labels",
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
    dependencies = [("search", "0010_postgres_title_table")]

    operations = [migrations.RunPython(forward, backward)]
