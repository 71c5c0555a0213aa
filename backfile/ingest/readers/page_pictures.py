"""What the print readers (PDF, page images) share: page images as assets, pixel limits,
temporary files for Tesseract, and OCR of one page as a job for `backfile.ingest.ocr`.

A page image bigger than BACKFILE_MEDIA_MAX_PIXELS (a decompression bomb, or a scan too big
to show) is refused before a pixel is decoded or rendered: `too_many_pixels` says why.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from PIL import Image

from backfile.ingest.ocr import OcrError, OcrPage, recognise
from backfile.ingest.page_records import TextBlock
from backfile.ingest.records import AssetRecord

JPEG_QUALITY = 82


def max_pixels() -> int:
    return int(getattr(settings, "BACKFILE_MEDIA_MAX_PIXELS", 90_000_000))


def too_many_pixels(width: float, height: float) -> str:
    """Why a page image of this size is refused (empty: it is not)."""
    limit = max_pixels()
    if width * height > limit:
        return (
            f"{int(width):,} × {int(height):,} pixels, more than BACKFILE_MEDIA_MAX_PIXELS "
            f"({limit:,}) allows (a decompression bomb, or a scan too large to show)"
        )
    return ""


def jpeg_asset(image: Image.Image, filename: str) -> AssetRecord:
    """The page image as a JPEG asset (grey stays grey)."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False)
    return AssetRecord.of_bytes(
        buffer.getvalue(),
        media_type="image/jpeg",
        width=image.width,
        height=image.height,
        filename=filename,
    )


class Scratch:
    """A temporary folder for the page images Tesseract reads, removed with `close`."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="backfile-ocr-"))
        self._count = 0

    def write(self, image: Image.Image) -> str:
        """The image written uncompressed (fast to write and for Tesseract to read)."""
        self._count += 1
        path = self.folder / f"page-{self._count}.pnm"
        if image.mode not in ("L", "RGB"):
            image = image.convert("L")
        image.save(path, "PPM")
        return str(path)

    def spool(self, stream, name: str) -> str:
        """A stream (an archive member) written to a file, for the libraries that read files."""
        self._count += 1
        path = self.folder / f"source-{self._count}{Path(name).suffix.lower()}"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        return str(path)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class OcrJob:
    """One page to OCR: its image on disk and language; `result` or `error` once done."""

    image_path: str
    language: str
    remove: bool = True  # the image is a temporary file
    result: OcrPage | None = None
    error: str = ""
    extra: dict = field(default_factory=dict)


def job_outcome(page: dict, job: OcrJob | None) -> tuple[list[str], list]:
    """A page's notes and blocks once its OCR (if it had one) is done: the OCR's blocks, or
    the page kept without text and a note saying why."""
    notes = list(page["notes"])
    blocks = page.get("blocks", [])
    if job is not None:
        if job.error:
            notes.append(f"OCR failed, the page is kept without text: {job.error}")
        else:
            blocks = job.result.blocks
            if job.result.turned:
                notes.append(
                    f"the page lies turned in its scan: read turned {job.result.turned}° "
                    "clockwise (the scan is kept as it is)"
                )
    return notes, blocks


def run_ocr(job: OcrJob | None) -> OcrJob | None:
    """A thread's work (`backfile.ingest.ocr.in_parallel`): Tesseract on the job's image."""
    if job is None:
        return None
    try:
        job.result = recognise(job.image_path, job.language)
    except OcrError as error:
        job.error = str(error)
    finally:
        if job.remove:
            with contextlib.suppress(OSError):
                os.unlink(job.image_path)
    return job


def scaled(blocks: list[TextBlock], factor: float) -> list[TextBlock]:
    """Blocks with their boxes (and their words') scaled, for an image of another size."""
    if abs(factor - 1) < 1e-6:
        return blocks
    for block in blocks:
        block.x, block.y = round(block.x * factor), round(block.y * factor)
        block.w, block.h = round(block.w * factor), round(block.h * factor)
        for line in block.lines:
            for word in line.words:
                word.x, word.y = round(word.x * factor), round(word.y * factor)
                word.w, word.h = round(word.w * factor), round(word.h * factor)
    return blocks
