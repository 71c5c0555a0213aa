"""One reader per source format; `READERS` is the order formats are tried in."""

from __future__ import annotations

from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.capture import CaptureReader
from backfile.ingest.readers.jsonl import JsonlReader
from backfile.ingest.readers.legacy_html import LegacyHtmlReader
from backfile.ingest.readers.wxr import WxrReader
from backfile.ingest.sources import SourceFile

# Most specific first: a JSONL export or WXR file is recognised before the looser formats.
READERS: tuple[type[Reader], ...] = (JsonlReader, WxrReader, LegacyHtmlReader, CaptureReader)


def detect(file: SourceFile) -> type[Reader] | None:
    """The reader for this file, judged from its content; None when no format fits."""
    for cls in READERS:
        if cls.sniff(file):
            return cls
    return None


__all__ = ["READERS", "Output", "Reader", "SourceFile", "detect"]
