"""One reader per source format; `READERS` is the order formats are tried in."""

from __future__ import annotations

from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.sources import SourceFile


def reader_classes() -> list[type[Reader]]:
    """Most specific first: a JSONL export or WXR file is recognised before the looser formats."""
    from backfile.ingest.readers.capture import CaptureReader
    from backfile.ingest.readers.jsonl import JsonlReader
    from backfile.ingest.readers.legacy_html import LegacyHtmlReader
    from backfile.ingest.readers.wxr import WxrReader

    return [JsonlReader, WxrReader, LegacyHtmlReader, CaptureReader]


def detect(file: SourceFile) -> type[Reader] | None:
    for cls in reader_classes():
        if cls.sniff(file):
            return cls
    return None


__all__ = ["Output", "Reader", "SourceFile", "detect", "reader_classes"]
