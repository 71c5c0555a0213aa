"""A headline set across a born-digital page's columns is read whole, where it stands: the
columns under it are read after it, and a column it does not cross is read by itself. A
table's row that runs across a gutter in the text's own size is not a headline."""

from __future__ import annotations

import re

import pypdfium2

from backfile.ingest.readers.pdf_text import read_page
from backfile.ingest.readers.pdf_words import page_words
from tests.helpers import facsimiles as fx

COLUMNS = (56, 224, 392)  # three columns of 28 characters of 9-point type, 168 points apart


def column(story: int, number: int, top: float, rows: int) -> list[bytes]:
    """A column of lines, each starting with a tag naming its story, column and row."""
    return [
        fx.text_at(COLUMNS[number], top - 12 * row, f"s{story}c{number}r{row:02d} the branch met")
        for row in range(rows)
    ]


def page_text(tmp_path, parts: list[bytes]) -> str:
    pdf = tmp_path / "page.pdf"
    fx.write_pdf([b"".join(parts)], pdf)
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, height = page.get_size()
        textpage = page.get_textpage()
        words = page_words(textpage, height)
        textpage.close()
        page.close()
    finally:
        document.close()
    laid_out = read_page(words, width, height)
    return "\n".join(
        " ".join(words.texts[index] for index in line)
        for _, lines in laid_out.blocks
        for line in lines
    )


def tags(text: str) -> list[str]:
    return re.findall(r"s\dc\dr\d\d", text)


def column_major(story: int, columns: list[int], rows: int) -> list[str]:
    return [f"s{story}c{number}r{row:02d}" for number in columns for row in range(rows)]


def test_two_stories_under_headlines_across_three_columns_read_one_after_the_other(tmp_path):
    first = "Dockers walk out as the port strike spreads north"
    second = "Council sells the old library for flats"
    parts = [fx.text_at(56, 700, first, 21)]
    for number in range(3):
        parts += column(1, number, 670, 12)
    parts.append(fx.text_at(56, 500, second, 21))
    for number in range(3):
        parts += column(2, number, 470, 12)
    text = page_text(tmp_path, parts)
    lines = text.splitlines()
    assert lines[0] == first  # whole, and first
    assert second in lines  # whole
    assert tags(text) == column_major(1, [0, 1, 2], 12) + column_major(2, [0, 1, 2], 12)
    # the second headline stands between the two stories
    assert text.index("s1c2r11") < text.index(second) < text.index("s2c0r00")


def test_a_headline_across_two_columns_leaves_the_third_story_whole(tmp_path):
    """Column one holds a story of its own all the way down; the headline crosses only the
    gutter between columns two and three, over the story under it."""
    headline = "Library sold for flats"
    parts = column(1, 0, 700, 30)
    parts.append(fx.text_at(224, 700, headline, 21))
    parts += column(2, 1, 670, 27) + column(2, 2, 670, 27)
    text = page_text(tmp_path, parts)
    assert headline in text.splitlines()
    assert tags(text) == column_major(1, [0], 30) + column_major(2, [1, 2], 27)
    assert text.index("s1c0r29") < text.index(headline) < text.index("s2c1r00")


def test_a_table_row_across_a_gutter_in_the_text_size_is_not_a_headline(tmp_path):
    """Dot leaders run a cost table's row over the gutter, as in the Federal Register: it is
    read in the columns, as before, not taken for a headline cutting the page in two."""
    parts = []
    for number in range(3):
        parts += column(1, number, 700, 12) + column(2, number, 500, 12)
    row = "Parts cost ............................................... 1 work-hour"
    parts.append(fx.text_at(56, 560, row, 9))
    text = page_text(tmp_path, parts)
    assert tags(text) == column_major(1, [0], 12) + column_major(2, [0], 12) + column_major(
        1, [1], 12
    ) + column_major(2, [1], 12) + column_major(1, [2], 12) + column_major(2, [2], 12)
