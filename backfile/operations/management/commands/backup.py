"""`backfile backup DEST [--force]`: a consistent copy of the archive, taken while it serves."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backfile.operations.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the archive up to DEST: a SQLite file (online backup, while the site serves) "
        "or, on PostgreSQL, a pg_dump custom-format file. A folder gets a dated file."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="File to write, or a folder for a dated file.")
        parser.add_argument("--force", action="store_true", help="Replace DEST if it exists.")

    def handle(self, *args, dest: Path, force: bool, verbosity: int, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        try:
            backup(dest, force=force, say=say)
        except BackupError as problem:
            raise CommandError(str(problem)) from None
