"""Issues keep only real cover dates: a month of 1–12 and a day that month has.

Rows stored before this check with an impossible month or day (a capture dated
`february-30`) keep the part of their date that is real, so the check can be added.
"""

import django.db.models.expressions
import django.db.models.lookups
from django.db import migrations, models


def keep_real_parts(apps, schema_editor):
    from backfile.archive.dates import real_parts

    Issue = apps.get_model("archive", "Issue")
    for issue in Issue.objects.exclude(month__isnull=True).iterator():
        year, month, day = real_parts(issue.year, issue.month, issue.day)
        if (month, day) != (issue.month, issue.day):
            Issue.objects.filter(pk=issue.pk).update(month=month, day=day)
    Issue.objects.filter(month__isnull=True).exclude(day__isnull=True).update(day=None)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_article_modified"),
    ]

    operations = [
        migrations.RunPython(keep_real_parts, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("month__isnull", True),
                        models.Q(("month__gte", 1), ("month__lte", 12)),
                        _connector="OR",
                    ),
                    models.Q(
                        ("day__isnull", True),
                        models.Q(("day__gte", 1), ("day__lte", 31), ("month__isnull", False)),
                        _connector="OR",
                    ),
                    models.Q(("day", 31), ("month__in", [4, 6, 9, 11]), _negated=True),
                    models.Q(("day__gt", 29), ("month", 2), _negated=True),
                    models.Q(
                        models.Q(("day", 29), ("month", 2), _negated=True),
                        models.Q(
                            ("year__isnull", False),
                            models.Q(
                                django.db.models.lookups.Exact(
                                    django.db.models.expressions.CombinedExpression(
                                        models.F("year"), "%%", models.Value(400)
                                    ),
                                    0,
                                ),
                                models.Q(
                                    django.db.models.lookups.Exact(
                                        django.db.models.expressions.CombinedExpression(
                                            models.F("year"), "%%", models.Value(4)
                                        ),
                                        0,
                                    ),
                                    models.Q(
                                        django.db.models.lookups.Exact(
                                            django.db.models.expressions.CombinedExpression(
                                                models.F("year"), "%%", models.Value(100)
                                            ),
                                            0,
                                        ),
                                        _negated=True,
                                    ),
                                ),
                                _connector="OR",
                            ),
                        ),
                        _connector="OR",
                    ),
                ),
                name="issue_date_real",
                violation_error_message="The issue's month and day must make a real date.",
            ),
        ),
    ]
