"""`backfile relink-pages [--quiet]`: link every article to the pages its printed `pages` name.

An ingest links articles and pages as either is stored (`backfile.ingest.page_links`);
this does the same for an archive whose articles and pages were stored before that was
so, or after an editor changed page labels. Zoned and editors' links are left as they are.
Safe to run again: it changes only what differs.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from backfile.facsimiles.models import ArticlePage, Page
from backfile.ingest.page_links import relink_issues

ISSUES_AT_ONCE = 50


class Command(BaseCommand):
    help = "Link articles to the printed pages their page numbers name (see docs/jsonl-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet, **options):
        issues = sorted(set(Page.objects.order_by().values_list("issue_id", flat=True).distinct()))
        before = ArticlePage.objects.filter(how="printed").count()
        console = Console(file=sys.stderr)
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]relink-pages[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("issues"),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        ) as progress:
            task = progress.add_task("relink", total=len(issues))
            for start in range(0, len(issues), ISSUES_AT_ONCE):
                chunk = issues[start : start + ISSUES_AT_ONCE]
                with transaction.atomic():
                    relink_issues(chunk)
                progress.update(task, advance=len(chunk))
        after = ArticlePage.objects.filter(how="printed").count()
        self.stdout.write(
            f"{after:,} links of articles to pages by their printed numbers in {len(issues):,} "
            f"issue{'s' if len(issues) != 1 else ''} with pages (before: {before:,})"
        )
