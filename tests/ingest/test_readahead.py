"""Compressed tar archives are decompressed ahead in a thread: same files, same failures."""

from __future__ import annotations

import io
import tarfile
import time
from pathlib import Path

import pytest

from backfile.ingest.readahead import ReadAhead
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


def test_closing_the_stream_early_stops_the_thread():
    endless = io.BytesIO(b"x" * (64 << 20))
    stream = ReadAhead(endless)
    assert stream.read(10) == b"x" * 10

    stream.close()
    deadline = time.monotonic() + 5
    while stream._thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)

    assert not stream._thread.is_alive()
    assert endless.closed
