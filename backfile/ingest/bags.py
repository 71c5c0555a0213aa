"""The archive (or one publication) as a BagIt bag: the JSONL export and its pictures under
`data/`, with SHA-256 and SHA-512 fixity manifests, made with the Library of Congress's
`bagit` package. `backfile export --format bagit -o DIR` and the data dumps both use it."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import bagit

from backfile.archive.models import Publication
from backfile.ingest.export import write_jsonl
from backfile.media.export import AssetFiles

CHECKSUMS = ["sha256", "sha512"]


def bag_info(publication: Publication | None, articles: int) -> dict[str, str]:
    """The bag's `bag-info.txt`: who it comes from, what it holds and on what terms."""
    info = {
        "Bagging-Date": date.today().isoformat(),
        "Bag-Software-Agent": "Backfile (backfile export --format bagit)",
        "External-Description": (
            f"{publication.name}: {articles} articles as Backfile JSONL (docs/jsonl-format.md)"
            if publication
            else f"A Backfile archive: {articles} articles as JSONL (docs/jsonl-format.md)"
        ),
    }
    if publication is not None:
        if publication.publisher:
            info["Source-Organization"] = publication.publisher
        if publication.rights:
            info["Rights"] = publication.rights
        if publication.issn:
            info["External-Identifier"] = f"ISSN {publication.issn}"
    return info


def write_bag(folder: Path, publication: Publication | None = None) -> tuple[Path, int]:
    """Make `folder` (which must not exist) a bag of the archive or of `publication`; returns
    the bag's folder and the number of articles. Written beside it first, then moved into
    place, so a failure leaves no half-made bag."""
    if folder.exists():
        raise FileExistsError(f"{folder} exists already: a bag is written to a new folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        name = f"{publication.slug}.jsonl" if publication else "archive.jsonl"
        with (work / name).open("w", encoding="utf-8", newline="\n") as out:
            count = write_jsonl(
                out, AssetFiles(work), publication=publication.slug if publication else None
            )
        bagit.make_bag(str(work), bag_info(publication, count), checksums=CHECKSUMS)
        work.replace(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder, count


def valid(folder: Path) -> bool:
    """Whether the bag's files are all there and match their manifests."""
    return bagit.Bag(str(folder)).is_valid()
