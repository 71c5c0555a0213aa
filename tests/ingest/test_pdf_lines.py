"""The PDF layout finds a column's lines for all its words at once (`line_starts`) and falls
back to the rule word by word (`line_starts_in_turn`) where it cannot be sure: whichever
answers, the lines are the rule's, so a page reads the same however fast it is read.
Columns are read one after the other, a word that runs into a gutter with the column its
centre is in; a laid-out page becomes its text and blocks, each line a slice of the page's
word columns."""

from __future__ import annotations

import random

import numpy
import pytest

from backfile.ingest.page_records import TextLine, Word
from backfile.ingest.readers.pdf import blocks_in_pixels
from backfile.ingest.readers.pdf_text import line_starts, line_starts_in_turn, read_page
from backfile.ingest.readers.pdf_words import BREAKS, OTHER_SPACES, TOKEN, PageWords


def column(seed: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Words of a few columns, sorted as the layout sorts them: lines of body type, a raised
    footnote number now and then, a headline in larger type, lines set close or touching."""
    chooser = random.Random(seed)
    middles, heights, groups = [], [], []
    for group in range(chooser.randint(1, 3)):
        y = chooser.uniform(20, 60)
        for _ in range(chooser.randint(1, 40)):
            size = chooser.choice([9.0, 9.0, 9.0, 11.5, 18.0, 0.6])
            for _ in range(chooser.randint(1, 9)):
                raised = chooser.random() < 0.08
                middles.append(y - (size * 0.4 if raised else chooser.uniform(0, 0.3)))
                heights.append(size * (0.6 if raised else 1.0))
                groups.append(group)
            y += size * chooser.choice([1.0, 1.1, 1.25, 0.55, 2.5])
    order = numpy.lexsort((middles, groups))
    return (
        numpy.array(middles)[order],
        numpy.array(heights)[order],
        numpy.array(groups, dtype=numpy.int64)[order],
    )


@pytest.mark.parametrize("seed", range(300))
def test_lines_found_at_once_are_the_rules_lines(seed):
    middles, heights, groups = column(seed)
    at_once = line_starts(middles, heights, groups)
    in_turn = line_starts_in_turn(middles.tolist(), heights.tolist(), groups.tolist())
    assert at_once is None or at_once == in_turn


def test_the_columns_checked_include_many_found_at_once():
    """Else the test above would only compare the rule with itself."""
    found = sum(line_starts(*column(seed)) is not None for seed in range(300))
    assert found >= 20, found


def two_columns() -> PageWords:
    """Two columns of four lines of three words, a paragraph gap after the second line, and
    a word at the end of the left column's first line that runs a little into the gutter."""
    words = []
    for column, left in enumerate((50.0, 250.0)):
        for line in range(4):
            y = 100 + line * 12 + (8 if line >= 2 else 0)
            for number, x in enumerate((left, left + 60, left + 120)):
                words.append((f"c{column}l{line}w{number}", x, y, x + 55, y + 10, False))
    words.append(("over", 227.0, 100.0, 242.0, 110.0, False))  # the gutter: 225 to 250
    random.Random(7).shuffle(words)  # the text layer's order is not the reading order
    return PageWords.of(words)


def test_columns_are_read_one_after_the_other_in_blocks():
    words = two_columns()
    page = read_page(words, 612, 792)
    blocks = [[[words.texts[i] for i in line] for line in lines] for _, lines in page.blocks]
    assert [len(lines) for lines in blocks] == [2, 2, 2, 2]  # the gap starts a block
    assert blocks[0][0] == ["c0l0w0", "c0l0w1", "c0l0w2", "over"]  # its centre is left
    assert [lines[0][0] for lines in blocks] == ["c0l0w0", "c0l2w0", "c1l0w0", "c1l2w0"]


def test_a_laid_out_page_becomes_its_text_and_blocks_in_pixels():
    words = two_columns()
    text, blocks = blocks_in_pixels(words, read_page(words, 612, 792), 2.0)
    assert text == "\n\n".join(block.text for block in blocks)
    assert text.split("\n\n")[0] == "c0l0w0 c0l0w1 c0l0w2 over\nc0l1w0 c0l1w1 c0l1w2"
    first = blocks[0].lines[0]
    assert [(w.text, w.x, w.y, w.w, w.h) for w in first.words][-2:] == [
        ("c0l0w2", 340, 200, 110, 20),
        ("over", 454, 200, 30, 20),
    ]
    assert (blocks[0].x, blocks[0].y, blocks[0].w, blocks[0].h) == (100, 200, 384, 44)


def test_a_line_of_columns_is_the_line_of_its_words():
    columns = (["Dockers", "", "vote"], [1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12])
    packed = TextLine.of_columns(columns, 0, 3)
    made = TextLine(
        [Word("Dockers", 1, 4, 7, 10), Word("", 2, 5, 8, 11), Word("vote", 3, 6, 9, 12)]
    )
    assert packed == made and packed.text == made.text == "Dockers vote"
    assert packed.as_lists() == [["Dockers", 1, 4, 7, 10, None], ["", 2, 5, 8, 11, None],
                                 ["vote", 3, 6, 9, 12, None]]  # fmt: skip
    packed.words[0].text = "Dockers'"  # once made, its words are the line's own
    assert packed.text == "Dockers' vote" and packed != made
    assert TextLine.of_columns(columns, 2, 3).text == "vote"


def test_a_page_text_splits_into_the_same_words_whichever_way_it_is_split():
    """`page_words` splits a page's text with str.split() unless the text holds a character
    that str.split() and the reader's word breaks disagree on (`OTHER_SPACES`)."""
    disagree = [
        character
        for character in map(chr, range(0x110000))
        if (character.isspace() or ord(character) in BREAKS)
        and f"a{character}b".split() != TOKEN.findall(f"a{character}b")
    ]
    assert "\u2003" in disagree and "\ufffe" in disagree  # an em space; a break of PDFium's
    assert all(OTHER_SPACES.search(character) for character in disagree)
    assert not OTHER_SPACES.search("Dockers\u00a0vote\tto strike\r\n")
