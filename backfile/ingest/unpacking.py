"""Tar archives (plain, .gz, .xz, .bz2) unpacked in a process of their own, ahead of the reader.

Decompressing a .tar.xz and parsing its headers (pure Python in `tarfile`) was
a sixth of the work of the process that stores the archive, which is the one
every other part of an ingest waits for. A forked process does it on another
core and sends the members through a pipe, many small ones to a message.

The unpacker works ahead of the reader rather than in step with it, each
waiting for the other: its messages wait in a queue (and a pipe widened on
Linux) for a thread to send them. Memory stays bounded: unpacking waits while
the queue is full, and a large member (a WordPress export inside a tarball)
comes in pieces that the reader streams. The process ends when the walk does, when the
reader stops early (its end of the pipe closes) and when the reading process is
killed (its writes fail).

Decompression is bounded: the unpacker decompresses a piece at a time (never a
whole block of a bz2 or xz stream at once) and stops with a LimitExceeded once
the archive has expanded past the ratio the ingest limits allow
(`backfile.ingest.limits`). A member past the limit, and every one after it,
is not sent; the members before it are.
"""

from __future__ import annotations

import bz2
import contextlib
import fcntl
import gzip
import io
import lzma
import multiprocessing
import queue
import signal
import tarfile
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO

from backfile.ingest.limits import LimitExceeded, Limits

MESSAGE_BYTES = 1 << 18  # small members travel together up to about this much
PIECE_BYTES = 1 << 18  # a member larger than this travels in pieces of this size
PIPE_BYTES = 1 << 20  # Linux's largest pipe for an unprivileged process: four messages
AHEAD_MESSAGES = 24  # unpacked and waiting for room in the pipe: six megabytes at most
MESSAGE_MEMBERS = 512


class UnpackError(OSError):
    """The archive could not be read to its end; the members before the damage came through."""


class UnpackerDied(UnpackError):
    """The unpacking process ended before the archive did (killed, out of memory)."""


def tar_members(path: Path, limits: Limits | None = None) -> Iterator[tuple[str, int, BinaryIO]]:
    """(name, size, stream) for each regular file of the tar archive, in archive order.

    A member's stream may be read or left unread; it is good only until the next
    member is asked for. Raises UnpackError where the archive stops being readable,
    UnpackerDied where the unpacking process was killed, LimitExceeded where the
    archive expands past the ratio `limits` allow.
    """
    limits = limits or Limits()
    context = multiprocessing.get_context("fork")
    incoming, outgoing = context.Pipe(duplex=False)
    _widen(incoming)
    unpacker = context.Process(
        target=_unpack,
        args=(path, incoming, outgoing, limits),
        name="backfile-unpack",
        daemon=True,
    )
    unpacker.start()
    outgoing.close()  # the unpacker's end now has one writer, so a dead unpacker reads as EOF

    def died() -> UnpackerDied:
        return UnpackerDied(_death_of(unpacker))

    try:
        yield from _receive(incoming, died)
    finally:
        incoming.close()  # an unpacker still sending finds the pipe closed and stops
        unpacker.join(timeout=5)
        if unpacker.is_alive():
            unpacker.kill()
            unpacker.join()


def _widen(pipe: Connection) -> None:
    """Let the pipe hold PIPE_BYTES where the system allows (Linux); elsewhere keep its size."""
    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _death_of(unpacker: multiprocessing.process.BaseProcess) -> str:
    """What became of an unpacking process whose pipe closed before the archive's end."""
    unpacker.join(timeout=5)
    code = unpacker.exitcode
    if code is not None and code < 0:
        try:
            how = f"was killed ({signal.Signals(-code).name})"
        except ValueError:
            how = f"was killed (signal {-code})"
    elif code is not None:
        how = f"ended with status {code}"
    else:
        how = "stopped answering"
    return (
        f"the unpacking process {how} before the end of the archive: the members before "
        "were read, the rest were not (run the same command again to finish)"
    )


def _receive(
    incoming: Connection, died: Callable[[], UnpackError]
) -> Iterator[tuple[str, int, BinaryIO]]:
    while True:
        try:
            kind, *content = incoming.recv()
        except EOFError:
            raise died() from None
        if kind == "files":
            for name, data in content[0]:
                yield name, len(data), io.BytesIO(data)
        elif kind == "large":
            name, size = content
            pieces = _Pieces(incoming, died)
            yield name, size, io.BufferedReader(pieces, buffer_size=PIECE_BYTES)
            pieces.skip_rest()
        elif kind == "error":
            raise UnpackError(content[0])
        elif kind == "limit":
            raise LimitExceeded(content[0])
        else:  # "done"
            return


class _Pieces(io.RawIOBase):
    """A large member's bytes as they arrive, piece by piece, up to its end marker."""

    def __init__(self, incoming: Connection, died: Callable[[], UnpackError]):
        self._incoming = incoming
        self._died = died
        self._piece = memoryview(b"")
        self._ended = False
        self._error: Exception | None = None  # why the archive stopped inside this member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._piece and not self._ended:
            self._next_piece()
        n = min(len(buffer), len(self._piece))
        buffer[:n] = self._piece[:n]
        self._piece = self._piece[n:]
        return n

    def skip_rest(self) -> None:
        """Read past what the reader left of this member, so the next message is the next member's."""
        while not self._ended:
            self._next_piece()
        self._piece = memoryview(b"")
        if self._error is not None:
            raise self._error

    def _next_piece(self) -> None:
        try:
            kind, *content = self._incoming.recv()
        except EOFError:
            self._ended, self._error = True, self._died()
            raise self._error from None
        if kind == "piece":
            self._piece = memoryview(content[0])
        elif kind == "end":
            self._ended = True
        else:  # "error" or "limit": the archive is damaged or too large inside this member
            problem = LimitExceeded if kind == "limit" else UnpackError
            self._ended, self._error = True, problem(content[0])
            raise self._error


def _unpack(path: Path, incoming: Connection, outgoing: Connection, limits: Limits) -> None:
    """The unpacking process: every regular file of the archive, sent in order."""
    incoming.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reading process's to handle
    outbox = _Outbox(outgoing)
    waiting: list[tuple[str, bytes]] = []
    waiting_bytes = 0
    reading = ""  # the member whose bytes are being unpacked

    def send_waiting() -> None:
        nonlocal waiting, waiting_bytes
        if waiting:
            outbox.put(("files", waiting))
            waiting, waiting_bytes = [], 0

    try:
        try:
            with path.open("rb") as raw, _tar_stream(raw, limits) as archive:
                for member in archive:
                    if not member.isfile():
                        continue
                    stream = archive.extractfile(member)
                    if stream is None:
                        continue
                    reading = member.name
                    if member.size > PIECE_BYTES:
                        send_waiting()
                        outbox.put(("large", member.name, member.size))
                        while piece := stream.read(PIECE_BYTES):
                            outbox.put(("piece", piece))
                        outbox.put(("end",))
                        reading = ""
                        continue
                    waiting.append((member.name, stream.read()))
                    reading = ""
                    waiting_bytes += member.size
                    if waiting_bytes >= MESSAGE_BYTES or len(waiting) >= MESSAGE_MEMBERS:
                        send_waiting()
            send_waiting()
            outbox.put(("done",))
        except BrokenPipeError:
            raise
        except LimitExceeded as error:  # what came before the limit still counts
            send_waiting()
            where = f"; stopped in {reading}" if reading else ""
            outbox.put(("limit", f"{error}{where}: the members before were read, the rest not"))
        except Exception as error:  # a damaged archive: what came before it still counts
            send_waiting()
            outbox.put(("error", str(error) or type(error).__name__))
        outbox.finish()
    except BrokenPipeError:
        pass  # the reader has stopped (or was killed): nothing left to do
    finally:
        outgoing.close()


MAGIC = (  # as tarfile's "r|*" tells them apart
    (b"\x1f\x8b", gzip.open),
    (b"BZh", bz2.open),
    (b"\xfd7zXZ", lzma.open),
    (b"\x5d\x00\x00\x80", lzma.open),
)


@contextlib.contextmanager
def _tar_stream(raw: BinaryIO, limits: Limits) -> Iterator[tarfile.TarFile]:
    """The archive read as a stream, decompressed a piece at a time and measured: compressed
    bytes in, tar bytes out. tarfile's own "r|*" decompresses each block it reads whole, so a
    few kilobytes of bzip2 can become gigabytes in one call."""
    compressed = _Counted(raw)
    magic = compressed.peek(6)
    opener = next((o for prefix, o in MAGIC if magic.startswith(prefix)), None)
    if opener is None:
        expanded = _Counted(compressed)
    else:
        decompressing = opener(compressed, mode="rb")
        expanded = _Counted(
            decompressing,
            check=lambda out: limits.too_expanded(out, compressed.count, "the archive"),
        )
    with tarfile.open(fileobj=expanded, mode="r|") as archive:
        yield archive


class _Counted(io.RawIOBase):
    """A stream's bytes, counted as they are read; `check(count)` may refuse to go on."""

    def __init__(self, raw: BinaryIO, check: Callable[[int], str | None] | None = None):
        self._raw = raw
        self._check = check
        self._peeked = b""
        self.count = 0

    def readable(self) -> bool:
        return True

    def peek(self, size: int) -> bytes:
        """The first `size` bytes (fewer at the end), read again by the next read."""
        while len(self._peeked) < size and (more := self._raw.read(size - len(self._peeked))):
            self._peeked += more
        return self._peeked

    def readinto(self, buffer) -> int:
        if self._peeked:
            n = min(len(buffer), len(self._peeked))
            buffer[:n] = self._peeked[:n]
            self._peeked = self._peeked[n:]
        else:
            chunk = self._raw.read(len(buffer))
            n = len(chunk)
            buffer[:n] = chunk
        self.count += n
        if self._check is not None and (refusal := self._check(self.count)):
            raise LimitExceeded(refusal)
        return n


class _Outbox:
    """Messages for the reader, sent by a thread, so that unpacking goes on while the pipe
    is full (up to AHEAD_MESSAGES waiting) instead of in step with the reader."""

    def __init__(self, outgoing: Connection):
        self._queue: queue.Queue[tuple | None] = queue.Queue(AHEAD_MESSAGES)
        self._reader_gone = threading.Event()
        self._sender = threading.Thread(target=self._send_all, args=(outgoing,), daemon=True)
        self._sender.start()

    def put(self, message: tuple | None) -> None:
        """Queue a message; BrokenPipeError once the reader has gone."""
        while not self._reader_gone.is_set():
            try:
                self._queue.put(message, timeout=0.1)
                return
            except queue.Full:
                continue
        raise BrokenPipeError

    def finish(self) -> None:
        """Wait until every queued message is in the pipe."""
        self.put(None)
        self._sender.join()

    def _send_all(self, outgoing: Connection) -> None:
        try:
            while (message := self._queue.get()) is not None:
                outgoing.send(message)
        except OSError:  # the pipe is closed: the reader stopped early or was killed
            self._reader_gone.set()
