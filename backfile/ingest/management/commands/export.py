"""`backfile export --format jsonl [-o FILE]`"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from backfile.ingest.export import write_jsonl


class Command(BaseCommand):
    help = "Write the whole archive out, one JSON object per article (see docs/jsonl-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, format, output, **options):
        if output:
            tmp = output.with_name(output.name + ".partial")
            with tmp.open("w", encoding="utf-8", newline="\n") as out:
                count = write_jsonl(out)
            tmp.replace(output)
            self.stderr.write(f"exported {count} articles to {output}")
        else:
            count = write_jsonl(sys.stdout)
