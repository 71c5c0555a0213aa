"""A review's heading line (`BOOKS: …`, `CINE: …`) becomes the work reviewed, not its first paragraph.

*The Harbour Light* (invented, see test_legacy_datelines) runs reviews in English and in
its Spanish supplement, each headed by a line naming the work in a sans-serif font.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from tests.ingest.test_legacy_datelines import ENGLISH, SPANISH, article_page, contents_page

pytestmark = pytest.mark.django_db

HEADING = '<p><font face="Arial, Helvetica, sans-serif" size="2">{}</font></p>'

PAGES = {
    "2007-1/310/310_Storylist.php": contents_page(
        "February 9, 2007 | Issue 310",
        [("310_09_Quays.shtml", "A history of the quays"), ("310_10_Ferry.shtml", "Night Ferry")],
    ),
    "2007-1/310/310_09_Quays.php": article_page(
        "A history of the quays",
        "February 9, 2007 | Page 9",
        ENGLISH,
        before=HEADING.format(
            "<b>BOOKS:</b> Mara Quist, <b><i>Harbour Lights: Dockers, Ships and Strikes.</i></b>"
            " Tidewater Press, 2006, 312 pages, $18.50."
        ),
    ),
    "2007-1/310/310_10_Ferry.php": article_page(
        "Night Ferry",
        "February 9, 2007 | Page 10",
        ENGLISH,
        before=HEADING.format(
            "<b>MOVIES:</b> <i>Night Ferry</i>, directed by Ines Brandt, starring Tom Ashby."
        ),
    ),
    "2007-1/310S/310S_Storylist.php": contents_page(
        "febrero de 2007 | número 310", [("310S_03_Huelga.shtml", "La huelga larga")]
    ),
    "2007-1/310S/310S_03_Huelga.php": article_page(
        "La huelga larga",
        "febrero de 2007 | página 3",
        SPANISH,
        before=HEADING.format(
            "<b>CINE:</b> <i>La huelga larga</i>, dirigida por Lucía Ferrer Peña, 2006."
        ),
    ),
}


def test_review_heading_lines_name_the_work_and_leave_the_body(tmp_path):
    site = tmp_path / "the-harbour-light"
    for name, text in PAGES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    call_command("ingest", str(site), "--publication", "The Harbour Light", stdout=io.StringIO())

    works = {
        a.title: [
            (r.work.title, r.work.author, r.work.publisher, r.work.year) for r in a.reviews.all()
        ]
        for a in Article.objects.all()
    }
    assert works == {
        "A history of the quays": [
            ("Harbour Lights: Dockers, Ships and Strikes", "Mara Quist", "Tidewater Press", 2006)
        ],
        "Night Ferry": [("Night Ferry", "Ines Brandt", "", None)],
        "La huelga larga": [("La huelga larga", "Lucía Ferrer Peña", "", 2006)],
    }
    for article in Article.objects.all():
        first = article.blocks[0]["text"]
        assert first in (ENGLISH[0], SPANISH[0]), (article.title, first)
        assert article.authors.count() == 0, "the maker of the work is not the review's writer"
