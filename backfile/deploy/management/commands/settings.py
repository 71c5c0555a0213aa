"""`backfile settings [--markdown]`: every setting with the value in force, or the docs table."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.deploy.table import in_force, markdown_table


class Command(BaseCommand):
    help = (
        "Print every Backfile setting (environment variable, value in force, whether it came "
        "from the environment or is the default; secrets masked), or with --markdown the "
        "table docs/deploy.md embeds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="print the Markdown settings table of docs/deploy.md (defaults, not values)",
        )

    def handle(self, *args, markdown: bool, **options):
        if markdown:
            self.stdout.write(markdown_table(), ending="")
            return
        rows = in_force()
        width = max(len(row.env) for row, _, _ in rows)
        group = None
        for row, value, source in rows:
            if row.group != group:
                group = row.group
                self.stdout.write(f"# {group}")
            shown = value if value else "(empty)"
            self.stdout.write(f"{row.env:<{width}}  {shown}  [{source}]")
