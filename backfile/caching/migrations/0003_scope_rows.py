"""The shared scope's rows, and those of every publication already in the archive."""

from django.db import migrations
from django.utils import timezone

SCOPE_SHARDS = 4  # as backfile.caching.models.SCOPE_SHARDS when this was written


def make_rows(apps, schema_editor):
    ScopedGeneration = apps.get_model("caching", "ScopedGeneration")
    Publication = apps.get_model("archive", "Publication")
    using = schema_editor.connection.alias
    scopes = ["shared"] + [
        f"publication:{pk}" for pk in Publication.objects.using(using).values_list("pk", flat=True)
    ]
    now = timezone.now()
    ScopedGeneration.objects.using(using).bulk_create(
        [
            ScopedGeneration(scope=scope, shard=n, value=0, changed=now)
            for scope in scopes
            for n in range(1, SCOPE_SHARDS + 1)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("caching", "0002_scoped_generation"), ("archive", "0003_issue_date_real")]

    operations = [migrations.RunPython(make_rows, migrations.RunPython.noop)]
