"""Fill the demo archive: the shared corpus where it exists, else Backfile's own sample,
and always the picture sample (The Tideway: backfile/sample/README.md).

Run by `make demo` before it serves the site. Ingest is idempotent, so running
the demo again only adds what changed. The corpus holds files that are meant to
fail (a malformed WordPress export): `backfile ingest` then exits 1 after
storing everything else, and the demo goes on; a usage error (2) stops it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from backfile.cli import main as backfile

SAMPLE = Path(__file__).resolve().parent.parent / "backfile" / "sample"
NORTHERN_REVIEW = SAMPLE / "the-northern-review"  # page captures, when there is no corpus
PICTURES = SAMPLE / "the-tideway"  # a WordPress export with its uploads, and an issue's cover
SOME_FAILED = 1  # `backfile ingest`'s status when some sources could not be read
# A small authority file of people, places and organisations the demo's archives name
# (docs/editors.md), imported after the ingests; then the file is seeded from the bylines,
# the reviewed works and the gazetteer, and the articles are linked to it.
AUTHORITY = Path(__file__).resolve().parent / "demo_authority.csv"


def demo_ingests(corpus: Path) -> list[list[str]]:
    """The `backfile ingest` argument lists for what is present, then the picture sample."""
    runs: list[list[str]] = []
    standard = corpus / "socialist-standard"
    worker = corpus / "socialist-worker-2001-2005.tar.xz"
    wordpress = corpus / "wordpress-wxr"
    if standard.is_dir():
        runs.append([str(standard), "--publication", "Socialist Standard"])
    if worker.is_file():
        runs.append([str(worker), "--publication", "Socialist Worker"])
    if wordpress.is_dir():
        runs.append([str(wordpress)])
    runs += print_ingests(corpus / "facsimiles")
    return [*(runs or [[str(NORTHERN_REVIEW)]]), [str(PICTURES)]]


# The born-digital periodical PDF among the facsimiles, and the issue it is (a PDF does not
# say; docs/facsimiles.md): the demo gives it a sidecar beside a copy under var/.
FEDERAL_REGISTER = {
    "federal-register-2020-17221.pdf": {
        "publication": "Federal Register", "date": "2020-08-06", "number": 152, "volume": 85,
        "language": "eng",
    },
}  # fmt: skip


def print_ingests(facsimiles: Path) -> list[list[str]]:
    """The printed pages: Chronicling America's NDNP batches (METS and ALTO, used as they
    are) and the periodical PDF, copied under var/ with its issue's sidecar."""
    runs: list[list[str]] = []
    batches = facsimiles / "chronam"
    if batches.is_dir():
        runs.append([str(batches)])
    copies = Path("var/demo-print")
    for name, issue in FEDERAL_REGISTER.items():
        pdf = facsimiles / "pdf" / name
        if pdf.is_file():
            copies.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, copies / name)
            sidecar = copies / name.replace(".pdf", ".issue.json")
            sidecar.write_text(json.dumps(issue), encoding="utf-8")
    if copies.is_dir():
        runs.append([str(copies)])
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    options = parser.parse_args()
    for arguments in demo_ingests(options.corpus):
        print(f"backfile ingest {' '.join(arguments)}", flush=True)
        try:
            backfile(["ingest", *arguments])
        except SystemExit as stop:
            if stop.code == SOME_FAILED:
                print("(the files named above were not read; everything else was)", flush=True)
            elif stop.code:
                raise
    for arguments in (["import", str(AUTHORITY)], ["seed", "--places"]):
        print(f"backfile authority {' '.join(arguments)}", flush=True)
        backfile(["authority", *arguments])


if __name__ == "__main__":
    main()
