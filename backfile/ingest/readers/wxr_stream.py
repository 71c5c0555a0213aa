"""The bytes a WordPress export is parsed from: without the control characters XML forbids,
and never more of one item at a time than the ingest limits allow."""

from __future__ import annotations

from typing import BinaryIO

from backfile.ingest.limits import LimitExceeded

# C0 controls but tab, newline and carriage return: not allowed anywhere in XML 1.0.
FORBIDDEN_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


class WithoutControlBytes:
    """A byte stream without the control characters XML forbids, counting those removed.

    WordPress exports them where a post was pasted from a word processor, and
    one would stop the parse. A sniffed export is in an ASCII-compatible encoding,
    where these bytes never occur inside another character, so removing them
    leaves every other character (and every line number) as it was.

    It also keeps the parser from holding more than `item_bytes` of one item (or other
    child of the channel) in memory: reading more than that since the last `item_done()`
    raises LimitExceeded.
    """

    def __init__(self, raw: BinaryIO, item_bytes: int | None = None):
        self.raw = raw
        self.removed = 0
        self.item_bytes = item_bytes
        self.read_total = 0
        self.item_start = 0

    def item_done(self) -> None:
        self.item_start = self.read_total

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.raw.read(size)
            self.read_total += len(chunk)
            if self.item_bytes is not None and self.read_total - self.item_start > self.item_bytes:
                raise LimitExceeded(f"larger than {self.item_bytes:,} bytes")
            kept = chunk.translate(None, FORBIDDEN_CONTROL_BYTES)
            self.removed += len(chunk) - len(kept)
            if kept or not chunk:  # an empty read is the end, never a chunk of nothing but controls
                return kept
