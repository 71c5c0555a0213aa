"""Find the quotations of what an archive stored before quotations were kept: every
article's body, with its reviewed works. In chunks, so a large archive's migration holds
a few thousand bodies in memory at a time."""

from collections import defaultdict

from django.db import migrations

from backfile.quotations.extract import quotations_of_bodies

CHUNK = 2000
PROGRESS = 50_000


def find_stored_quotations(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    Article = apps.get_model("archive", "Article")
    Review = apps.get_model("archive", "Review")
    Quotation = apps.get_model("quotations", "Quotation")
    last = done = 0
    while True:
        chunk = list(
            Article.objects.using(using)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "blocks")[:CHUNK]
        )
        if not chunk:
            break
        ids = [pk for pk, _ in chunk]
        works = defaultdict(list)
        reviews = (
            Review.objects.using(using)
            .filter(article_id__in=ids)
            .order_by("article_id", "position", "pk")
            .values_list("article_id", "work_id", "work__title", "work__author")
        )
        for article, *work in reviews:
            works[article].append(tuple(work))
        found = quotations_of_bodies([(blocks or [], works[pk]) for pk, blocks in chunk])
        Quotation.objects.using(using).filter(article_id__in=ids).delete()
        Quotation.objects.using(using).bulk_create(
            Quotation(
                article_id=pk, position=n, kind=kind, text=text, pages=pages[:100], work_id=work
            )
            for pk, quoted in zip(ids, found, strict=True)
            for n, (kind, text, pages, work) in enumerate(quoted)
        )
        last = ids[-1]
        done += len(chunk)
        if done // PROGRESS > (done - len(chunk)) // PROGRESS:  # (a large archive: minutes)
            print(f"\n  quotations: {done:,} articles read", end="", flush=True)


class Migration(migrations.Migration):
    dependencies = [("quotations", "0001_initial"), ("archive", "0007_publication_metadata")]

    operations = [migrations.RunPython(find_stored_quotations, migrations.RunPython.noop)]
