"""Issues' covers on the year and issue pages: the picture an issue's `cover` names.

An issue's cover is one asset, named by its SHA-256 like a figure's pictures, so it is
stored once and shown in the same `<picture>` (WebP and JPEG sizes, width and height,
lazy). Its alt text is the asset's own, or says whose cover it is. A cover whose file
could not be read, or that names no stored picture, is not shown: the page is as it
would be without one.
"""

from __future__ import annotations

from collections.abc import Iterable

from backfile.media.models import Asset
from backfile.media.rendering import Shown, shown


def with_covers(issues: Iterable) -> None:
    """Give each issue its `cover_picture` (a `Shown` ready to show, or None), with one
    query for all their covers and none when no issue has one."""
    issues = list(issues)
    hashes = {issue.cover for issue in issues if issue.cover}
    stored = {a.sha256: a for a in Asset.objects.filter(sha256__in=hashes)} if hashes else {}
    for issue in issues:
        issue.cover_picture = cover_picture(issue, stored.get(issue.cover))


def cover_picture(issue, asset: Asset | None) -> Shown | None:
    if asset is None:
        return None
    picture = shown(
        {"alt": asset.alt or f"Cover of {issue.publication.name}, {issue.label}"}, asset
    )
    return picture if picture.ready else None
