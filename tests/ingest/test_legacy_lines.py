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


def body_of(line_html: str) -> list[str]:
    from backfile.ingest.readers.legacy_page import read_page

    page = read_page(
        "2011-1/200/200_09_Quay.php",
        '<p><font face="Times" size="5"><b>The quay reopens</b></font></p>'
        '<p><font face="Arial" size="2">May 4, 2011 | Page 2</font></p>'
        "<p>The harbour board reopened the north quay on Monday morning.</p>"
        f"<p>{line_html}</p>",
    )
    return [block.text for block in page.blocks]


@pytest.mark.parametrize(
    "navigation",
    [
        'Return to the <a href="../../index.php">main page</a>',
        'Back to the <a href="../index.html">home page</a>',
        'Volver a la <a href="../../index.php">portada</a>',
        'Regresar a la <a href="/">página principal</a>',
    ],
)
def test_a_line_leading_to_a_linked_index_page_is_navigation_not_text(navigation):
    assert body_of(navigation) == ["The harbour board reopened the north quay on Monday morning."]


def test_words_around_a_link_to_an_index_page_are_text_when_they_say_more():
    line = 'Read the <a href="../../index.php">union statement</a> on the strike'
    assert body_of(line)[-1] == "Read the union statement on the strike"
