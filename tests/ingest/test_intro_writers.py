"""Writers named in an article's introduction, in the paragraphs set apart before its first break."""

from __future__ import annotations

import pytest

from backfile.ingest.readers.bylines import intro_people
from backfile.ingest.readers.legacy_page import read_page
from tests.ingest.test_legacy_datelines import article_page

BREAK = "- - - - - - - - - - - - - - - -"
BODY = [
    "THE CRANES stood idle for a week, and the shipping lines began to count the cost.",
    "By Friday the port authority had agreed to talk.",
]


@pytest.mark.parametrize(
    ("intro", "writers"),
    [
        (
            [
                "The port has not been shut like this since the war, and the owners want it open.",
                "The dockers say they will stay out. MARA QUIST looks at how it came to this.",
            ],
            ["Mara Quist"],
        ),
        (
            [
                "ANDREW LEE is the convenor of the south quay crane drivers. He spoke to "
                "the Harbour Light's TOMÁS VIDAL about the lockout."
            ],
            ["Tomás Vidal"],
        ),
        (
            [
                "La huelga entra en su segunda semana. JUANA PÉREZ analiza lo que está en juego "
                "para los estibadores."
            ],
            ["Juana Pérez"],
        ),
        (["DID THEY tell the truth about the rota? Nobody on the quay thinks so."], []),
        (["The harbour board talked to ANDREW LEE about the rota."], []),
    ],
)
def test_the_introduction_names_its_writers(intro, writers):
    page = read_page(
        "2007-1/311/311_04_Cranes.php",
        article_page("The cranes stop", "February 16, 2007 | Page 4", [*intro, BREAK, *BODY]),
    )
    assert page.authors == writers


def test_capitals_opening_a_paragraph_after_the_break_are_not_writers():
    page = read_page(
        "2007-1/311/311_05_Rota.php",
        article_page(
            "The rota",
            "February 16, 2007 | Page 5",
            ["A short introduction with nobody named in it.", BREAK, "JOHN DOE explains nothing."],
        ),
    )
    assert page.authors == []
    assert intro_people("JOHN DOE explains the rota") == ["John Doe"]


@pytest.mark.parametrize(
    ("paragraph", "writers"),
    [
        (
            "MARA QUIST--a crane driver on the south quay--tells how the lockout began.",
            ["Mara Quist"],
        ),
        ("JUANA PÉREZ--estibadora del muelle sur--cuenta cómo empezó el cierre.", ["Juana Pérez"]),
        ("But as TOMÁS VIDAL shows, the port has a long history of lockouts.", ["Tomás Vidal"]),
        ("Como LUIS GÓMEZ muestra, el puerto tiene una larga historia de cierres.", ["Luis Gómez"]),
        ("HARBOUR POLLS show that most of the town backs the dockers.", []),
        ("SOUTH QUAY--Crane drivers here--say the owners will not talk.", []),
    ],
)
def test_a_writer_named_with_an_aside_or_inside_as_is_found(paragraph, writers):
    assert intro_people(paragraph) == writers
