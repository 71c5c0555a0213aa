"""Articles record when they last changed, for harvesters asking for changes since a date."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="modified",
            field=models.DateTimeField(
                auto_now=True,
                db_index=True,
                default=django.utils.timezone.now,  # for the articles already stored
                help_text="When an ingest or an editor last changed the article: what "
                "harvesters (OAI-PMH) ask for changes since.",
            ),
            preserve_default=False,
        ),
    ]
