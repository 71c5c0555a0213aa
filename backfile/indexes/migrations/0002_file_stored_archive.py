"""File what an archive stored before the indexes existed: every article's section and
subjects, every author who has a byline. In chunks, so a large archive's migration
holds a few thousand rows in memory at a time."""

from django.db import migrations

from backfile.indexes.entries import author_rows, store_author_rows, subject_rows

CHUNK = 2000
PROGRESS = 50_000


def file_stored_archive(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    Article = apps.get_model("archive", "Article")
    Author = apps.get_model("archive", "Author")
    SubjectEntry = apps.get_model("indexes", "SubjectEntry")
    AuthorEntry = apps.get_model("indexes", "AuthorEntry")
    last = filed = 0
    while True:
        chunk = list(
            Article.objects.using(using)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "publication_id", "section", "subjects")[:CHUNK]
        )
        if not chunk:
            break
        SubjectEntry.objects.using(using).bulk_create(subject_rows(SubjectEntry, chunk))
        last = chunk[-1][0]
        filed += len(chunk)
        if filed // PROGRESS > (filed - len(chunk)) // PROGRESS:  # (a large archive: minutes)
            print(f"\n  indexes: {filed:,} articles filed", end="", flush=True)
    last = 0
    while True:
        chunk = list(
            Author.objects.using(using)
            .filter(pk__gt=last, bylines__isnull=False)
            .distinct()
            .order_by("pk")
            .values_list("pk", "name")[:CHUNK]
        )
        if not chunk:
            break
        store_author_rows(AuthorEntry, author_rows(AuthorEntry, chunk), using)
        last = chunk[-1][0]


class Migration(migrations.Migration):
    dependencies = [("indexes", "0001_initial"), ("archive", "0007_publication_metadata")]

    operations = [migrations.RunPython(file_stored_archive, migrations.RunPython.noop)]
