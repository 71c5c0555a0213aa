"""The dateline grammar: every form of date, pages and number, in English and Spanish.

The lines are written for these tests (no corpus text); each says what a reader of the
printed page would take from it.
"""

from __future__ import annotations

import pytest

from backfile.ingest.readers.datelines import LANGUAGES, Words, parse_date, parse_dateline

# (line, (year, month, day), pages, issue number, language)
LINES = [
    # English, month first and day first, with every separator and none
    ("July 4, 2003 | Page 8", (2003, 7, 4), "8", None, "en"),
    ("4 July 2003 | Page 8", (2003, 7, 4), "8", None, "en"),
    ("July 4, 2003 -- Pages 6 and 7", (2003, 7, 4), "6 and 7", None, "en"),
    ("July 4, 2003, Pages 6-7", (2003, 7, 4), "6-7", None, "en"),
    ("July 4, 2003 Pages 10 to 13", (2003, 7, 4), "10 to 13", None, "en"),
    ("Sept. 12, 2003 | p. 3", (2003, 9, 12), "3", None, "en"),
    ("sept 12, 2003 | pp. 4-5", (2003, 9, 12), "4-5", None, "en"),
    ("Friday, Sept. 12th, 2003 | Page 2", (2003, 9, 12), "2", None, "en"),
    ("Dec 5 2003 | Issue 412", (2003, 12, 5), "", 412, "en"),
    ("No. 412 | December 5, 2003", (2003, 12, 5), "", 412, "en"),
    ("Number 9, April 1977", (1977, 4, None), "", 9, "en"),
    ("April 1977 | Page 3", (1977, 4, None), "3", None, "en"),
    ("Posted March 2, 2007 | Page 4", (2007, 3, 2), "4", None, "en"),
    ("Published on Friday, March 2, 2007", (2007, 3, 2), "", None, "en"),
    ("Edition 42 | March 2007", (2007, 3, None), "", 42, "en"),
    # English ranges and seasons: dated by their first month, never to a day
    ("November-December 2006 | Page 5", (2006, 11, None), "5", None, "en"),
    ("Dec 2006/Jan 2007 | Pages 2 and 3", (2006, 12, None), "2 and 3", None, "en"),
    ("Spring 2004 | Page 4", (2004, 3, None), "4", None, "en"),
    ("Winter 2004-5 | Issue 31", (2004, 12, None), "", 31, "en"),
    ("Winter 2005", (2005, 1, None), "", None, "en"),
    ("Autumn/Winter 2004, p. 9", (2004, 9, None), "9", None, "en"),
    # Spanish, day first, month alone, abbreviations with and without their dot
    ("4 de julio de 2003 | página 3", (2003, 7, 4), "3", None, "es"),
    ("4 de julio de 2003 -- páginas 4 y 5", (2003, 7, 4), "4 y 5", None, "es"),
    ("abril de 2001 | página 3", (2001, 4, None), "3", None, "es"),
    ("abril de 2001 página 3", (2001, 4, None), "3", None, "es"),
    ("3 dic. 2004, pág. 3", (2004, 12, 3), "3", None, "es"),
    ("3 de dic de 2004 | págs. 6 y 7", (2004, 12, 3), "6 y 7", None, "es"),
    ("sábado 5 de julio de 2003 | núm. 40", (2003, 7, 5), "", 40, "es"),
    ("Nº 40 | 5 de julio de 2003", (2003, 7, 5), "", 40, "es"),
    ("número 40, julio de 2003", (2003, 7, None), "", 40, "es"),
    ("N° 41 -- agosto de 2003", (2003, 8, None), "", 41, "es"),
    ("Edición 42 | marzo de 2007", (2007, 3, None), "", 42, "es"),
    ("Publicado el viernes 2 de marzo de 2007", (2007, 3, 2), "", None, "es"),
    # Spanish ranges and seasons
    ("noviembre-diciembre de 2006 | páginas 2 y 3", (2006, 11, None), "2 y 3", None, "es"),
    ("noviembre a diciembre de 2006", (2006, 11, None), "", None, "es"),
    ("invierno de 2005 | página 8", (2005, 1, None), "8", None, "es"),
    ("primavera de 2004, pág. 2", (2004, 3, None), "2", None, "es"),
    # a week's days, dated by the first
    ("March 2-8, 2007 | Page 4", (2007, 3, 2), "4", None, "en"),
    ("March 30-April 5, 2007", (2007, 3, 30), "", None, "en"),
    ("2-8 March 2007 | Issue 640", (2007, 3, 2), "", 640, "en"),
    ("Week of March 2, 2007", (2007, 3, 2), "", None, "en"),
    ("Semana del 2 al 8 de marzo de 2007 | página 3", (2007, 3, 2), "3", None, "es"),
    ("del 30 de marzo al 5 de abril de 2007", (2007, 3, 30), "", None, "es"),
    ("1ro de mayo de 2007", (2007, 5, 1), "", None, "es"),
    # led by a word and a colon, or in figures year first
    ("Posted: March 2, 2007", (2007, 3, 2), "", None, "en"),
    ("Date: 2 March 2007 | Page 4", (2007, 3, 2), "4", None, "en"),
    ("Fecha: 2 de marzo de 2007", (2007, 3, 2), "", None, "es"),
    ("2007-03-02 | Page 4", (2007, 3, 2), "4", None, "en"),
]


@pytest.mark.parametrize(("line", "when", "pages", "number", "language"), LINES)
def test_every_dateline_form(line, when, pages, number, language):
    found = parse_dateline(line)
    assert found is not None, line
    assert (found.date.year, found.date.month, found.date.day) == when
    assert (found.pages, found.issue_number, found.language) == (pages, number, language)


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("November-December 2006 | Page 5", "November-December 2006"),
        ("Dec 2006/Jan 2007 | Pages 2 and 3", "Dec 2006/Jan 2007"),
        ("Winter 2004-5 | Issue 31", "Winter 2004-5"),
        ("noviembre-diciembre de 2006 | páginas 2 y 3", "noviembre-diciembre de 2006"),
        ("invierno de 2005 | página 8", "invierno de 2005"),
        ("March 2-8, 2007 | Page 4", "March 2-8, 2007"),
        ("Semana del 2 al 8 de marzo de 2007", "2 al 8 de marzo de 2007"),
    ],
)
def test_a_season_or_range_keeps_its_printed_words(line, label):
    assert parse_dateline(line).date.label == label


def test_a_plain_date_has_no_label_and_a_day_only_where_printed():
    assert parse_dateline("July 4, 2003 | Page 8").date.label == ""
    assert parse_dateline("abril de 2001 | página 3").date.as_date() is None


def test_bylines_and_labels_share_the_line():
    english = parse_dateline("By Ann Writer | April 7, 2006 | Page 11")
    assert (english.byline, english.pages, english.date.day) == ("By Ann Writer", "11", 7)
    spanish = parse_dateline("Por Lucía Prado | 7 de abril de 2006 | página 11")
    assert (spanish.byline, spanish.pages, spanish.language) == ("Por Lucía Prado", "11", "es")
    review = parse_dateline("Review of by Ann Writer | April 7, 2006 | Page 9")
    assert (review.byline, review.pages) == ("Review of by Ann Writer", "9")
    comma = parse_dateline("By Ann Writer, AFT Local 2, April 7, 2006 | Page 11")
    assert (comma.byline, comma.pages, comma.date.day) == ("By Ann Writer, AFT Local 2", "11", 7)
    coma = parse_dateline("Por Lucía Prado, 7 de abril de 2006")
    assert (coma.byline, coma.date.month, coma.language) == ("Por Lucía Prado", 4, "es")
    special = parse_dateline("July 4, 2003 | Online special feature")
    assert special.label == "Online special feature"


@pytest.mark.parametrize(
    "line",
    [
        "In July 2003 the dock strike began",
        "They met on July 4, 2003 | and again later",
        "En abril de 2001 se votó la huelga",
        "On the picket line in March 2007",
        "Posted to members in March 2007 by the branch",
        "Week after week in March 2007 the union held out",
        "Date the union set: March 2007 strike",
        "Issue 640 | 2007-13-02",
        "Page 3",
        "Pages 6 and 7 | Issue 40",
        "2003 | Page 8",
        "The 2004-5 season | Page 2",
    ],
)
def test_a_sentence_or_a_line_without_a_date_is_not_a_dateline(line):
    assert parse_dateline(line) is None


def test_an_impossible_day_keeps_the_month():
    found = parse_dateline("February 30, 2004 | Page 2")
    assert (found.date.year, found.date.month, found.date.day) == (2004, 2, None)


def test_a_near_miss_of_a_month_name_is_read():
    assert parse_date("Janury 7, 2005").month == 1
    assert parse_date("Setpember 2005").month == 9


def test_another_language_is_a_table_of_words(monkeypatch):
    """Portuguese, added as a table: no code changes."""
    portuguese = Words(
        months={"julho": 7, "dezembro": 12, "dez": 12},
        seasons={"inverno": 12},
        page=frozenset({"página", "páginas", "pág"}),
        number=frozenset({"número", "nº"}),
        particles=frozenset({"de"}),
        ranges=frozenset({"a", "e"}),
        full_months=("julho", "dezembro"),
    )
    monkeypatch.setitem(LANGUAGES, "pt", portuguese)
    found = parse_dateline("4 de julho de 2003 | páginas 4 e 5")
    assert (found.date.year, found.date.month, found.date.day) == (2003, 7, 4)
    assert (found.pages, found.language) == ("4 e 5", "pt")
