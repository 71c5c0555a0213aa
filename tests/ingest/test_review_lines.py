"""The line heading a review (`BOOKS: Author, Title. Publisher, 1999, $12.`) read as the work reviewed."""

from __future__ import annotations

import pytest

from backfile.ingest.readers.review_lines import parse_review_line


@pytest.mark.parametrize(
    ("html", "kind", "title", "author", "publisher", "year", "price"),
    [
        (
            "<b>BOOKS:</b> Mara Quist, <b><i>Harbour Lights: Dockers, Ships and Strikes.</i></b>"
            " Tidewater Press, 1998, 312 pages, $18.50.",
            "book",
            "Harbour Lights: Dockers, Ships and Strikes",
            "Mara Quist",
            "Tidewater Press",
            1998,
            "$18.50",
        ),
        (
            "<b>BOOKS: <i>The Long Shift.</i></b> Peter Vance, Coalface Books, 2001, 96 pages, $9.",
            "book",
            "The Long Shift",
            "Peter Vance",
            "Coalface Books",
            2001,
            "$9",
        ),
        (
            "MUSIC: The Rivets, Steel Town Songs, Loudhailer Records, 2003.",
            "music",
            "Steel Town Songs",
            "The Rivets",
            "",
            2003,
            "",
        ),
        (
            "MOVIES: <i>Night Ferry</i>, directed by Ines Brandt, written by Olaf Brandt,"
            " starring Tom Ashby.",
            "film",
            "Night Ferry",
            "Ines Brandt",
            "",
            None,
            "",
        ),
        (
            "<b>CINE:</b> <i>La huelga larga</i>, dirigida por Lucía Ferrer Peña, 2004.",
            "film",
            "La huelga larga",
            "Lucía Ferrer Peña",
            "",
            2004,
            "",
        ),
        (
            "<b>LIBROS:</b> Andrés Molina, <i>Los años del puerto.</i> Editorial Marea, 1999,"
            " 240 páginas.",
            "book",
            "Los años del puerto",
            "Andrés Molina",
            "Editorial Marea",
            1999,
            "",
        ),
    ],
)
def test_a_review_line_names_the_work(html, kind, title, author, publisher, year, price):
    text = html.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "")
    found = parse_review_line(text, html)
    assert found is not None, text
    got_kind, work = found
    assert (got_kind, work.title, work.author, work.publisher, work.year, work.price) == (
        kind,
        title,
        author,
        publisher,
        year,
        price,
    )


@pytest.mark.parametrize(
    "text",
    [
        "CHICAGO: Three hundred workers walked out on Monday, the first strike since 1998.",
        "OTHER ARTICLES BELOW: the strike, the vote",
        "Books: a paragraph that merely begins with a word and a colon, in 2004.",
        "BOOKS: " + "a very long paragraph, " * 40 + "2002.",
    ],
)
def test_a_paragraph_that_only_looks_like_one_is_left_alone(text):
    assert parse_review_line(text, "") is None
