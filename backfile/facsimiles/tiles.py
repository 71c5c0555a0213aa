"""IIIF Image API 3 at level 0: static tiles of every page image, made once with libvips.

A page image (a `media.Asset`, named by its SHA-256) is cut by `pyvips.Image.dzsave(layout=
"iiif3")` into 512-pixel JPEG tiles at every scale, written to the media storage under
`iiif/<sha256>/<region>/<size>/0/default.jpg`, with `iiif/<sha256>/info.json` last: its
presence says the tiles are complete (nothing half-written is ever announced). The stored
info.json holds a placeholder id; the view serving it writes the deployment's own address in
(`BACKFILE_BASE_URL`), so one set of tiles serves any address the archive moves to.

A Chronicling America page scan (2650×3297) makes 61 files (3.6 MB) in 0.3 s; a 300 dpi
broadsheet page (5000×7000), about 190.

Tiles are made when the loader announces stored pages (`signals.pages_stored`) and by
`backfile make-tiles`. A page whose image is missing, unreadable or over
BACKFILE_MEDIA_MAX_PIXELS gets no tiles and a notice; the page view still shows its text.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from backfile.media.models import Asset
from backfile.media.storage import media_storage

log = logging.getLogger(__name__)

TILE_SIZE = 512
QUALITY = 80
FOLDER = "iiif"
PLACEHOLDER_ID = "https://backfile.invalid/iiif"
SKIPPED = {"vips-properties.xml"}


def info_name(sha256: str) -> str:
    return f"{FOLDER}/{sha256}/info.json"


def tile_name(sha256: str, path: str) -> str:
    return f"{FOLDER}/{sha256}/{path}"


def has_tiles(sha256: str) -> bool:
    return bool(sha256) and media_storage().exists(info_name(sha256))


@dataclass
class Made:
    sha256: str
    files: int = 0
    problem: str = ""


def make_tiles(asset: Asset, again: bool = False) -> Made:
    """Cut one page image into tiles (unless they exist and `again` is not asked)."""
    made = Made(asset.sha256)
    try:
        import pyvips
    except (ImportError, OSError) as error:  # the binding loads libvips itself
        made.problem = (
            f"page image {asset}: no tiles made: libvips cannot be loaded ({error}); install it "
            "(Debian: apt-get install libvips42) and run backfile make-tiles"
        )
        return made
    storage = media_storage()
    if has_tiles(asset.sha256) and not again:
        return made
    if not asset.original:
        made.problem = f"page image {asset}: its file is not in the archive; no tiles made"
        return made
    if asset.width and asset.height and asset.width * asset.height > _max_pixels():
        made.problem = (
            f"page image {asset}: {asset.width}×{asset.height} pixels is more than "
            f"BACKFILE_MEDIA_MAX_PIXELS ({_max_pixels():,}) allows; no tiles made"
        )
        return made
    try:
        with storage.open(asset.original, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        made.problem = (
            f"page image {asset}: its file {asset.original} is missing from the media storage; "
            "no tiles made"
        )
        return made
    try:
        image = pyvips.Image.new_from_buffer(data, "", access="sequential")
        if image.width * image.height > _max_pixels():
            made.problem = (
                f"page image {asset}: {image.width}×{image.height} pixels is more than "
                f"BACKFILE_MEDIA_MAX_PIXELS ({_max_pixels():,}) allows; no tiles made"
            )
            return made
        image = _for_jpeg(image)
        with tempfile.TemporaryDirectory(prefix="backfile-tiles-") as folder:
            root = Path(folder) / asset.sha256
            image.dzsave(
                str(root),
                layout="iiif3",
                id=PLACEHOLDER_ID,
                tile_size=TILE_SIZE,
                overlap=0,
                suffix=f".jpg[Q={QUALITY},strip]",
            )
            if again:
                remove_tiles(asset.sha256)
            for path in sorted(_files(root)):
                if path == "info.json":
                    continue
                _put(tile_name(asset.sha256, path), (root / path).read_bytes())
                made.files += 1
            _put(info_name(asset.sha256), (root / "info.json").read_bytes())
            made.files += 1
    except (pyvips.Error, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        made.problem = f"page image {asset}: cannot be cut into tiles ({reason})"
        made.files = 0
    return made


def _max_pixels() -> int:
    return settings.BACKFILE_MEDIA_MAX_PIXELS


def _for_jpeg(image):
    """The image as 8-bit sRGB or grey without alpha, which JPEG tiles can hold."""
    if image.hasalpha():
        image = image.flatten(background=[255])
    if image.interpretation not in ("b-w", "srgb"):
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _files(root: Path) -> Iterator[str]:
    for path in root.rglob("*"):
        if path.is_file() and path.name not in SKIPPED:
            yield path.relative_to(root).as_posix()


def _put(name: str, data: bytes) -> None:
    storage = media_storage()
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(data))


def remove_tiles(sha256: str) -> None:
    """Delete a page image's tiles, info.json first (so none is announced half-removed)."""
    storage = media_storage()
    if storage.exists(info_name(sha256)):
        storage.delete(info_name(sha256))
    for name in _stored_under(f"{FOLDER}/{sha256}"):
        storage.delete(name)


def _stored_under(folder: str) -> Iterator[str]:
    storage = media_storage()
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_under(f"{folder}/{sub}")


def stored_info(sha256: str) -> dict | None:
    """The stored info.json of a page image, or None where it has no (readable) tiles."""
    try:
        with media_storage().open(info_name(sha256), "rb") as handle:
            info = json.loads(handle.read())
    except (FileNotFoundError, OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def make_for_pages(pages: Iterable, again: bool = False, progress=None) -> list[Made]:
    """Tiles for the images of `pages` (each image once); `progress(done, total)` after each."""
    hashes = list(dict.fromkeys(page.image for page in pages if page.image))
    assets = {a.sha256: a for a in Asset.objects.filter(sha256__in=hashes)}
    results = []
    for done, sha256 in enumerate(hashes, start=1):
        asset = assets.get(sha256)
        if asset is None:
            results.append(Made(sha256, problem=f"page image {sha256[:12]}: not in the archive"))
        else:
            try:
                results.append(make_tiles(asset, again=again))
            except Exception as error:  # a storage's own error (S3): one image, not the batch
                problem = f"page image {asset}: its tiles could not be stored ({error})"
                results.append(Made(sha256, problem=problem))
        if progress:
            progress(done, len(hashes))
    for result in results:
        if result.problem:
            log.warning("%s", result.problem)
    return results
