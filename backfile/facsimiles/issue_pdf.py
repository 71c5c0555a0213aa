"""An issue as one PDF where its source gave none: its page images, one to a page.

An issue read from a PDF keeps that PDF (`Issue.pdf`), and that is what readers download. An
issue made of scans (a folder of page images, an NDNP batch) has none; for it a PDF is made
on the first request and kept in the media storage under a name made from its pages' images
(`iiif/pdf/<sha256>.pdf`), so a changed page makes a new one and an unchanged issue is never
made twice.

Each page is the page image's widest JPEG display size (1600 pixels wide, a reading copy: the
archival scan stays downloadable page by page) put into the PDF as it is, JPEG bytes
unchanged (DCTDecode), with no decoding or re-encoding: a 500-page issue costs the copying of
its JPEGs and no more memory than one of them. A page is printed at 300 dpi of its scan's
size. A page without a usable image is left out; an issue with none has no PDF.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterable

from django.core.files import File
from PIL import Image

from backfile.media.models import Asset
from backfile.media.storage import media_storage

RECIPE = "pdf-v1"  # in the stored name: a change of recipe makes new files
SCAN_DPI = 300
COLOUR_SPACES = {"L": "/DeviceGray", "RGB": "/DeviceRGB"}


def stored_name(pages: list) -> str:
    digest = hashlib.sha256("\n".join([RECIPE, *(p.image for p in pages)]).encode()).hexdigest()
    return f"iiif/pdf/{digest}.pdf"


def issue_pdf(pages: Iterable) -> str | None:
    """The stored name of the PDF of these pages (made now if it is not stored yet); None
    where no page has an image to show."""
    pages = [p for p in pages if p.image]
    assets = {a.sha256: a for a in Asset.objects.filter(sha256__in={p.image for p in pages})}
    shown = [(p, assets[p.image]) for p in pages if p.image in assets and _jpeg(assets[p.image])]
    if not shown:
        return None
    name = stored_name([p for p, _asset in shown])
    storage = media_storage()
    if storage.exists(name):
        return name
    with tempfile.TemporaryFile() as out:
        written = write_pdf(out, shown)
        if not written:
            return None
        out.seek(0)
        if storage.exists(name):  # made meanwhile by another request
            return name
        return storage.save(name, File(out))


def _jpeg(asset: Asset) -> dict | None:
    sizes = sorted(asset.sizes("jpg"), key=lambda d: d["width"])
    return sizes[-1] if sizes else None


def write_pdf(out, pages: list[tuple]) -> int:
    """Write the PDF of `pages` ((page, asset) pairs) to `out`, one page image in memory at a
    time; the number of pages written."""
    storage = media_storage()
    writer = _Writer(out)
    writer.object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = []
    for page, asset in pages:
        size = _jpeg(asset)
        try:
            with storage.open(size["name"], "rb") as handle:
                data = handle.read()
            with Image.open(io.BytesIO(data)) as probe:
                width, height, mode = probe.width, probe.height, probe.mode
        except (OSError, ValueError):
            continue  # its file is missing or damaged: the page is left out
        if mode not in COLOUR_SPACES:
            continue
        page_width = (page.width or asset.width or width) * 72 / SCAN_DPI
        page_height = page_width * height / width
        number = 3 + 3 * len(kids)
        contents, image = number + 1, number + 2
        kids.append(number)
        writer.object(
            number,
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_width:.2f} {page_height:.2f}]"
                f" /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {contents} 0 R >>"
            ).encode(),
        )
        drawing = f"q {page_width:.2f} 0 0 {page_height:.2f} 0 0 cm /Im0 Do Q".encode()
        writer.stream(contents, b"", drawing)
        header = (
            f"/Type /XObject /Subtype /Image /Width {width} /Height {height}"
            f" /ColorSpace {COLOUR_SPACES[mode]} /BitsPerComponent 8 /Filter /DCTDecode"
        ).encode()
        writer.stream(image, header, data)
    if not kids:
        return 0
    listed = " ".join(f"{k} 0 R" for k in kids)
    writer.object(2, f"<< /Type /Pages /Kids [{listed}] /Count {len(kids)} >>".encode())
    writer.finish(root=1)
    return len(kids)


class _Writer:
    """The few parts of a PDF file this needs: numbered objects, streams, the cross-reference."""

    def __init__(self, out):
        self.out = out
        self.offsets: dict[int, int] = {}
        self.position = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def object(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.position
        self._write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    def stream(self, number: int, entries: bytes, data: bytes) -> None:
        self.offsets[number] = self.position
        self._write(f"{number} 0 obj\n<< ".encode() + entries)
        self._write(f" /Length {len(data)} >>\nstream\n".encode())
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def finish(self, root: int) -> None:
        start = self.position
        size = max(self.offsets) + 1
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        lines.append(f"trailer\n<< /Size {size} /Root {root} 0 R >>\nstartxref\n{start}\n%%EOF\n")
        self._write("".join(lines).encode())
