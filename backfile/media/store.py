"""Storing a record's pictures: once each, by SHA-256, with their display sizes.

The loader hands every record to `AssetStore.store` before the record joins a
batch (outside any write transaction, so SQLite's write lock is never held while
Pillow works). A picture already stored costs one lookup for the whole record;
a new one is read (its `content`, or the file at its `location`), checked
against its hash, measured and reduced to its display sizes with Pillow, and
written to the media storage, then its row is added. An asset stored without its
file (it was missing) gets it on a later ingest that has it.

Nothing here fails an article. A missing, damaged, unknown or oversized picture
is stored as far as it goes (its record's alt text, caption, credit and URL), and
the notice returned names the file and the problem; the figure shows a
placeholder.
"""

from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from backfile.ingest.records import ArticleRecord, AssetRecord
from backfile.media.images import RECIPE, UNKNOWN_TYPE, Picture, examine, extension
from backfile.media.models import Asset
from backfile.media.storage import media_storage


@dataclass
class AssetNotice:
    path: str  # the article's source
    message: str


def original_name(sha256: str, media_type: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}.{extension(media_type)}"


def derivative_name(sha256: str, width: int, format: str) -> str:
    return f"pictures/{sha256[:2]}/{sha256}-{width}.{RECIPE}.{format}"


class AssetStore:
    """Stores pictures for one ingest; remembers which are stored, so each costs one lookup.

    With `workers` (the ingest's processes), Pillow's work on each new picture is sent to
    them and its result stored when it is done, while the loader reads on: at most
    AHEAD pictures wait at once (their bytes are held meanwhile). `finish` waits for the
    rest; the notices of a picture come when it is stored."""

    AHEAD = 4

    def __init__(self, workers: Executor | None = None, max_bytes: int | None = None):
        self.workers = workers
        self.stored: set[str] = set()  # sha256 of assets stored with their file, or coming
        self.pending: deque[tuple[str, AssetRecord, Asset | None, bytes, Future]] = deque()
        self.max_bytes = max_bytes or settings.BACKFILE_INGEST_MAX_MEMBER_BYTES
        self.max_pixels = settings.BACKFILE_MEDIA_MAX_PIXELS

    def store(self, record: ArticleRecord) -> list[AssetNotice]:
        """Store the record's assets not stored yet; the notices for the report (of these or
        of pictures sent to the workers earlier)."""
        notices = self._collect(wait=len(self.pending) >= self.AHEAD)
        wanted = {a.sha256: a for a in record.assets if a.sha256 not in self.stored}
        if not wanted:
            return notices
        found = {
            asset.sha256: asset
            for asset in Asset.objects.filter(sha256__in=list(wanted)).only(
                "pk", "sha256", "original", "problem"
            )
        }
        path = record.source.path
        for sha256, asset in wanted.items():
            stored = found.get(sha256)
            if stored is not None and (stored.original or not asset_bytes_given(asset)):
                self.stored.add(sha256)
                continue
            data, missing = read_bytes(asset, self.max_bytes)
            if data is not None and hashlib.sha256(data).hexdigest() != sha256:
                data, missing = None, f"its bytes do not match its sha256 {sha256}"
            if data is None:
                notices += [
                    AssetNotice(path, m) for m in self._save(asset, stored, missing=missing)
                ]
                continue
            self.stored.add(sha256)
            if data.startswith(b"%PDF-"):  # an issue's PDF: kept as it is, nothing to show
                document = Picture(media_type="application/pdf")
                notices += [AssetNotice(path, m) for m in self._save(asset, stored, data, document)]
                continue
            if self.workers is None:
                picture = examine(data, self.max_pixels)
                notices += [AssetNotice(path, m) for m in self._save(asset, stored, data, picture)]
            else:
                work = self.workers.submit(examine, data, self.max_pixels)
                self.pending.append((path, asset, stored, data, work))
                notices += self._collect(wait=len(self.pending) > self.AHEAD)
        return notices

    def finish(self) -> list[AssetNotice]:
        """Store every picture still in the workers' hands; their notices."""
        notices = []
        while self.pending:
            notices += self._collect(wait=True)
        return notices

    def save_examined(
        self, record: AssetRecord, stored: Asset | None, data: bytes, picture: Picture
    ) -> list[str]:
        """Store one asset whose bytes are read and examined already (an editor's upload)."""
        return self._save(record, stored, data, picture)

    def _collect(self, wait: bool) -> list[AssetNotice]:
        """Store the pictures the workers have done, in order (the first waited for if `wait`)."""
        notices = []
        while self.pending and (wait or self.pending[0][4].done()):
            path, asset, stored, data, work = self.pending.popleft()
            picture = work.result()
            notices += [AssetNotice(path, m) for m in self._save(asset, stored, data, picture)]
            wait = False
        return notices

    def _save(
        self,
        record: AssetRecord,
        stored: Asset | None,
        data: bytes | None = None,
        picture: Picture | None = None,
        missing: str = "",
    ) -> list[str]:
        """Store one asset (or give a stored one its file); what went wrong, for the report."""
        label = record.filename or record.source_url or record.sha256[:12]
        problems = []
        if data is None:
            problems.append(f"picture {label}: {missing}; the figure is kept without it")
            picture = Picture(media_type=record.media_type or UNKNOWN_TYPE)
        elif picture.problem:
            problems.append(
                f"picture {label}: {picture.problem}; the figure is kept with a placeholder"
            )
        asset = stored or Asset(sha256=record.sha256)
        asset.media_type = (
            picture.media_type if picture.media_type != UNKNOWN_TYPE else record.media_type
        )
        asset.width = picture.width or record.width
        asset.height = picture.height or record.height
        if stored is None:
            for name in ("filename", "source_url", "alt", "caption", "credit"):
                setattr(asset, name, getattr(record, name))
        asset.problem = picture.problem if data is not None else ""
        if data is not None:
            asset.size = len(data)
            asset.original = save(original_name(record.sha256, asset.media_type), data)
            asset.derivatives = [
                {
                    "width": d.width,
                    "height": d.height,
                    "format": d.format,
                    "name": save(derivative_name(record.sha256, d.width, d.format), d.data),
                }
                for d in picture.derivatives
            ]
        asset.skip_history_when_saving = True  # ingest is not an editorial revision
        asset.save()
        return problems


def asset_bytes_given(record: AssetRecord) -> bool:
    return record.content is not None or bool(record.location)


def read_bytes(record: AssetRecord, max_bytes: int) -> tuple[bytes | None, str]:
    """The asset's bytes, or None and why not."""
    if record.content is not None:
        data = record.content
    elif record.location:
        path = Path(record.location)
        try:
            if path.stat().st_size > max_bytes:
                return None, (
                    f"{path} is larger than BACKFILE_INGEST_MAX_MEMBER_BYTES ({max_bytes:,} "
                    "bytes) allows"
                )
            data = path.read_bytes()
        except FileNotFoundError:
            return None, f"the file is not among the sources (looked for {path})"
        except OSError as error:
            return None, f"cannot read {path}: {error.strerror or error}"
    else:
        return None, "the file is not among the sources"
    if len(data) > max_bytes:
        return None, f"larger than BACKFILE_INGEST_MAX_MEMBER_BYTES ({max_bytes:,} bytes) allows"
    return data, ""


def save(name: str, data: bytes) -> str:
    """Write `data` under `name` unless it is there (a name always holds the same bytes)."""
    storage = media_storage()
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(data))
