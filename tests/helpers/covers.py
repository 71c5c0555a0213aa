"""Issues with covers, for tests: a record's issue names a picture made with Pillow as its
cover, the picture travelling as one of the record's assets (docs/jsonl-format.md)."""

from __future__ import annotations

from backfile.ingest.records import ArticleRecord, AssetRecord
from tests.helpers.pictures import MadePicture, photo


def cover_picture(seed: int = 0, width: int = 420, height: int = 560) -> MadePicture:
    """A portrait JPEG, as a magazine's cover is."""
    data = photo(width, height, seed)
    return MadePicture(data, "image/jpeg", f"covers/cover-{seed}.jpg", width, height)


def with_cover(
    record: ArticleRecord, picture: MadePicture, alt: str = "", with_bytes: bool = True
) -> ArticleRecord:
    """The record, its issue's cover `picture` (its bytes given, unless not `with_bytes`)."""
    record.issue.cover = picture.sha256
    if all(asset.sha256 != picture.sha256 for asset in record.assets):
        record.assets.append(
            AssetRecord(
                sha256=picture.sha256,
                media_type=picture.media_type,
                width=picture.width,
                height=picture.height,
                filename=picture.filename,
                alt=alt,
                content=picture.data if with_bytes else None,
            )
        )
    return record
