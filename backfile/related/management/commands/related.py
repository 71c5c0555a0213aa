"""`backfile related [--rebuild]`: relate the articles not yet related, or all again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.related.store import rebuild, refresh


class Command(BaseCommand):
    help = (
        "Compute the related articles of every article stored since the last ingest ended "
        "(an editor's corrections, an ingest that stopped); with --rebuild, of every article "
        "from its text again (after an upgrade, or to bring older articles' lists up to date)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Start again from every article's text."
        )

    def handle(self, *args, **options):
        def progress(what: str, done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{what} {done}/{total}")

        count = (rebuild if options["rebuild"] else refresh)(progress)
        self.stdout.write(
            f"related articles computed for {count} article{'s' if count != 1 else ''}"
        )
