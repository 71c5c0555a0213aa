"""`backfile authority import FILE.csv`, `backfile authority export [FILE]` and
`backfile authority seed [--places]`: the authority file in and out, and started from
the archive (see `backfile.authority.csvfile` and `backfile.authority.seeding`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backfile.authority.csvfile import AuthorityFileError, import_csv, write_csv
from backfile.authority.seeding import CITY_POPULATION, seed


def outcome_line(counts: Counter) -> str:
    return ", ".join(f"{counts[o]} {o}" for o in ("added", "changed", "unchanged"))


class Command(BaseCommand):
    help = (
        "The authority file (people, places, organisations): import FILE.csv (columns type, "
        "name, aliases separated by |, note, dates), export [FILE] the same columns, or seed "
        "it from bylines and reviewed works (and, with --places, the gazetteer)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imported = actions.add_parser("import", help="Add or complete entries from a CSV file.")
        imported.add_argument("file", type=Path, metavar="FILE.csv")
        exported = actions.add_parser("export", help="Write every entry as CSV.")
        exported.add_argument("file", type=Path, nargs="?", metavar="FILE",
                              help="File to write (default: stdout).")  # fmt: skip
        seeded = actions.add_parser("seed", help="Entries from what the archive already knows.")
        seeded.add_argument(
            "--places",
            action="store_true",
            help=f"Also countries and cities of {CITY_POPULATION:,}+ people from the gazetteer.",
        )

    def handle(self, *args, action: str, **options):
        getattr(self, f"do_{action}")(**options)

    def showing_progress(self, options) -> bool:
        """A progress line where someone watches (a terminal), not in a log."""
        return options["verbosity"] > 0 and self.stderr.isatty()

    def do_import(self, file: Path, **options) -> None:
        def progress(done: int, counts: Counter) -> None:
            self.stderr.write(f"\rimporting: {done} rows", ending="")

        try:
            counts = import_csv(file, progress if self.showing_progress(options) else None)
        except AuthorityFileError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"\r{file}: {outcome_line(counts)} entries")

    def do_export(self, file: Path | None = None, **options) -> None:
        if file is None:
            self.stdout.ending = ""
            write_csv(self.stdout)
            return
        partial = file.with_name(file.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = write_csv(out)
        partial.replace(file)
        self.stderr.write(f"exported {count} entries to {file}")

    def do_seed(self, places: bool = False, **options) -> None:
        def progress(what: str, done: int, counts: Counter) -> None:
            self.stderr.write(f"\rseeding {what}: {done} names, {outcome_line(counts)}", ending="")

        watched = self.showing_progress(options)
        outcomes = seed(places, progress if watched else None)
        if watched:
            self.stderr.write("")
        for what, counts in outcomes.items():
            self.stdout.write(f"{what}: {outcome_line(counts)}")
