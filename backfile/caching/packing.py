"""Stored pages, compressed once: served gzipped to every reader with their own CSRF token.

A page is stored split at its token placeholders. Each part is also kept as raw
deflate data ending on a byte boundary (a full flush: no back-references into
it from what follows), so a gzip body for one reader is the parts' stored deflate
data with the reader's token, compressed on its own, put between them, a final
empty block, and a trailer (CRC-32 and length, computed over the parts as served).
Only the token (a few dozen bytes) is compressed per request; and since it is
compressed apart from the rest of the page, its compressed length says nothing
about the page around it (BREACH has nothing to compare).
"""

from __future__ import annotations

import re
import struct
import zlib

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _deflated(data: bytes, final: bool = False) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


END = _deflated(b"", final=True)  # an empty last block


def pack(body: bytes, placeholder: bytes) -> dict:
    parts = body.split(placeholder)
    return {"parts": parts, "deflated": [_deflated(part) for part in parts]}


def plain(packed: dict, token: bytes) -> bytes:
    return token.join(packed["parts"])


def gzipped(packed: dict, token: bytes) -> bytes:
    parts, deflated = packed["parts"], packed["deflated"]
    token_deflated = _deflated(token) if len(parts) > 1 else b""
    chunks = [GZIP_HEADER]
    crc = size = 0
    for index, (part, part_deflated) in enumerate(zip(parts, deflated, strict=True)):
        if index:
            chunks.append(token_deflated)
            crc, size = zlib.crc32(token, crc), size + len(token)
        chunks.append(part_deflated)
        crc, size = zlib.crc32(part, crc), size + len(part)
    chunks.append(END)
    chunks.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(chunks)
