"""Tar archives are unpacked in a process of their own: same files, same failures, no leftovers."""

from __future__ import annotations

import io
import multiprocessing
import os
import tarfile
import time
from pathlib import Path

import pytest

from backfile.ingest import unpacking
from backfile.ingest.sources import walk

PAGES = {
    f"the-lantern/no-{n}/page.txt": "".join(f"Page {n}, line {i * i * n}.\n" for i in range(5000))
    for n in range(12)
}


def tar_of(path: Path, mode: str) -> Path:
    with tarfile.open(path, mode) as out:
        for name, text in PAGES.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "name, mode",
    [("a.tar.gz", "w:gz"), ("a.tar.xz", "w:xz"), ("a.tar.bz2", "w:bz2"), ("a.tar", "w")],
)
def test_every_member_comes_through_whole_and_in_order(tmp_path, name, mode):
    archive = tar_of(tmp_path / name, mode)

    files = [(f.path.split("!", 1)[1], f.read_bytes().decode()) for f in walk([archive])]

    assert files == list(PAGES.items())


def test_a_cut_short_archive_keeps_the_members_before_the_cut_and_names_the_file(tmp_path):
    whole = tar_of(tmp_path / "whole.tar.xz", "w:xz").read_bytes()
    cut = tmp_path / "cut.tar.xz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])

    files = [(f.path, f.error or contents(f)) for f in walk([cut])]

    whole_members = [path for path, data in files if isinstance(data, bytes)]
    assert 0 < len(whole_members) < len(PAGES)
    last_path, last_error = files[-1]
    assert last_path == str(cut)
    assert "not a readable archive" in last_error


def contents(file) -> bytes | str:
    """The member's bytes, or the error reading it (the member the cut falls in)."""
    try:
        return file.read_bytes()
    except OSError as error:
        return str(error)


def unpackers() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "backfile-unpack"]


def wait_until_gone(deadline: float = 5.0) -> list:
    ends = time.monotonic() + deadline
    while unpackers() and time.monotonic() < ends:
        time.sleep(0.01)
    return unpackers()


def test_a_large_member_streams_in_pieces_and_an_unread_one_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(unpacking, "PIECE_BYTES", 4096)  # the forked unpacker inherits it
    large = b"".join(b"line %d of the export\n" % i for i in range(2000))  # about 11 pieces
    archive = tmp_path / "mixed.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        for name, data in [("a.txt", b"first"), ("big.xml", large), ("b.txt", b"last")] * 2:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))

    read = []
    for number, file in enumerate(walk([archive])):
        if number == 4:  # the second large member is left unread
            continue
        read.append((file.path.split("!")[1], file.read_bytes()))

    assert read == [("a.txt", b"first"), ("big.xml", large), ("b.txt", b"last")] + [
        ("a.txt", b"first"),
        ("b.txt", b"last"),
    ]
    assert not wait_until_gone()


def test_stopping_early_ends_the_unpacking_process(tmp_path):
    # More than the unpacker may hold ahead (its queue and the pipe), so it is still at work.
    archive = tmp_path / "large.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as out:
        for n in range(10):
            data = os.urandom(1 << 20)
            info = tarfile.TarInfo(f"the-lantern/scan-{n}.bin")
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    files = walk([archive])
    next(files).read_bytes()
    assert unpackers()

    files.close()

    assert not wait_until_gone()


def test_a_cut_inside_a_large_member_fails_its_read_and_names_the_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(unpacking, "PIECE_BYTES", 4096)
    whole = tar_of(tmp_path / "whole.tar.xz", "w:xz").read_bytes()  # members of ~100 kB
    cut = tmp_path / "cut.tar.xz"
    cut.write_bytes(whole[: len(whole) // 2])

    files = [(f.path, f.error or contents(f)) for f in walk([cut])]

    assert any(isinstance(data, bytes) for _path, data in files)
    cut_member = [data for path, data in files if "!" in path and isinstance(data, str)]
    assert cut_member and "unpack" not in cut_member[0]  # the damage, not a lost process
    assert files[-1][0] == str(cut)
    assert "not a readable archive" in files[-1][1]
    assert not wait_until_gone()
