"""`backfile search-reindex`: rebuild the search index from the archive."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.search.index import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from every stored article (after a restore or an upgrade)."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{done}/{total}")

        count = reindex(progress)
        self.stdout.write(f"indexed {count} article{'s' if count != 1 else ''}")
