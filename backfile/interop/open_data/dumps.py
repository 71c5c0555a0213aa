"""The archive's bulk data at /data/: for each publication a gzipped JSONL export and a
BagIt bag (a .tar.gz of the bag folder), made by `backfile data-dumps` into the media storage
under `data/`, and listed with their sizes, SHA-256 and terms (the publication's rights)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.base import ContentFile, File

from backfile.archive.models import Publication
from backfile.ingest.bags import write_bag
from backfile.ingest.export import write_jsonl
from backfile.media.storage import media_storage

FOLDER = "data"
INDEX = f"{FOLDER}/index.json"


@dataclass
class Dump:
    publication: str  # slug
    name: str
    rights: str
    kind: str  # "jsonl" or "bagit"
    path: str  # in the media storage
    bytes: int
    sha256: str
    articles: int
    made: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def store(local: Path, name: str) -> str:
    """Save a made file into the media storage at data/NAME, replacing the last one."""
    storage = media_storage()
    target = f"{FOLDER}/{name}"
    if storage.exists(target):
        storage.delete(target)
    with local.open("rb") as file:
        return storage.save(target, File(file, name=name))


def dump_publication(publication: Publication, work: Path) -> list[Dump]:
    made = datetime.now(UTC).isoformat(timespec="seconds")
    jsonl = work / f"{publication.slug}.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8", newline="\n") as out:
        count = write_jsonl(out, None, publication=publication.slug)
    bag_folder, _ = write_bag(work / f"{publication.slug}-bag", publication)
    bag = work / f"{publication.slug}-bagit.tar.gz"
    with tarfile.open(bag, "w:gz") as tar:
        tar.add(bag_folder, arcname=f"{publication.slug}-bag")
    shutil.rmtree(bag_folder)
    found = []
    for kind, local in (("jsonl", jsonl), ("bagit", bag)):
        path = store(local, local.name)
        found.append(Dump(publication.slug, publication.name, publication.rights, kind, path,
                          local.stat().st_size, sha256_of(local), count, made))  # fmt: skip
    return found


def make_dumps(on_publication=lambda publication: None) -> list[Dump]:
    """Make every publication's dumps afresh and write the index the /data/ page reads."""
    dumps = []
    with tempfile.TemporaryDirectory(prefix="backfile-dumps-") as folder:
        for publication in Publication.objects.order_by("name"):
            on_publication(publication)
            dumps += dump_publication(publication, Path(folder))
    storage = media_storage()
    if storage.exists(INDEX):
        storage.delete(INDEX)
    text = json.dumps([asdict(d) for d in dumps], ensure_ascii=False, indent=1)
    storage.save(INDEX, ContentFile(text.encode("utf-8")))
    return dumps


def listed_dumps() -> list[Dump]:
    """The dumps the last `backfile data-dumps` made; none before it has run (or if its index
    cannot be read)."""
    storage = media_storage()
    try:
        with storage.open(INDEX) as file:
            data = json.load(io.TextIOWrapper(file, encoding="utf-8"))
        return [Dump(**entry) for entry in data]
    except (OSError, ValueError, TypeError):
        return []
