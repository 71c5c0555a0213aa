"""A hand-made weekly site made otherwise than the one the legacy reader was built on, read
through the real ingest command: headlines in `<h1>`/`<h3>` rather than `<font>` sizes,
the article in a table cell 500 pixels wide between a list of the latest news and an
advert, a byline naming where the writer is, navigation half linked, and a contents page
(`index.html`) under the paper's name in `<h1>`, its headlines bold links in text type
under `<h2>` sections. The pages are made up here."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from backfile.archive.models import Article

PAGE = """<html><head><title>{title} | The Harbour Light</title></head><body>
<table><tr><td width="160"><p><b>Latest news</b></p>
<p><a href="../639/639_02_Rail.php">Rail workers ballot for action</a></p>
<p><a href="../639/639_03_Nurses.php">Nurses march on the town hall</a></p></td>
<td width="500"><h3>{kicker}</h3><h1>{title}</h1>
{dateline}{byline}
{body}
<p>Return to the <a href="../../index.html">main page</a></p></td>
<td width="120"><p>Advertise with the Harbour Light</p></td></tr></table></body></html>
"""


CONTENTS = """<html><head><title>Issue 640 | The Harbour Light</title></head><body>
<table><tr><td width="160"><p><a href="../639/index.html">Last week</a></p></td>
<td width="500"><h1>The Harbour Light</h1><p>March 2, 2007 | Issue 640</p>
<h2>Ayuntamiento</h2>
<p><a href="640_02_Tarifas.php"><b>Suben las tarifas otra vez</b></a><br>Tercer año seguido.</p>
<h2>News</h2>
<p><a href="640_01_Port.php"><b>The quay stops</b></a><br>The dockers walked out.</p>
</td></tr></table></body></html>
"""


def write_page(path, title: str, kicker: str, body: str, dateline: str = "", byline: str = ""):
    path.parent.mkdir(parents=True, exist_ok=True)
    dateline, byline = (f"<p>{text}</p>" if text else "" for text in (dateline, byline))
    path.write_text(
        PAGE.format(title=title, kicker=kicker, dateline=dateline, byline=byline, body=body)
    )


def ingest(site, *options) -> str:
    out = io.StringIO()
    call_command("ingest", str(site), *map(str, options), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def issue_of(article: Article) -> tuple:
    return (article.issue.number, article.issue.year, article.issue.month, article.issue.day)


@pytest.fixture
def harbour_light(db, tmp_path):
    folder = tmp_path / "harbour-light" / "2007" / "640"
    write_page(
        folder / "640_01_Port.php",
        "The quay stops",
        "Dockers say enough",
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>"
        "<h2>What they want</h2>"
        "<p>They say the shifts leave them no life outside the port.</p>",
        dateline="March 2-8, 2007 | Page 5",
        byline="By Ann Lee in Glasgow",
    )
    write_page(
        folder / "640_02_Tarifas.php",
        "Suben las tarifas otra vez",
        "Ayuntamiento",
        "<p>El ayuntamiento subió las tarifas por tercer año seguido el martes.</p>"
        "<p>Los vecinos del barrio del puerto dicen que no pueden pagar.</p>",
        dateline="2 al 8 de marzo de 2007 | página 6",
        byline="Por Ana Ruiz en Caracas",
    )
    (folder / "index.html").write_text(CONTENTS)
    return ingest(tmp_path / "harbour-light")


def test_a_site_in_headings_and_another_table_is_read_like_the_weekly_s(harbour_light):
    assert harbour_light.startswith("3 files: 2 articles, 1 contents page;")
    assert "failed 0" in harbour_light
    port = Article.objects.get(key__endswith="640_01_Port.php")
    assert (port.kicker, port.title, port.pages) == ("Dockers say enough", "The quay stops", "5")
    assert [b.as_printed for b in port.author_bylines()] == ["Ann Lee"]
    assert [(block["type"], block["text"][:14]) for block in port.blocks] == [
        ("paragraph", "The dockers wa"),
        ("heading", "What they want"),
        ("paragraph", "They say the s"),
    ]
    assert issue_of(port) == (640, 2007, 3, 2)
    tarifas = Article.objects.get(key__endswith="640_02_Tarifas.php")
    assert (tarifas.title, tarifas.language, tarifas.pages) == (
        "Suben las tarifas otra vez",
        "es",
        "6",
    )
    assert [b.as_printed for b in tarifas.author_bylines()] == ["Ana Ruiz"]
    assert [block["text"][:14] for block in tarifas.blocks] == ["El ayuntamient", "Los vecinos de"]


def test_the_contents_page_of_such_a_site_gives_sections_order_and_summaries(harbour_light):
    listed = Article.objects.order_by("position")
    assert [(a.title, a.section, a.kicker, a.summary) for a in listed] == [
        ("Suben las tarifas otra vez", "Ayuntamiento", "", "Tercer año seguido."),
        ("The quay stops", "News", "Dockers say enough", "The dockers walked out."),
    ]


@pytest.mark.parametrize("folders", [("0302", "0309"), ("2007-03-02", "2007-03-09")])
def test_issue_folders_named_by_date_give_no_issue_numbers(db, tmp_path, folders):
    for folder, day in zip(folders, (2, 9), strict=True):
        write_page(
            tmp_path / "harbour-light" / "2007" / folder / "port.html",
            f"The quay, March {day}",
            "Docks",
            "<p>The dockers walked out on Monday morning after the new rota.</p>",
            dateline=f"March {day}, 2007 | Page 5",
        )
    assert "failed 0" in ingest(tmp_path / "harbour-light")
    issues = sorted(issue_of(article) for article in Article.objects.all())
    assert issues == [(None, 2007, 3, 2), (None, 2007, 3, 9)]


def test_a_page_printing_no_date_in_a_folder_named_by_one_is_dated_by_it(db, tmp_path):
    write_page(
        tmp_path / "harbour-light" / "2007-03-02" / "port.html",
        "The quay stops",
        "Docks",
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>",
    )
    report = tmp_path / "report.json"
    assert ingest(tmp_path / "harbour-light", "--report", report).startswith("1 file: 1 article;")
    assert issue_of(Article.objects.get()) == (None, 2007, 3, 2)
    reasons = [e["reason"] for e in json.loads(report.read_text())["entries"]]
    assert "prints no date; dated 2007-03-02 by its folder's name" in reasons
