"""`backfile settings [--markdown]`: every setting with the value in force, or the docs table."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backfile.deploy.table import TABLE_END, TABLE_START, embedded, in_force, markdown_table


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
        parser.add_argument(
            "--into",
            metavar="FILE",
            help=f"with --markdown: write the table into FILE between {TABLE_START} and "
            f"{TABLE_END}",
        )

    def handle(self, *args, markdown: bool, into: str | None, **options):
        if into:
            if not markdown:
                raise CommandError("--into goes with --markdown")
            path = Path(into)
            try:
                path.write_text(embedded(path.read_text(encoding="utf-8"), markdown_table()))
            except (OSError, ValueError) as problem:
                raise CommandError(f"{path}: cannot embed the table: {problem}") from None
            return
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
