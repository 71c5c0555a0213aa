"""Articles' index rows dated by their issue (`index.issue_date_key`), as readers see them.

Until now an article's year, decade and sort key came from the date its source gave it
(`Article.published`), so a post dated 1998 but filed in a 2004 issue was offered under
the 1990s facet beside an issue label saying 2004. The rows are redated issue by issue
(those already right are left alone); no text is analysed again. On PostgreSQL the
rewritten rows leave dead tuples behind until autovacuum: `VACUUM ANALYZE search_entry`
after migrating a large archive keeps searches at their speed.
"""

from django.db import migrations

BATCH = 1000
REDATE = (
    "UPDATE search_entry SET year = %s, decade = %s, sort_key = %s "
    "WHERE article_id IN (SELECT id FROM archive_article WHERE issue_id = %s) AND sort_key <> %s"
)


def redate(apps, schema_editor):
    from backfile.archive.dates import real_parts

    Issue = apps.get_model("archive", "Issue")
    rows = []
    with schema_editor.connection.cursor() as cursor:
        for pk, year, month, day in Issue.objects.values_list("pk", "year", "month", "day"):
            year, month, day = real_parts(year, month, day)
            key = year * 10000 + (month or 0) * 100 + (day or 0)
            rows.append((year, year // 10 * 10, key, pk, key))
            if len(rows) >= BATCH:
                cursor.executemany(REDATE, rows)
                rows = []
        if rows:
            cursor.executemany(REDATE, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0012_page_index"),
        ("archive", "0001_initial"),
    ]

    operations = [migrations.RunPython(redate, migrations.RunPython.noop)]
