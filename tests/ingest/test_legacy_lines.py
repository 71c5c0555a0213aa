"""The legacy reader's lines: their whitespace collapsed as `str.split` would, by a shortcut
that trusts every whitespace character but the space not to be printable."""

from __future__ import annotations

import sys

import pytest

from backfile.ingest.readers.legacy_lines import collapsed

# every character str.split cuts at (no list kept by hand: Unicode's own, as this Python has it)
WHITESPACE = [c for c in map(chr, range(sys.maxunicode + 1)) if not c.split()]


def test_the_shortcut_holds_for_every_whitespace_character():
    assert " " in WHITESPACE and "\u3000" in WHITESPACE and "\x85" in WHITESPACE
    assert [c for c in WHITESPACE if c.isprintable()] == [" "]


@pytest.mark.parametrize("space", WHITESPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_any_whitespace_collapses_as_split_would(space):
    for text in (
        f"Dockers{space}vote to strike",
        f"{space}Dockers vote{space}",
        f"Dockers {space} vote",
        f"Dockers{space}{space}vote{space}to{space}strike",
        f"Huelga{space}en el puerto de Bilbao",
    ):
        assert collapsed(text) == " ".join(text.split()), repr(text)


def test_plain_lines_come_back_stripped_and_single_spaced():
    assert collapsed("  The port reopens  ") == "The port reopens"
    assert collapsed("The  port\treopens") == "The port reopens"
    assert collapsed("") == ""
    assert collapsed(" \n ") == ""
