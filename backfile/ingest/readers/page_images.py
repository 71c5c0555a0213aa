"""Folders of page images: one folder an issue, its pages in name order (TIFF, JP2, PNG, JPEG).

Which issue a folder is comes from a sidecar `issue.json` in it or `--issue-from
filename:PATTERN` applied to the folder's name (`issue_identity`). TIFF and JPEG 2000 files
are always taken for page scans; PNG and JPEG files only in a folder with an `issue.json`
or with ALTO/hOCR beside them, because elsewhere they are a site's pictures (the web
formats' readers use them).

Each image is a page (`PageRecord`). Its text is the ALTO (`STEM.xml`) or hOCR
(`STEM.hocr`) file beside it where there is one, used as it is (`existing_text`), else
Tesseract's (`backfile.ingest.ocr`, in the sidecar's language, default English). A JPEG or
PNG is the page's image as it is; a TIFF or JP2 (which browsers do not show) is kept too,
and a JPEG made from it is the page image. So is a photograph stored turned with an EXIF
orientation tag (a phone's, taken sideways): the JPEG made from it is the page upright, and
its text is read upright (unless ALTO or hOCR came beside it, whose boxes are on the
pixels as stored). A multi-page TIFF (an issue scanned into one file) is a page a frame,
named `NAME#page=N` as a PDF's pages are, each read by OCR.

The images are collected as they are fed and read at `finish`, folder by folder (a folder's
files are not always fed one after the other). An image past BACKFILE_MEDIA_MAX_PIXELS, or
one that cannot be decoded, fails by itself (named with why) and the rest of the issue goes in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from backfile.ingest.ocr import Progress, in_parallel
from backfile.ingest.page_records import PageRecord
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.issue_identity import (
    FOLDER_SIDECAR,
    IdentityError,
    identify,
    is_sidecar,
)
from backfile.ingest.readers.ocr_files import OcrFileError, OcrPage, read_ocr_file
from backfile.ingest.readers.page_pictures import (
    OcrJob,
    Scratch,
    job_outcome,
    jpeg_asset,
    max_pixels,
    run_ocr,
    too_many_pixels,
)
from backfile.ingest.readers.pdf import in_ndnp_batch
from backfile.ingest.records import AssetRecord, Failure, Notice, Region, Source
from backfile.ingest.sources import SourceFile

FORMAT = "page-images"
SCAN_SUFFIXES = {".tif", ".tiff", ".jp2", ".j2k", ".jpx"}
WEB_SUFFIXES = {".png", ".jpg", ".jpeg"}
TEXT_SUFFIXES = (".xml", ".hocr")
SIGNATURES = (
    b"II*\x00", b"MM\x00*",  # TIFF
    b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51",  # JPEG 2000 (JP2, codestream)
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff",  # PNG, JPEG
)  # fmt: skip
SHOWN_AS_IS = {"JPEG": "image/jpeg", "PNG": "image/png"}
ORIGINAL_TYPES = {"TIFF": "image/tiff"}  # and JPEG 2000
EXIF_ORIENTATION = 0x0112  # 1: stored as shown; 2–8: mirrored and/or turned
NUMBERS = re.compile(r"(\d+)")
# what Pillow raises for a file it cannot read as an image
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def is_page_image(head: bytes) -> bool:
    return head.startswith(SIGNATURES)


def natural(name: str) -> list:
    """`page2` before `page10`."""
    return [int(part) if part.isdigit() else part.lower() for part in NUMBERS.split(name)]


def companion_of(image: Path) -> Path | None:
    """The ALTO or hOCR file beside a page image, of the same stem; None if there is none."""
    for suffix in TEXT_SUFFIXES:
        for candidate in (image.with_suffix(suffix), image.with_suffix(suffix.upper())):
            if candidate.is_file():
                return candidate
    return None


def existing_text(image: Path, width: int, height: int) -> OcrPage | None:
    """The text that came with a page image, used as it is: the ALTO (`STEM.xml`) or hOCR
    (`STEM.hocr`) file beside it, read by the NDNP reader's parsers with its boxes scaled to
    the image's `width` × `height`; None where there is none, and the page is OCR'd.
    OcrFileError (naming the file) where it cannot be read."""
    companion = companion_of(image)
    if companion is None:
        return None
    return read_ocr_file(companion.read_bytes(), str(companion), (width, height))


def in_page_folder(path: Path) -> bool:
    """PNG and JPEG files are pages in a folder with an issue sidecar, or with ALTO/hOCR."""
    folder = path.parent
    return (folder / FOLDER_SIDECAR).is_file() or companion_of(path) is not None


class PageImagesReader(Reader):
    format = FORMAT
    description = "folders of page images (TIFF, JP2, PNG, JPEG), one folder an issue"
    priority = 46
    streamed = True  # an image is read from its file when its folder is read, not held
    options = ("issue_from", "progress")

    def __init__(self, publication: str | None = None, issue_from=None, progress=None):
        super().__init__(publication)
        self.issue_from = issue_from
        self.progress = progress
        self.folders: dict[str, list[tuple[str, str]]] = {}  # folder → (name, file on disk)
        self.scratch = Scratch()

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        path = Path(file.path)
        if not path.parent.is_dir() or in_ndnp_batch(str(path.parent)):
            return False
        if is_sidecar(file.path):
            return file.head.lstrip().startswith(b"{")
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:  # the ALTO or hOCR of a page image beside it
            return (
                any(path.with_suffix(s).is_file() for s in (*SCAN_SUFFIXES, *WEB_SUFFIXES))
                and (path.parent / FOLDER_SIDECAR).is_file()
            )
        if not is_page_image(file.head):
            return False
        return suffix in SCAN_SUFFIXES or (suffix in WEB_SUFFIXES and in_page_folder(path))

    def feed(self, file: SourceFile) -> Iterator[Output]:
        path = Path(file.path)
        if is_sidecar(file.path):
            yield Notice(file.path, "the issue's identity, for the PDF or page images beside it",
                         kind="issue sidecar")  # fmt: skip
            return
        if path.suffix.lower() in TEXT_SUFFIXES:
            yield Notice(file.path, "the text of the page image beside it", kind="page text")
            return
        # the folder's pages are read at `finish`, when all of them are known
        location = str(path) if path.is_file() else self.scratch.spool(file.stream, path.name)
        self.folders.setdefault(str(path.parent), []).append((file.path, location))

    def finish(self) -> Iterator[Output]:
        try:
            for folder in sorted(self.folders, key=natural):
                yield from self.read_folder(folder, self.folders[folder])
        finally:
            self.scratch.close()

    def read_folder(self, folder: str, images: list[tuple[str, str]]) -> Iterator[Output]:
        try:
            identity = identify(Path(folder), self.publication, self.issue_from)
        except IdentityError as error:
            for name, _ in images:
                yield Failure(name, f"{error} (the folder {Path(folder).name})")
            return
        if not identity.publication:
            for name, _ in images:
                yield Failure(name, "no publication: give --publication or name it in issue.json")
            return
        images = sorted(images, key=lambda item: natural(Path(item[0]).name))
        leaves = list(pages_of(images))
        counter = Progress(Path(folder).name, len(leaves), self.progress)
        pages = (
            prepare(sequence, name, location, self.scratch, identity.language, frame)
            for sequence, (name, location, frame) in enumerate(leaves, start=1)
        )
        for page, future in in_parallel(
            pages, lambda page: run_ocr(page["job"]), lambda page: "job" in page
        ):
            counter.page()
            yield from finished(page, future.result(), identity)


def pages_of(images: list[tuple[str, str]]) -> Iterator[tuple[str, str, int | None]]:
    """Each image file's pages as (name, file, frame): the file itself (frame None), or
    each frame of a multi-page TIFF (one issue scanned into one file), named `NAME#page=N`
    as a PDF's pages are."""
    for name, location in images:
        frames = frame_count(location)
        if frames < 2:
            yield name, location, None
            continue
        for frame in range(frames):
            yield f"{name}#page={frame + 1}", location, frame


def frame_count(location: str) -> int:
    """How many pages a TIFF holds (1 for any other image, or one that will not open: its
    page fails when it is read, saying why)."""
    try:
        with header_only(location) as image:
            return image.n_frames if image.format == "TIFF" else 1
    except UNREADABLE:
        return 1


def prepare(
    sequence: int, name: str, location: str, scratch: Scratch, language: str, frame=None
) -> dict:
    """A page image opened (its size checked before any pixel is decoded), its image asset
    made, and its text found beside it or an OCR job for it; `frame`: which page of a
    multi-page TIFF."""
    base = {"sequence": sequence, "name": name, "notes": []}
    file_name = Path(name.partition("#page=")[0]).name
    shown_name = Path(file_name).stem + ("" if frame is None else f"-{frame + 1}") + ".jpg"
    try:
        with header_only(location) as image:
            if frame is not None:
                image.seek(frame)
            width, height = image.size
            if why := too_many_pixels(width, height):
                return {"failure": Failure(name, f"page {sequence}: {why}")}
            kind = image.format or ""
            # a photograph of a page taken sideways: stored turned, with a tag to turn it
            # (not where text came beside it: its boxes are on the pixels as stored)
            turned = exif_orientation(image) != 1 and companion_of(Path(location)) is None
            if kind in SHOWN_AS_IS and not turned:
                assets = [
                    AssetRecord.of_file(location, media_type=SHOWN_AS_IS[kind],
                                        width=width, height=height, filename=file_name)
                ]  # fmt: skip
                ocr_image = location
                remove = False
            else:
                image.load()
                original = AssetRecord.of_file(
                    location, width=width, height=height, filename=file_name,
                    media_type=SHOWN_AS_IS.get(kind) or ORIGINAL_TYPES.get(kind, "image/jp2"),
                )  # fmt: skip
                if turned:
                    image = ImageOps.exif_transpose(image)
                    width, height = image.size
                    base["notes"].append("turned upright as the image's EXIF orientation says")
                shown = jpeg_asset(image, shown_name)
                assets = [shown, original]
                ocr_image = scratch.write(image)
                remove = True
    except Image.DecompressionBombError:
        limit = max_pixels()
        return {"failure": Failure(name, f"page {sequence}: more than twice the "
                                   f"BACKFILE_MEDIA_MAX_PIXELS ({limit:,}) pixels: refused")}  # fmt: skip
    except UNREADABLE as error:
        return {"failure": Failure(name, f"page {sequence}: not a page image that can be "
                                   f"read ({error})")}  # fmt: skip
    base.update(assets=assets, width=width, height=height)
    try:
        # ALTO or hOCR beside a multi-page TIFF cannot say which page it is: OCR each
        found = existing_text(Path(location), width, height) if frame is None else None
    except OcrFileError as error:
        base["notes"].append(f"{error}; the page was read by OCR instead")
        found = None
    except Exception as error:  # a broken ALTO must not cost the page its image
        base["notes"].append(f"the text beside it could not be read ({error!r}); OCR instead")
        found = None
    if found is not None:
        if ocr_image != location:
            Path(ocr_image).unlink(missing_ok=True)
        base["text_source"], base["blocks"] = found.text_source, found.blocks
        base["figures"] = [Region(sequence, f.x, f.y, f.w, f.h, f.caption) for f in found.figures]
        base["label"] = found.label
        base["notes"].extend(found.notes)
        return base
    base["text_source"] = "ocr"
    base["job"] = OcrJob(ocr_image, language, remove=remove)
    return base


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation tag of an image opened header only (1, as stored, when none or
    unreadable)."""
    try:
        value = image.getexif().get(EXIF_ORIENTATION, 1)
    except (OSError, ValueError, SyntaxError, TypeError):  # a broken EXIF block
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


@contextmanager
def header_only(location: str) -> Iterator[Image.Image]:
    """The image opened with only its header read, Pillow's own bomb check left to ours
    (`too_many_pixels`, made before any pixel is decoded), so the refusal names the size."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(location)
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    with image:
        yield image


def finished(page: dict, job: OcrJob | None, identity) -> list[Output]:
    if "failure" in page:
        return [page["failure"]]
    notes, blocks = job_outcome(page, job)
    shown = page["assets"][0]
    record = PageRecord(
        publication=identity.publication,
        issue=identity.issue,
        sequence=page["sequence"],
        source=Source.of(page["name"], FORMAT, "\n\n".join(b.text for b in blocks)),
        image=shown.sha256,
        width=shown.width,
        height=shown.height,
        text_source=page["text_source"],
        language=identity.bcp47,
        blocks=blocks,
        figures=page.get("figures", []),
        label=page.get("label", ""),
        assets=page["assets"],
        notes=notes,
    )
    if job is not None and job.error:
        return [record, Notice(page["name"], notes[-1])]
    return [record]
