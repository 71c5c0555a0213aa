"""Facets no longer group by cell (they count publication, year and section straight from
the entries of the sample or the match), so the cells and their column go."""

from django.db import migrations


def drop_cells(apps, schema_editor):
    schema_editor.execute("ALTER TABLE search_entry DROP COLUMN cell")
    schema_editor.execute("DROP TABLE search_cell")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_headline_table")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="searchentry", name="cell"),
                migrations.DeleteModel(name="SearchCell"),
            ],
            database_operations=[migrations.RunPython(drop_cells, migrations.RunPython.noop)],
        ),
    ]
