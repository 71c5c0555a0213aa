"""The readers, one per source format, and the registry that finds them.

A reader is a `Reader` subclass (see `base.py`). Backfile's own readers are
always present; a package adds one for a site of its own by declaring it in the
entry-point group `backfile.readers` (see docs/readers.md), with no change to
Backfile. Built-in readers are declared there too (pyproject.toml), so every
reader is found the same way.

Formats are tried in an explicit order: by each reader's `priority` (lower
first), then by its `format` name. The built-in readers take 10 (jsonl), 20 (wxr),
24 (ndnp: issue METS, ALTO, hOCR, and the page images and PDFs a METS names), 30
(legacy-html) and 40 (capture): the most specific formats first, so that a
JSONL export or WXR file is recognised before the looser formats. The print
readers, 45 (pdf) and 46 (page-images), know their files by binary signatures
(`%PDF-`, an image's magic bytes) no text format shares. A reader that does not
say takes 50, after them.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import entry_points

from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.capture import CaptureReader
from backfile.ingest.readers.jsonl import JsonlReader
from backfile.ingest.readers.legacy_html import LegacyHtmlReader
from backfile.ingest.readers.ndnp import NdnpReader
from backfile.ingest.readers.page_images import PageImagesReader
from backfile.ingest.readers.pdf import PdfReader
from backfile.ingest.readers.wxr import WxrReader
from backfile.ingest.sources import SourceFile

ENTRY_POINT_GROUP = "backfile.readers"
BUILT_IN: tuple[type[Reader], ...] = (
    JsonlReader, WxrReader, NdnpReader, LegacyHtmlReader, CaptureReader, PdfReader,
    PageImagesReader,
)  # fmt: skip
# The built-in order, for code that wants only Backfile's own readers.
READERS = BUILT_IN

log = logging.getLogger("backfile.ingest")


@cache
def registered() -> tuple[type[Reader], ...]:
    """Every reader, built-in and installed, in the order formats are tried."""
    found: dict[type[Reader], None] = dict.fromkeys(BUILT_IN)
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = entry_point.load()
        except Exception as error:  # a broken plug-in must not stop every ingest
            log.warning("reader %r (%s) could not be loaded: %r", entry_point.name,
                        entry_point.value, error)  # fmt: skip
            continue
        if not (isinstance(cls, type) and issubclass(cls, Reader) and getattr(cls, "format", "")):
            log.warning("reader %r (%s) is not a Reader subclass with a format; left out",
                        entry_point.name, entry_point.value)  # fmt: skip
            continue
        found.setdefault(cls)
    return tuple(sorted(found, key=lambda cls: (cls.priority, cls.format)))


def refresh() -> tuple[type[Reader], ...]:
    """Look for installed readers again (after a package was installed in this process)."""
    registered.cache_clear()
    return registered()


def detect(file: SourceFile) -> type[Reader] | None:
    """The reader for this file, judged from its content; None when no format fits."""
    for cls in registered():
        if cls.sniff(file):
            return cls
    return None


__all__ = [
    "BUILT_IN", "ENTRY_POINT_GROUP", "READERS", "Output", "Reader", "SourceFile", "detect",
    "refresh", "registered",
]  # fmt: skip
