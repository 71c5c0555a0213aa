"""`backfile search-reindex`: rebuild the search index from the archive."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.search.index import reindex
from backfile.workers import worker_processes


class Command(BaseCommand):
    help = "Rebuild the search index from every stored article (after a restore or an upgrade)."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{done}/{total}")

        # The command owns the analysis workers: they end with it, however it ends.
        with worker_processes() as workers:
            count = reindex(progress, workers)
        self.stdout.write(f"indexed {count} article{'s' if count != 1 else ''}")
