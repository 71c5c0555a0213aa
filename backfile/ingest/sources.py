"""Walk what `backfile ingest` is given: files, folders, and .zip/.tar.gz/.tar.xz archives.

Archives are streamed member by member, never unpacked to disk. Each file is
handed on as a SourceFile: its display path, the first bytes (for format
detection) and a way to read the whole of it once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from charset_normalizer import from_bytes

from backfile.ingest.unpacking import tar_members

HEAD_SIZE = 8192
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2")
SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}


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

    @classmethod
    def unreadable(cls, path: str, error: str) -> SourceFile:
        return cls(path=path, head=b"", stream=io.BytesIO(), error=error)

    def read_bytes(self) -> bytes:
        return self.stream.read()

    def read_text(self) -> str:
        return decode_text(self.read_bytes())


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


def _source_file(path: str, raw: BinaryIO, size: int | None) -> SourceFile:
    head = raw.read(HEAD_SIZE)
    stream = io.BufferedReader(_PrefixedStream(head, raw), buffer_size=1 << 16)
    return SourceFile(path=path, head=head, stream=stream, size=size)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: UTF-8 when it is, else the declared charset, else what charset-normalizer finds.

    Pages that declare ISO-8859-1 are decoded as Windows-1252, as browsers do, so
    curly quotes typed on Windows survive.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        declared = declared.lower()
        if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            declared = "cp1252"
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def walk(paths: list[Path]) -> Iterator[SourceFile]:
    """Every file under `paths`, in a stable order; archives are opened and streamed."""
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _skipped(child.name):
                    yield from _walk_file(child)
        else:
            yield from _walk_file(path)


def _skipped(name: str) -> bool:
    return name in SKIPPED_NAMES or name.startswith("._")


def _walk_file(path: Path) -> Iterator[SourceFile]:
    """One file (or an archive's members); one that cannot be opened does not stop the walk."""
    try:
        if is_archive(path):
            yield from walk_archive(path)
            return
        with path.open("rb") as raw:
            yield _source_file(str(path), raw, path.stat().st_size)
    except SourceError as error:
        yield SourceFile.unreadable(str(path), str(error))
    except OSError as error:
        yield SourceFile.unreadable(str(path), f"cannot read: {error.strerror or error}")


def walk_archive(path: Path) -> Iterator[SourceFile]:
    """Members of a zip or tar archive: a tar unpacked ahead in a process of its own, a zip's
    members read one at a time."""
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.is_dir() or _skipped(Path(info.filename).name):
                        continue
                    with archive.open(info) as raw:
                        yield _source_file(f"{path}!{info.filename}", raw, info.file_size)
        else:
            for member, size, raw in tar_members(path):
                if not _skipped(PurePosixPath(member).name):
                    yield _source_file(f"{path}!{member}", raw, size)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise SourceError(f"{path}: not a readable archive ({error})") from error
