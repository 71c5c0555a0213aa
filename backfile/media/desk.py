"""Pictures put in on the editors' desk: an upload checked as the ingest checks a file, stored
like any picture (once, by SHA-256, with its display sizes), and placed where it is shown.

An upload is refused, with a sentence naming the file and the problem, when it is larger
than BACKFILE_INGEST_MAX_MEMBER_BYTES, past BACKFILE_MEDIA_MAX_PIXELS (Pillow reads only its
header to know), damaged, or of a kind Backfile does not show; nothing about a file makes
the desk answer 500. Pictures are named by their bytes, so replacing a picture's file
makes a new asset and points its uses (figures, covers) at it: the earlier file stays
stored, and the revisions of the articles and issues that showed it bring it back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.html import format_html

from backfile.ingest.records import AssetRecord
from backfile.media.images import MEDIA_TYPES, UNKNOWN_TYPE, Picture, examine
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from backfile.media.store import AssetStore

KINDS_SHOWN = ", ".join(sorted(MEDIA_TYPES))  # AVIF, BMP, GIF, JPEG, PNG, TIFF, WEBP


@dataclass
class Upload:
    """A file an editor uploaded, read and examined."""

    name: str
    data: bytes
    picture: Picture

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def examined_upload(file: UploadedFile) -> Upload:
    """The upload, once Pillow has read it; forms.ValidationError saying why not."""
    name = file.name or "the file"
    most = settings.BACKFILE_INGEST_MAX_MEMBER_BYTES
    if file.size is not None and file.size > most:
        raise forms.ValidationError(
            f"{name} is {file.size:,} bytes, more than BACKFILE_INGEST_MAX_MEMBER_BYTES "
            f"({most:,} bytes) allows."
        )
    data = file.read(most + 1)
    if len(data) > most:
        raise forms.ValidationError(
            f"{name} is more than BACKFILE_INGEST_MAX_MEMBER_BYTES ({most:,} bytes) allows."
        )
    picture = examine(data, settings.BACKFILE_MEDIA_MAX_PIXELS)
    if picture.problem or picture.media_type == UNKNOWN_TYPE or not picture.derivatives:
        why = picture.problem or "not a kind of picture the site shows"
        raise forms.ValidationError(
            f"{name} cannot be used: {why}. Upload a picture ({KINDS_SHOWN})."
        )
    return Upload(name=name, data=data, picture=picture)


def store_upload(
    upload: Upload, alt: str = "", caption: str = "", credit: str = "", like: Asset | None = None
) -> Asset:
    """The asset of the uploaded bytes: stored now with its display sizes, or the one already
    stored (given its file if it had none). Alt text, caption and credit given here, else
    those of `like` (the picture it replaces), fill what the asset lacks; a picture already
    stored keeps what it says, since other articles may show it (a figure can say its own:
    `figure_block`). A revision by the editor."""
    stored = Asset.objects.filter(sha256=upload.sha256).first()
    if stored is None or not stored.original:
        record = AssetRecord(
            sha256=upload.sha256,
            media_type=upload.picture.media_type,
            filename=upload.name,
            source_url=like.source_url if like else "",
        )
        AssetStore().save_examined(record, stored, upload.data, upload.picture)
    asset = Asset.objects.get(sha256=upload.sha256)
    for name, value in (("alt", alt), ("caption", caption), ("credit", credit)):
        value = value or (getattr(like, name) if like else "")
        if value and not getattr(asset, name):
            setattr(asset, name, value)
    asset._change_reason = (f"replaces {like.sha256}" if like else "uploaded on the editors' desk")[
        :100
    ]
    asset.save()  # a revision, with the editor's name (simple_history's middleware)
    return asset


def figure_block(asset: Asset, caption: str = "", credit: str = "", alt: str = "") -> dict:
    """A figure showing one picture, as the body stores it (keys sorted); its alt text is the
    asset's own (edited with it) unless `alt` says otherwise for this figure."""
    alt = "" if alt == asset.alt else alt
    use = {"alt": alt, "caption": "", "credit": "", "sha256": asset.sha256, "url": ""}
    block: dict = {"assets": [use]}
    if credit:
        block["credit"] = credit
    block.update({"text": caption, "type": "figure"})
    return block


def with_figure(blocks: list[dict], figure: dict) -> list[dict]:
    """The body with the figure at its end (before the notes, which stay last)."""
    if blocks and blocks[-1].get("type") == "notes":
        return [*blocks[:-1], figure, blocks[-1]]
    return [*blocks, figure]


def replaced_in(blocks: list[dict], old: str, new: str) -> tuple[list[dict], int]:
    """The body with every use of the picture `old` showing `new`; how many uses changed."""
    changed = 0
    result = []
    for block in blocks:
        block = dict(block)
        if block.get("assets"):
            uses = []
            for use in block["assets"]:
                if isinstance(use, dict) and use.get("sha256") == old:
                    use = {**use, "sha256": new}
                    changed += 1
                uses.append(use)
            block["assets"] = uses
        if block.get("blocks"):
            block["blocks"], inner = replaced_in(block["blocks"], old, new)
            changed += inner
        result.append(block)
    return result, changed


def showing(queryset, field: str, sha256: str):
    """The rows whose JSON `field` may name the picture (a text search; check each)."""
    return queryset.annotate(_text=Cast(field, TextField())).filter(_text__contains=sha256)


def preview(asset: Asset | None) -> str:
    """The picture's thumbnail for the desk, or a word saying there is none."""
    size = asset.thumbnail if asset else None
    if not size:
        return "No picture to show" + (f" ({asset.problem})" if asset and asset.problem else "")
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">',
        media_storage().url(size["name"]),
        size["width"],
        size["height"],
        asset.alt,
    )
