"""`backfile ingest PATH... [--publication NAME] [--report FILE]`

Exit status: 0 when every source was read, 1 when any failed (each is named on
standard error, and the summary counts them), 2 for a usage error (a path that
does not exist, a bad option).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from backfile.ingest import publication_meta
from backfile.ingest.accounting import file_outcomes
from backfile.ingest.pipeline import RUN, ingest
from backfile.ingest.readers.issue_identity import issue_from_argument

FAILED_STATUS = 1
USAGE_STATUS = 2


class Command(BaseCommand):
    help = "Bring files, folders or archives (.zip, .tar.gz, .tar.xz) into the archive."
    exit_status = 0

    def run_from_argv(self, argv):
        """As Django runs a command, then exit with the run's status (`call_command` returns
        normally whatever the status, for callers that read the report)."""
        super().run_from_argv(argv)
        if self.exit_status:
            sys.exit(self.exit_status)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--publication",
            help="The publication's name, for formats that do not say (page captures, legacy sites).",
        )
        parser.add_argument(
            "--issue-from",
            type=issue_from_argument,
            help="WordPress exports: how posts make issues: month (the default), "
            "category:PREFIX (a category such as 'Issue 42') or meta:KEY (a custom field). "
            "PDFs and folders of page images: filename:PATTERN, a regular expression with "
            "named groups year, month, day, number, volume matched against the file's (or "
            "folder's) name, where no sidecar NAME.issue.json (issue.json) says.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="WordPress exports: the site's uploads folder (wp-content/uploads, or the site's "
            "folder holding it), where the pictures of its posts are found; without it, an "
            "uploads/ or wp-content/uploads/ folder beside the export is used.",
        )
        parser.add_argument(
            "--publication-meta",
            type=Path,
            help="A JSON file of the publication's catalogue record (ISSN, publisher, "
            "languages, frequency, rights…; docs/publications.md), stored after the ingest.",
        )
        parser.add_argument("--report", type=Path, help="Write the per-file report here as JSON.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(
        self, *args, paths, publication, report, quiet, issue_from, media_root=None, **options
    ):
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder", returncode=USAGE_STATUS)
        catalogue = []
        if options.get("publication_meta"):
            try:
                catalogue = publication_meta.read(options["publication_meta"])
            except publication_meta.MetadataError as error:
                raise CommandError(str(error), returncode=USAGE_STATUS) from None
        if media_root is not None and not media_root.is_dir():
            raise CommandError(
                f"--media-root {media_root}: no such folder", returncode=USAGE_STATUS
            )
        reader_options = {"issue_from": issue_from} if issue_from else {}
        if media_root is not None:
            reader_options["media_root"] = media_root
        console = Console(file=sys.stderr)
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}[/]"),
            BarColumn(),
            TextColumn("{task.completed} {task.fields[unit]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        ) as progress:
            task = progress.add_task("ingest", total=None, current="", unit="files")

            def advance(file):
                progress.update(task, advance=1, current=file.path[-60:])

            def pages(text):  # a PDF's or a folder's pages as they are read (and OCR'd)
                progress.update(task, current=text)

            reader_options["progress"] = pages
            phases: dict[str, int] = {}

            def phase(what: str, done: int, total: int) -> None:  # work after the files
                if what not in phases:
                    phases[what] = progress.add_task(what, total=total, current="", unit="articles")
                progress.update(phases[what], completed=done, total=total)

            result = ingest(
                paths,
                publication=publication,
                on_file=advance,
                reader_options=reader_options,
                on_progress=phase,
            )
        for entry in result.entries:
            if entry.status in ("failed", "conflict"):
                self.stderr.write(f"{entry.status}: {entry.path}: {entry.reason}")
        for outcome in file_outcomes(result):
            if outcome.outcome in ("nothing stored", "no outcome"):  # never a silent file
                self.stderr.write(
                    f"{outcome.outcome}: {outcome.path}: {'; '.join(outcome.reasons)}"
                )
        if report:
            result.write_json(report)
        self.stdout.write(result.summary_line())
        for described in publication_meta.apply(catalogue):
            self.stdout.write(f"catalogue record of {described.name} stored")
        if report:
            self.stdout.write(f"report written to {report}")
        failed = sorted({e.path for e in result.entries if e.status == "failed"} - {RUN})
        if failed:
            self.stderr.write(
                f"{len(failed)} source(s) could not be read (named above with the reason): "
                + ", ".join(failed[:10])
                + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
            )
        if failed or result.count("failed"):
            self.exit_status = FAILED_STATUS
