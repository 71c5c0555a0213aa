"""`backfile ingest PATH... [--publication NAME] [--report FILE]`"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from backfile.ingest.pipeline import ingest
from backfile.ingest.readers.wxr import IssuePlan


class Command(BaseCommand):
    help = "Bring files, folders or archives (.zip, .tar.gz, .tar.xz) into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--publication",
            help="The publication's name, for formats that do not say (page captures, legacy sites).",
        )
        parser.add_argument(
            "--issue-from",
            type=IssuePlan.from_argument,
            help="WordPress exports: how posts make issues: month (the default), "
            "category:PREFIX (a category such as 'Issue 42') or meta:KEY (a custom field).",
        )
        parser.add_argument("--report", type=Path, help="Write the per-file report here as JSON.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, paths, publication, report, quiet, issue_from, **options):
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        console = Console(file=sys.stderr)
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            TextColumn("{task.completed} files"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        ) as progress:
            task = progress.add_task("ingest", total=None, current="")

            def advance(file):
                progress.update(task, advance=1, current=file.path[-60:])

            result = ingest(
                paths,
                publication=publication,
                on_file=advance,
                reader_options={"issue_from": issue_from} if issue_from else {},
            )
        for entry in result.entries:
            if entry.status in ("failed", "conflict"):
                self.stderr.write(f"{entry.status}: {entry.path}: {entry.reason}")
        if report:
            result.write_json(report)
        self.stdout.write(result.summary_line())
        if report:
            self.stdout.write(f"report written to {report}")
