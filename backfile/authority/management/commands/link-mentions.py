"""`backfile link-mentions [--all] [--candidates] [--quiet]`: link every article's mentions of
the authority file again, and refresh the list of candidate names.

Mentions are kept current as articles and entries change (`backfile.authority.receivers`)
and candidates are refreshed in the background after each ingest; this is for an archive ingested before
the authority file was filled, or after an upgrade. Safe to run again.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from backfile.authority import candidates, linking
from backfile.caching.generation import bump
from backfile.workers import worker_processes


class Command(BaseCommand):
    help = (
        "Link every article to the entries of the authority file it mentions (--all, the "
        "default) and refresh the candidate names (--candidates)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Link every article again.")
        parser.add_argument(
            "--candidates", action="store_true", help="Refresh the list of candidate names."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet, **options):
        link = options["all"] or not options["candidates"]
        console = Console(file=sys.stderr)
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles {task.fields[rate]}"),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        ) as progress:
            plain = not quiet and not console.is_terminal  # a log: a line now and then

            def shown(what: str):
                task = progress.add_task(what, total=None, rate="")
                began, said = time.monotonic(), [0.0]

                def update(done: int, total: int) -> None:
                    now = time.monotonic()
                    rate = f"{done / (now - began):,.0f}/s" if now > began else ""
                    progress.update(task, completed=done, total=total, rate=rate)
                    if plain and (now - said[0] >= 5 or done == total):
                        said[0] = now
                        print(f"{what}: {done:,} of {total:,} articles, {rate}", file=sys.stderr)

                return update

            if link:
                with worker_processes() as workers:
                    mentions = linking.link_all(shown("link mentions"), workers)
                bump()  # article pages show their mentions: cached copies are retired
                self.stdout.write(f"{mentions:,} mention{'s' if mentions != 1 else ''} linked")
            if options["candidates"]:
                open_ = candidates.refresh(shown("candidate names"))
                self.stdout.write(f"{open_:,} open candidate name{'s' if open_ != 1 else ''}")
