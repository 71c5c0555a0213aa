"""`backfile restore SRC [--force]`: put a backup made by `backfile backup` back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backfile.operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the archive from SRC, a file `backfile backup` wrote. It is checked first; "
        "an archive that holds articles is replaced only with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="The backup file.")
        parser.add_argument(
            "--force", action="store_true", help="Replace an archive that holds articles."
        )

    def handle(self, *args, src: Path, force: bool, verbosity: int, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        try:
            restore(src, force=force, say=say)
        except BackupError as problem:
            raise CommandError(str(problem)) from None
