"""Search in the language each article is written in: Spanish articles are stemmed as
Spanish, English ones as English, and a query (which says no language) finds both.
Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL: the same analysis on both."""

from __future__ import annotations

import pytest

from backfile.search.backends import search
from backfile.search.highlight import Highlighter
from backfile.search.query import parse
from backfile.search.text import index_text
from tests.search.conftest import record

pytestmark = pytest.mark.django_db

# Written for these tests: the Spanish verbs are in forms the English stemmer leaves apart.
HUELGA = record(
    "huelga-muelle",
    "Los estibadores votaron la huelga",
    "Los estibadores del muelle votaron ayer la huelga indefinida.\n\n"
    "La asamblea decidió que las grúas quedarían paradas hasta que la empresa negociara.",
    year=2006,
    month=11,
)
STRIKE = record(
    "dock-strike",
    "Dockers vote to strike",
    "The dockers on the quay voted for an indefinite strike yesterday.\n\n"
    "The meeting decided the cranes would stand idle until the company negotiated.",
    year=2006,
    month=11,
)


@pytest.fixture
def both(store):
    store(HUELGA, STRIKE)


def keys(q: str) -> set[str]:
    return {hit.article.key for hit in search(q).hits}


def test_a_spanish_article_is_indexed_with_spanish_stems():
    assert index_text("votaron negociara", "es").terms == "vot negoci"
    assert index_text("votaron negociara").terms == "votaron negociara"


def test_a_spanish_word_finds_its_other_forms_in_a_spanish_article(both):
    assert keys("votar") == {"huelga-muelle"}  # the article says `votaron`
    assert keys("negociar grúa") == {"huelga-muelle"}  # `negociara`, `grúas`
    assert keys('"votaron la huelga"') == {"huelga-muelle"}


def test_english_articles_are_found_as_before(both):
    assert keys("voting") == {"dock-strike"}
    assert keys("negotiate crane") == {"dock-strike"}
    assert keys("strik*") == {"dock-strike"}


def test_the_highlighter_marks_the_forms_it_matched():
    marked = Highlighter(parse("votar")).mark("Los estibadores votaron ayer.")
    assert marked == "Los estibadores <mark>votaron</mark> ayer."
