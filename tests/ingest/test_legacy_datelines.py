"""Datelines, dates and languages of a hand-made weekly site, through `backfile ingest`.

*The Harbour Light* is invented for these tests: an English weekly with a Spanish
supplement, laid out in the font-tag style of such sites. Its pages are written here
into a temporary folder, each with a dateline of another form (day or month first,
`--`, `,` or no separator, a range of months, a season, Spanish words and
abbreviations), one repeating its dateline in the body, one printing none, and one,
in a folder that names no year, with no date anywhere.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from backfile.archive.models import Article, Issue

pytestmark = pytest.mark.django_db

SITE = "the-harbour-light"

ENGLISH = [
    "The crane drivers on the south quay stopped work on Monday morning after the "
    "company posted a new rota that nobody had been asked about.",
    "By the afternoon the ships waiting in the roads had started to turn away, and the "
    "harbour master called both sides to a meeting in the old customs house.",
]
SPANISH = [
    "Los trabajadores del muelle votaron el lunes por la mañana a favor de la huelga, "
    "después de que la empresa anunciara los nuevos turnos sin consultar a nadie.",
    "Por la tarde los barcos que esperaban en la bahía empezaron a marcharse, y el "
    "capitán del puerto llamó a las dos partes a una reunión en la vieja aduana.",
]


def article_page(
    title: str, dateline: str | None, paragraphs: list[str], before: str = "", after: str = ""
) -> str:
    """An article page of the site: headline, dateline, paragraphs (and extra lines)."""
    line = (
        f'<p><font face="Arial, Helvetica, sans-serif" size="2">{dateline}</font></p>'
        if dateline
        else ""
    )
    body = "".join(
        f'<p><font face="Times New Roman, Times, serif" size="3">{p}</font></p>'
        for p in ([before] if before else []) + paragraphs + ([after] if after else [])
    )
    return (
        f'<html><head><title>{title}</title><meta charset="utf-8"></head><body>'
        '<table width="744"><tr><td width="18"></td><td width="480" valign="top">'
        f'<p><font face="Times New Roman, Times, serif" size="5"><b>{title}</b></font></p>'
        f"{line}{body}</td></tr></table></body></html>"
    )


def contents_page(dateline: str, links: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<p><font face="Times New Roman, Times, serif" size="4"><b><a href="{href}">{title}'
        "</a></b></font></p>"
        for href, title in links
    )
    return (
        '<html><head><title>Inside</title><meta charset="utf-8"></head><body>'
        '<table width="744"><tr><td width="480" valign="top">'
        f'<p><font face="Arial, Helvetica, sans-serif" size="2">{dateline}</font></p>'
        '<p><font face="Arial, Helvetica, sans-serif" size="3"><b>NEWS</b></font></p>'
        f"{entries}</td></tr></table></body></html>"
    )


PAGES = {
    # A weekly issue: day-first and month-first dates, `|`, `--` and `,` separators.
    "2006-2/301/301_Storylist.php": contents_page(
        "December 1, 2006 | Issue 301",
        [
            ("301_01_Cranes.php", "The cranes stand still"),
            ("301_02_Ferry.php", "Ferry fares frozen"),
            ("301_03_Tides.php", "Reading the tides"),
            ("301_04_Gulls.php", "Gulls on the pier"),
            ("301_05_Log.php", "A harbour log"),
        ],
    ),
    "2006-2/301/301_01_Cranes.php": article_page(
        "The cranes stand still",
        "December 1, 2006 | Pages 6 and 7",
        ENGLISH,
        before="By Ann Writer | December 1, 2006 | Page 6",  # repeated under the headline
        after="Dec. 1, 2006 | Page 7",  # and at the end
    ),
    "2006-2/301/301_02_Ferry.php": article_page(
        "Ferry fares frozen", "1 December 2006 -- p. 3", ENGLISH
    ),
    "2006-2/301/301_03_Tides.php": article_page(
        "Reading the tides", "Dec. 1, 2006, pp. 4-5", ENGLISH
    ),
    "2006-2/301/301_04_Gulls.php": article_page("Gulls on the pier", None, ENGLISH),
    # A log of dated entries: the dates are headings of its body, not datelines.
    "2006-2/301/301_05_Log.php": article_page(
        "A harbour log",
        None,
        [ENGLISH[0], "November 28, 2006", ENGLISH[1], "November 30, 2006", ENGLISH[0]],
    ),
    # A quarterly number dated by a season spanning two years, no separator before pages.
    "2004-2/50/50_Storylist.php": contents_page(
        "Winter 2004-5 | Number 50", [("50_01_Ice.php", "Ice in the harbour")]
    ),
    "2004-2/50/50_01_Ice.php": article_page(
        "Ice in the harbour", "Winter 2004-5 Pages 6-7", ENGLISH
    ),
    # The Spanish supplement: no contents page, a range of months.
    "2006-2/60S/60S_01_Huelga.php": article_page(
        "Huelga en el muelle", "noviembre-diciembre de 2006 | páginas 2 y 3", SPANISH
    ),
    "2006-2/60S/60S_02_Aduana.php": article_page(
        "Reunión en la aduana", "noviembre-diciembre de 2006 | pág. 4", SPANISH[::-1]
    ),
    # A Spanish issue with its number: day first, abbreviations, no separator.
    "2005-1/40/40_Storylist.php": contents_page(
        "4 de julio de 2005 | núm. 40",
        [("40_01_Muelle.php", "El muelle"), ("40_02_Faro.php", "El faro")],
    ),
    "2005-1/40/40_01_Muelle.php": article_page(
        "El muelle", "4 de julio de 2005 -- página 3", SPANISH
    ),
    "2005-1/40/40_02_Faro.php": article_page("El faro", "4 jul. 2005 páginas 6 y 7", SPANISH),
    # A folder that names its year, and no contents page; a page that prints no date.
    "2007-1/70/70_01_Buoys.php": article_page("Counting the buoys", None, ENGLISH),
    # A folder that names no year, a page that prints no date.
    "notes/misc/Notes_01.php": article_page("Notes from the quay", None, ENGLISH),
}


@pytest.fixture
def harbour(tmp_path) -> dict:
    """The site ingested with `backfile ingest`; its JSON report."""
    for key, text in PAGES.items():
        path = tmp_path / SITE / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    call_command(
        "ingest",
        str(tmp_path / SITE),
        "--report",
        str(report),
        "--quiet",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return json.loads(report.read_text(encoding="utf-8"))


def stored(name: str) -> Article:
    return Article.objects.select_related("issue").get(key__endswith=name)


def entries(report: dict, name: str) -> list[dict]:
    return [e for e in report["entries"] if Path(e["path"]).name == name]


def body(article: Article) -> list[str]:
    return [b["text"] for b in article.blocks]


def test_weekly_datelines_give_dates_and_pages(harbour):
    issue = Issue.objects.get(number=301)
    assert (issue.year, issue.month, issue.day) == (2006, 12, 1)
    assert stored("301_01_Cranes.php").pages == "6 and 7"
    assert stored("301_02_Ferry.php").pages == "3"
    assert stored("301_03_Tides.php").pages == "4-5"
    assert all(stored(n).issue == issue for n in ("Cranes.php", "Ferry.php", "Tides.php"))


def test_no_dateline_is_left_in_a_body(harbour):
    for article in Article.objects.exclude(key__endswith="Log.php"):
        assert body(article)[0] in (ENGLISH[0], SPANISH[0], SPANISH[1]), article.key
        assert body(article)[-1] in (ENGLISH[1], SPANISH[1], SPANISH[0]), article.key
    cranes = stored("301_01_Cranes.php")
    assert body(cranes) == ENGLISH
    assert [b.author.name for b in cranes.bylines.all()] == ["Ann Writer"]


def test_an_article_without_a_date_takes_its_contents_pages_with_a_notice(harbour):
    gulls = stored("301_04_Gulls.php")
    assert gulls.issue.number == 301 and gulls.date == date(2006, 12, 1)
    notes = [e["reason"] for e in entries(harbour, "301_04_Gulls.php") if e["status"] == "noted"]
    assert "prints no date; dated 2006-12-01 by its contents page" in notes


def test_an_article_without_a_date_or_contents_page_takes_its_folders_year(harbour):
    buoys = stored("70_01_Buoys.php")
    assert (buoys.issue.year, buoys.issue.month, buoys.issue.day) == (2007, None, None)
    notes = [e["reason"] for e in entries(harbour, "70_01_Buoys.php") if e["status"] == "noted"]
    assert "prints no date; dated 2007 by its folder's name" in notes


def test_no_date_anywhere_fails_with_a_reason_never_today(harbour):
    [failure] = [e for e in entries(harbour, "Notes_01.php") if e["status"] == "failed"]
    assert "no date" in failure["reason"] and "clock" in failure["reason"]
    assert not Article.objects.filter(key__endswith="Notes_01.php").exists()
    assert not Issue.objects.filter(year=date.today().year).exists()


def test_dates_alone_inside_a_body_are_its_headings_not_datelines(harbour):
    log = stored("301_05_Log.php")
    assert "November 28, 2006" in body(log) and "November 30, 2006" in body(log)
    assert log.published is None and log.date == date(2006, 12, 1)


def test_a_season_keeps_month_precision_and_its_printed_words(harbour, client):
    issue = Issue.objects.get(number=50)
    assert (issue.year, issue.month, issue.day) == (2004, 12, None)
    assert issue.label == "Winter 2004-5"
    assert "december-2004" in issue.slug
    ice = stored("50_01_Ice.php")
    assert ice.pages == "6-7" and ice.published is None
    page = client.get(ice.get_absolute_url())
    assert page.status_code == 200 and "Winter 2004-5" in page.content.decode()


def test_a_spanish_supplement_dated_by_a_range_of_months(harbour):
    huelga = stored("60S_01_Huelga.php")
    issue = huelga.issue
    assert (issue.year, issue.month, issue.day) == (2006, 11, None)
    assert issue.label == "noviembre-diciembre de 2006"
    assert huelga.pages == "2 y 3" and stored("60S_02_Aduana.php").pages == "4"
    assert stored("60S_02_Aduana.php").issue == issue


def test_a_spanish_issue_with_day_first_dates_and_abbreviations(harbour):
    issue = Issue.objects.get(number=40)
    assert (issue.year, issue.month, issue.day) == (2005, 7, 4)
    assert stored("40_01_Muelle.php").pages == "3"
    assert stored("40_02_Faro.php").pages == "6 y 7"


def test_each_article_is_tagged_with_the_language_it_is_written_in(harbour):
    languages = {a.key.rsplit("/", 1)[-1]: a.language for a in Article.objects.all()}
    assert languages == {
        "301_01_Cranes.php": "en",
        "301_02_Ferry.php": "en",
        "301_03_Tides.php": "en",
        "301_04_Gulls.php": "en",
        "301_05_Log.php": "en",
        "50_01_Ice.php": "en",
        "70_01_Buoys.php": "en",
        "60S_01_Huelga.php": "es",
        "60S_02_Aduana.php": "es",
        "40_01_Muelle.php": "es",
        "40_02_Faro.php": "es",
    }
