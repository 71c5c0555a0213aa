"""The pictures of an export: each article's asset records, and their files beside the JSONL."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from backfile.ingest.records import AssetRecord
from backfile.media.files import export_path
from backfile.media.models import Asset
from backfile.media.storage import media_storage


def figure_hashes(blocks: Iterable[dict]) -> Iterator[str]:
    """The SHA-256 of every picture the blocks' figures show, in reading order."""
    for block in blocks:
        for use in block.get("assets", ()):
            if use.get("sha256"):
                yield use["sha256"]
        if block.get("blocks"):
            yield from figure_hashes(block["blocks"])


def article_assets(blocks: list[dict], cover: str = "") -> list[AssetRecord]:
    """The asset records of the pictures an article's figures show, each once, in order, and
    then its issue's `cover` (a SHA-256), if any."""
    hashes = list(dict.fromkeys([*figure_hashes(blocks), *([cover] if cover else [])]))
    if not hashes:
        return []
    stored = {a.sha256: a for a in Asset.objects.filter(sha256__in=hashes)}
    return [asset_record(stored[h], with_location=True) for h in hashes if h in stored]


def asset_record(asset: Asset, with_location: bool = False) -> AssetRecord:
    """The stored asset as a record; `location` is its original's name in the media storage."""
    return AssetRecord(
        sha256=asset.sha256,
        media_type=asset.media_type,
        width=asset.width,
        height=asset.height,
        filename=asset.filename,
        source_url=asset.source_url,
        alt=asset.alt,
        caption=asset.caption,
        credit=asset.credit,
        location=asset.original if with_location else "",
    )


class AssetFiles:
    """Copies the originals of exported assets into `folder` (the JSONL file's folder), each
    once; without a folder it only counts those it could not write."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.written: set[str] = set()
        self.skipped: set[str] = set()
        self.missing: set[str] = set()  # stored pictures whose file the storage no longer has

    def add(self, assets: list[AssetRecord]) -> None:
        for asset in assets:
            if not asset.location or asset.sha256 in self.written:
                continue
            if self.folder is None:
                self.skipped.add(asset.sha256)
                continue
            target = self.folder / export_path(asset.sha256, asset.media_type)
            self.written.add(asset.sha256)
            if target.exists() and target.stat().st_size:
                continue  # content-addressed: the same name holds the same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            try:
                with (
                    media_storage().open(asset.location, "rb") as source,
                    partial.open("wb") as out,
                ):
                    shutil.copyfileobj(source, out, 1 << 20)
            except FileNotFoundError:  # the record still names it: its line reads back
                partial.unlink(missing_ok=True)
                self.written.discard(asset.sha256)
                self.missing.add(asset.sha256)
                continue
            partial.replace(target)
