"""`backfile data-dumps`: make each publication's bulk data (gzipped JSONL and a BagIt bag)
afresh, for /data/."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backfile.interop.open_data.dumps import make_dumps


class Command(BaseCommand):
    help = "Make each publication's downloadable dumps (gzipped JSONL, BagIt) listed at /data/."

    def handle(self, *args, **options):
        def saying(publication) -> None:
            self.stderr.write(f"data-dumps: {publication.name} …")

        dumps = make_dumps(saying)
        for dump in dumps:
            self.stdout.write(f"{dump.path}: {dump.bytes:,} bytes, {dump.articles} articles")
        self.stdout.write(f"{len(dumps)} files made; listed at /data/")
