"""`backfile search-reindex`: rebuild the search index from the archive."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.search.index import reindex
from backfile.search.page_index import reindex_pages
from backfile.workers import worker_processes


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every stored article and printed page "
        "(after a restore or an upgrade)."
    )

    def handle(self, *args, **options):
        def progress(kind: str):
            def show(done: int, total: int) -> None:
                if options["verbosity"] > 1:
                    self.stderr.write(f"{kind} {done}/{total}")

            return show

        # The command owns the analysis workers: they end with it, however it ends.
        with worker_processes() as workers:
            count = reindex(progress("articles"), workers)
            pages = reindex_pages(progress("pages"), workers)
        message = f"indexed {plural(count, 'article')}"
        self.stdout.write(message + (f" and {plural(pages, 'page')}" if pages else ""))
