"""Where an export keeps its pictures: `assets/<first two hex digits>/<sha256>.<ext>` beside
the JSONL file, each file once however many articles use it. Plain paths, no database: the
JSONL reader finds a record's pictures with `locate`, the export writes them with `write`."""

from __future__ import annotations

import re
from pathlib import Path

from backfile.ingest.records import AssetRecord
from backfile.media.images import extension

FOLDER = "assets"


def export_path(sha256: str, media_type: str) -> str:
    """The picture's path relative to the JSONL file's folder."""
    return f"{FOLDER}/{sha256[:2]}/{sha256}.{extension(media_type)}"


def locate(assets: list[AssetRecord], source: str) -> None:
    """Point each asset at its file beside `source` (a JSONL file on disk); a JSONL read from
    inside an archive has no folder beside it, and its assets stay without bytes."""
    folder = Path(source).parent
    if "!" in source or not folder.is_dir():
        return
    for asset in assets:
        if not asset.location and asset.content is None:
            asset.location = str(folder / export_path(asset.sha256, asset.media_type))


EXPORTED = re.compile(rf"(?:^|[/!]){FOLDER}/([0-9a-f]{{2}})/(\1[0-9a-f]{{62}})\.[a-z0-9]+$")
PICTURE_SIGNATURES = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
)


def is_export_asset(path: str) -> bool:
    """A file in an export's `assets/` folder (a picture, a page image, an issue's PDF)."""
    return bool(EXPORTED.search(path.replace("\\", "/")))


def is_picture_file(path: str, head: bytes) -> bool:
    """A file the records beside it use rather than a source of its own: an export's asset
    (`assets/ab/<sha256>.jpg`, whatever it holds) or a picture (by its first bytes). The
    ingest reads it through the record that names it, not as a source."""
    if is_export_asset(path):
        return True
    if head.startswith(PICTURE_SIGNATURES):
        return True
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP" or head[4:12] in (b"ftypavif", b"ftypavis")
