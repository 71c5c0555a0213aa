"""A byline has a role: `author` (every byline so far), or a credit such as `translator`."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0003_issue_date_real'),
    ]

    operations = [
        migrations.AddField(
            model_name='byline',
            name='role',
            field=models.CharField(default='author', max_length=40),
        ),
    ]
