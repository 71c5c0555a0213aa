"""Decompression bombs: `backfile ingest` in a subprocess, its peak memory read from the kernel.

A tar.xz and a zip, each a few hundred kilobytes holding a gigabyte of page
capture text (the article a reader would find there has the key of one already
stored), are ingested beside sources that are fine. The bombs fail naming the
file and the setting, everything else goes in, the stored article is as it was,
and no process of the ingest held more than PEAK_LIMIT_MB.
"""

from __future__ import annotations

import bz2
import lzma
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.ingest.test_wxr_memory import MEASURE

PEAK_LIMIT_MB = 500
BOMB_BYTES = 1 << 30
HEADER = "1950s >> 1951 >> no-8-april-1951\n\nLow Water\n\n"
PARAGRAPH = b"The tide went out and the strike went on through the whole of the winter.\n\n"


def capture(title: str, body: str = "The tide went out.") -> str:
    return f"1950s >> 1951 >> no-8-april-1951\n\n{title}\n\n{body}\n\nA. Writer\n"


def bomb_chunks(size: int):
    """A page capture of `size` bytes: the header, then one paragraph again and again."""
    yield HEADER.encode()
    left = size - len(HEADER)
    chunk = PARAGRAPH * ((1 << 20) // len(PARAGRAPH))
    while left > 0:
        piece = chunk[:left]
        left -= len(piece)
        yield piece


def write_tar_xz(path: Path, good: bytes) -> None:
    """A tar.xz of a fine capture and a gigabyte one, compressed as a stream (never in memory)."""
    compressor = lzma.LZMACompressor(preset=0)
    with path.open("wb") as out:

        def write(data: bytes) -> None:
            out.write(compressor.compress(data))

        for name, size, chunks in [
            ("the-lantern/high-water.txt", len(good), [good]),
            ("the-lantern/low-water.txt", BOMB_BYTES, bomb_chunks(BOMB_BYTES)),
        ]:
            info = tarfile.TarInfo(name)
            info.size = size
            write(info.tobuf(format=tarfile.GNU_FORMAT))
            for chunk in chunks:
                write(chunk)
            write(b"\0" * (-size % tarfile.BLOCKSIZE))
        write(b"\0" * (2 * tarfile.BLOCKSIZE))
        out.write(compressor.flush())


def write_zip(path: Path, good: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("the-lantern/neap-tide.txt", good)
        with archive.open("the-lantern/low-water.txt", "w", force_zip64=True) as member:
            for chunk in bomb_chunks(BOMB_BYTES):
                member.write(chunk)


def ingest(database: Path, *paths: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "backfile.cli", "--db", str(database), "ingest"]
    arguments = [*map(str, paths), "--publication", "The Lantern", "--quiet"]
    return subprocess.run(
        [sys.executable, "-c", MEASURE, *command, *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def article(database: Path, title: str) -> tuple[str, str] | None:
    with sqlite3.connect(database) as stored:
        return stored.execute(
            "SELECT a.blocks, s.text FROM archive_article a "
            "JOIN archive_articlesource s ON s.article_id = a.id WHERE a.title = ?",
            (title,),
        ).fetchone()


@pytest.mark.slow
def test_bombs_fail_in_bounded_memory_and_leave_the_stored_article_alone(tmp_path):
    database = tmp_path / "archive.sqlite3"
    first = tmp_path / "low-water.txt"
    first.write_text(capture("Low Water"), encoding="utf-8")
    assert ingest(database, first).returncode == 0
    before = article(database, "Low Water")
    assert before is not None
    bombs = tmp_path / "bombs"
    bombs.mkdir()
    tar = bombs / "lantern.tar.xz"
    write_tar_xz(tar, capture("High Water").encode())
    zipped = bombs / "lantern.zip"
    write_zip(zipped, capture("Neap Tide").encode())
    fine = tmp_path / "spring-tide.txt"
    fine.write_text(capture("Spring Tide"), encoding="utf-8")
    assert tar.stat().st_size + zipped.stat().st_size < 16 << 20

    done = ingest(database, tar, zipped, fine)

    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed: ")]
    assert any(
        line.startswith(f"failed: {tar}: the archive expands more than 100 times")
        and "BACKFILE_INGEST_MAX_RATIO" in line
        for line in failed
    ), failed
    assert any(
        line.startswith(f"failed: {zipped}!the-lantern/low-water.txt: it expands more than 100")
        and "BACKFILE_INGEST_MAX_RATIO" in line
        for line in failed
    ), failed
    summary, peak_kb = done.stdout.strip().splitlines()[-2:]
    assert "added 3," in summary  # High Water, Neap Tide, Spring Tide
    peak_mb = int(peak_kb) / 1024
    print(f"two 1 GB bombs: peak memory {peak_mb:.0f} MB (limit {PEAK_LIMIT_MB} MB)")
    assert peak_mb < PEAK_LIMIT_MB, f"peak memory {peak_mb:.0f} MB"
    assert article(database, "Low Water") == before
    for title in ("High Water", "Neap Tide", "Spring Tide"):
        assert article(database, title) is not None, title


# Walks an archive as `backfile ingest` does and prints the unpacking process's peak memory (kB).
WALK = (
    "import resource, sys\n"
    "from pathlib import Path\n"
    "from backfile.ingest.sources import walk\n"
    "for file in walk([Path(sys.argv[1])]):\n"
    "    print(file.path, file.error, sep='\\t')\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
UNPACKER_LIMIT_MB = 100


@pytest.mark.slow
def test_a_bzip2_bomb_is_unpacked_a_piece_at_a_time(tmp_path):
    """A kilobyte or two of bzip2 holds 256 MB of zeros; tarfile's own streaming reader
    decompresses each block it reads whole, so the unpacker would hold all of it at once."""
    archive = tmp_path / "zeros.tar.bz2"
    compressor = bz2.BZ2Compressor(1)
    size = 256 << 20
    with archive.open("wb") as out:
        info = tarfile.TarInfo("zeros.txt")
        info.size = size
        out.write(compressor.compress(info.tobuf(format=tarfile.GNU_FORMAT)))
        zeros = b"\0" * (16 << 20)
        for _ in range(size // len(zeros)):
            out.write(compressor.compress(zeros))
        out.write(compressor.compress(b"\0" * (2 * tarfile.BLOCKSIZE)))
        out.write(compressor.flush())
    assert archive.stat().st_size < 4096

    done = subprocess.run(
        [sys.executable, "-c", WALK, str(archive)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )

    *files, peak_kb = done.stdout.strip().splitlines()
    assert files[-1].startswith(f"{archive}\tthe archive expands more than 100 times")
    peak_mb = int(peak_kb) / 1024
    print(f"256 MB in bzip2: unpacker peak memory {peak_mb:.0f} MB")
    assert peak_mb < UNPACKER_LIMIT_MB, f"unpacker peak memory {peak_mb:.0f} MB"
