"""`backfile export --format jsonl [-o FILE]` and `backfile export --format bagit -o FOLDER`"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backfile.archive.models import Publication
from backfile.ingest.bags import write_bag
from backfile.ingest.export import write_jsonl
from backfile.media.export import AssetFiles


class Command(BaseCommand):
    help = (
        "Write the whole archive out, one JSON object per article and per printed page "
        "(see docs/jsonl-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "bagit"], default="jsonl")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="File to write (default: stdout); for bagit, the new folder the bag is made in.",
        )
        parser.add_argument(
            "--publication", help="Only this publication (its slug); bagit only, for now."
        )
        parser.add_argument(
            "--assets",
            type=Path,
            help="Folder whose assets/ subfolder gets the pictures' files (default: the "
            "output file's folder; with stdout, none are written).",
        )

    def handle(self, *args, format, output, assets, publication=None, **options):
        if format == "bagit":
            return self.bag(output, publication)
        folder = assets or (output.resolve().parent if output else None)
        files = AssetFiles(folder)
        counts: Counter = Counter()
        if output:
            tmp = output.with_name(output.name + ".partial")
            with tmp.open("w", encoding="utf-8", newline="\n") as out:
                count = write_jsonl(out, files, counts)
            tmp.replace(output)
            pages = f", {counts['pages']} printed pages" if counts["pages"] else ""
            pictures = f" and {len(files.written)} pictures" if files.written else ""
            self.stderr.write(f"exported {count} articles{pages}{pictures} to {output}")
        else:
            write_jsonl(sys.stdout, files)
        if files.missing:
            self.stderr.write(
                f"{len(files.missing)} pictures not written: their files are missing from the "
                f"media storage ({', '.join(sorted(files.missing)[:3])}"
                f"{' …' if len(files.missing) > 3 else ''})"
            )
        if files.skipped:
            self.stderr.write(
                f"{len(files.skipped)} pictures not written: give -o FILE or --assets FOLDER"
            )

    def bag(self, output: Path | None, slug: str | None) -> None:
        if output is None:
            raise CommandError("--format bagit needs -o FOLDER, a folder to make the bag in")
        publication = None
        if slug:
            publication = Publication.objects.filter(slug=slug).first()
            if publication is None:
                raise CommandError(f"--publication {slug}: no publication has that slug")
        try:
            folder, count = write_bag(output, publication)
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"exported {count} articles as a BagIt bag in {folder}")
