"""Walk what `backfile ingest` is given: files, folders, and .zip/.tar.gz/.tar.xz archives.

Archives are streamed member by member, never unpacked to disk. Each file is
handed on as a SourceFile: its display path, the first bytes (for format
detection) and a way to read the whole of it once.

Every file's bytes are counted as they are read, so the ingest limits
(`backfile.ingest.limits`) stop a read at the limit rather than after it: a zip
member that expands past the ratio, a file past the bytes its reader may hold.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from backfile.ingest.limits import LimitExceeded, Limits
from backfile.ingest.text import Decoded, decode_source
from backfile.ingest.unpacking import UnpackerDied, tar_members

HEAD_SIZE = 8192
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2")
SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
SKIPPED_WHY = "a file the operating system keeps (folder view settings, resource forks)"
# A folder's own documentation: any Markdown or reStructuredText file (no reader reads
# them), and a read-me or licence as plain text (`README`, `LICENSE.txt`); about the
# sources, not one of them. (`readme.html` is read: a site may have such a page.)
DOCUMENTATION_STEMS = {"readme", "license", "licence", "copying"}
DOCUMENTATION_SUFFIXES = {".md", ".markdown", ".rst"}
DOCUMENTATION_WHY = "the folder's documentation (a read-me, a licence), not a source"


class SourceError(Exception):
    """A path that cannot be walked at all (missing, unreadable, a broken archive)."""


@dataclass
class SourceFile:
    """One file to read. `stream` is positioned at the start and may be read once."""

    path: str
    head: bytes
    stream: BinaryIO
    size: int | None = None
    error: str = ""  # set when the file could not be opened; the pipeline reports it
    limits: Limits = Limits()
    measured: _Measured | None = None  # what counts the bytes read from `stream`
    max_chars: int | None = None  # set where the file becomes one article
    skipped: str = ""  # why the file is passed over unread (a file the system keeps)

    @classmethod
    def unreadable(cls, path: str, error: str) -> SourceFile:
        return cls(path=path, head=b"", stream=io.BytesIO(), error=error)

    def read_bytes(self) -> bytes:
        return self.stream.read()

    def read_text(self) -> str:
        return self.decoded(self.read_bytes()).text

    def decoded(self, data: bytes, declared: str | None = None) -> Decoded:
        """`data` (this file's bytes) as text, with what was mended on the way (its `notices()`
        for the report: see `backfile.ingest.text`); LimitExceeded where one article may not
        hold it."""
        decoded = decode_source(data, declared)
        if self.max_chars is not None and len(decoded.text) > self.max_chars:
            raise LimitExceeded(self.limits.too_many_characters(len(decoded.text)))
        return decoded

    def hold_one_article(self) -> None:
        """This file is read whole and becomes (at most) one article: refuse it, before or
        while it is read, past the bytes and characters one article may have."""
        allowance, refusal = self.limits.one_article_bytes()
        self.max_chars = self.limits.article_chars
        if self.size is not None and self.size > allowance:
            raise LimitExceeded(refusal)
        if self.measured is not None:
            self.measured.allow(allowance, refusal)


class _Measured(io.RawIOBase):
    """A file's bytes counted as they are read. Past its allowance, or expanded more than the
    ratio allows from its compressed size (a zip member's), reading stops with LimitExceeded."""

    def __init__(self, raw: BinaryIO, limits: Limits, compressed: int | None = None):
        self._raw = raw
        self._limits = limits
        self._compressed = compressed
        self._allowance: int | None = None
        self._refusal = ""
        self.count = 0

    def allow(self, allowance: int, refusal: str) -> None:
        self._allowance, self._refusal = allowance, refusal

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._raw.read(len(buffer))
        n = len(chunk)
        buffer[:n] = chunk
        self.count += n
        if self._allowance is not None and self.count > self._allowance:
            raise LimitExceeded(self._refusal)
        if self._compressed is not None and (
            refusal := self._limits.too_expanded(self.count, self._compressed)
        ):
            raise LimitExceeded(refusal)
        return n


class _PrefixedStream(io.RawIOBase):
    """The bytes already read for sniffing, followed by the rest of the underlying stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _source_file(
    path: str, raw: BinaryIO, size: int | None, limits: Limits, compressed: int | None = None
) -> SourceFile:
    measured = _Measured(raw, limits, compressed)
    head = _read_up_to(measured, HEAD_SIZE)
    stream = io.BufferedReader(_PrefixedStream(head, measured), buffer_size=1 << 16)
    return SourceFile(
        path=path, head=head, stream=stream, size=size, limits=limits, measured=measured
    )


def _read_up_to(raw: io.RawIOBase, size: int) -> bytes:
    """The first `size` bytes of `raw` (fewer only at its end)."""
    parts, got = [], 0
    while got < size and (chunk := raw.read(size - got)):
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def without_path(reason: str, path: Path) -> str:
    """A SourceError's reason without the path it starts with (the report gives it beside)."""
    return reason.removeprefix(f"{path}: ")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def walk(
    paths: list[Path], limits: Limits | None = None, with_skipped: bool = False
) -> Iterator[SourceFile]:
    """Every file under `paths`, in a stable order; archives are opened and streamed.
    `with_skipped`: files the system keeps (`.DS_Store`) and a folder's documentation
    (`README.md`) come too, unread, with `skipped` set."""
    limits = limits or Limits()
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                why = _skipped(child.name)
                if why is None:
                    yield from _walk_file(child, limits)
                elif with_skipped:
                    yield SourceFile(
                        str(child), b"", io.BytesIO(), skipped=f"{why}: skipped unread"
                    )
        else:
            yield from _walk_file(path, limits)


def _skipped(name: str) -> str | None:
    """Why a file of this name is not read (a file the system keeps, the folder's
    documentation), or None: it is read."""
    if name in SKIPPED_NAMES or name.startswith("._"):
        return SKIPPED_WHY
    suffix = PurePosixPath(name.lower()).suffix
    stem = name.lower().removesuffix(suffix)
    if suffix in DOCUMENTATION_SUFFIXES or (stem in DOCUMENTATION_STEMS and suffix in ("", ".txt")):
        return DOCUMENTATION_WHY
    return None


def _walk_file(path: Path, limits: Limits) -> Iterator[SourceFile]:
    """One file (or an archive's members); one that cannot be opened does not stop the walk."""
    try:
        if is_archive(path):
            yield from walk_archive(path, limits)
            return
        with path.open("rb") as raw:
            yield _source_file(str(path), raw, path.stat().st_size, limits)
    except SourceError as error:
        yield SourceFile.unreadable(str(path), without_path(str(error), path))
    except OSError as error:
        yield SourceFile.unreadable(str(path), f"cannot read: {error.strerror or error}")


def walk_archive(path: Path, limits: Limits | None = None) -> Iterator[SourceFile]:
    """Members of a zip or tar archive: a tar unpacked ahead in a process of its own, a zip's
    members read one at a time, each refused past the ratio the limits allow."""
    limits = limits or Limits()
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            yield from _zip_members(path, limits)
        else:
            for member, size, raw in tar_members(path, limits):
                if _skipped(PurePosixPath(member).name) is None:
                    yield _source_file(f"{path}!{member}", raw, size, limits)
    except (LimitExceeded, UnpackerDied) as error:
        raise SourceError(f"{path}: {error}") from error
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise SourceError(f"{path}: not a readable archive ({error})") from error


def _zip_members(path: Path, limits: Limits) -> Iterator[SourceFile]:
    """A zip's members in order; one whose header says it expands past the ratio is refused
    unread (and one whose header lies, as it is read)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir() or _skipped(Path(info.filename).name) is not None:
                continue
            where = f"{path}!{info.filename}"
            if refusal := limits.too_expanded(info.file_size, info.compress_size):
                yield SourceFile.unreadable(where, refusal)
                continue
            with archive.open(info) as raw:
                yield _source_file(where, raw, info.file_size, limits, info.compress_size)
