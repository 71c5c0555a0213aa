"""A legacy site's issues, pages and links, through the real `backfile ingest` and the site.

The fixture is The Beacon (tests/fixtures/legacy_html/the-beacon), a weekly the
project made up: issue 200 with a contents page and two articles that link to
each other (`.shtml` links to pages saved as `.php`) and onward to issue 201;
issue 201, whose contents page misprints last week's number, with a series page
(an introduction and links to its parts), a page of photographs (a gallery, its
files not in the fixture) and a page of navigation links; and a Spanish supplement
with an article, a series page and a page of photographs. Articles end with navigation lines in both languages.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import date

import pytest
from django.core.management import call_command

from backfile.archive.models import Article, Issue
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from tests.archive.pages import fetch, links, one, text_of
from tests.conftest import FIXTURES

SITE = FIXTURES / "legacy_html" / "the-beacon"


def run_ingest(*arguments) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *[str(a) for a in arguments], "--quiet", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def article(name: str) -> Article:
    return Article.objects.select_related("issue", "publication").get(key__endswith=name)


@pytest.fixture
def beacon(db, tmp_path):
    """The whole site ingested by the command; its JSON report."""
    report = tmp_path / "report.json"
    out, err = run_ingest(SITE, "--report", report)
    return {"out": out, "err": err, **json.loads(report.read_text(encoding="utf-8"))}


def outcomes(report: dict) -> dict[str, dict]:
    return {f["path"].split("the-beacon/", 1)[1]: f for f in report["files"]}


def body_text(item: Article) -> str:
    return " ".join(b.get("text", "") for b in item.blocks)


# Issue identity


def test_a_misprinted_contents_number_gives_way_to_folder_and_page_names(beacon):
    numbers = {(i.number, i.date) for i in Issue.objects.all()}
    assert numbers == {(200, date(2011, 1, 7)), (201, date(2011, 1, 14))}
    assert article("201_01_Harbour.php").issue.number == 201
    contents = outcomes(beacon)["2011-1/201/201_Storylist.php"]
    assert contents["outcome"] == "contents page"
    assert (
        "contents page says No. 200, folder and page names say 201: stored as 201"
        in contents["reasons"]
    )


def beacon_issue(folder: str, day: int, number: int, story: str) -> dict[str, str]:
    """An issue folder whose names carry no number: a contents page and one article."""
    font = '<font face="Times New Roman, Times, serif" size="{}">'
    wrap = '<html><body><table><tr><td width="480">{}</td></tr></table></body></html>'
    when = f"January {day}, 2012"
    return {
        f"{folder}/contents.php": wrap.format(
            f'<p><font face="Arial" size="2">{when} | Issue {number}</font></p>'
            f'<p>{font.format(4)}<b><a href="story.php">{story}</a></b></font></p>'
        ),
        f"{folder}/story.php": wrap.format(
            f"<p>{font.format(5)}<b>{story}</b></font></p>"
            f'<p><font face="Arial" size="2">{when} | Page 2</font></p>'
            f"<p>{font.format(3)}The {story.lower()} was the week's news on the quay.</font></p>"
        ),
    }


def test_where_folders_carry_no_number_the_run_s_cadence_decides(db, tmp_path):
    site = tmp_path / "the-lamp" / "2012"
    pages = {
        **beacon_issue("first", 6, 300, "Ice in the harbour"),
        **beacon_issue("second", 13, 301, "The thaw"),
        **beacon_issue("third", 20, 301, "Boats out again"),  # last week's number, misprinted
    }
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    run_ingest(site.parent, "--report", report)
    assert sorted(Issue.objects.values_list("number", "day")) == [(300, 6), (301, 13), (302, 20)]
    reasons = [e["reason"] for e in json.loads(report.read_text())["entries"]]
    assert "contents page says No. 301, cadence says 302: stored as 302" in reasons


def numbered(title: str, issue: IssueRecord) -> ArticleRecord:
    return ArticleRecord(
        publication="The Beacon",
        key=f"test:{title}",
        issue=issue,
        title=title,
        blocks=[Block("paragraph", "Gulls over the basin.")],
        source=Source.of(f"{title}.txt", "capture", title),
    )


@pytest.mark.django_db
def test_the_loader_refuses_a_second_issue_of_one_number_and_keeps_editions_apart():
    report = load(
        [
            numbered("Low water", IssueRecord(year=2011, number=7, month=3, day=4)),
            numbered("High water", IssueRecord(year=2011, number=7, month=3, day=11)),
            numbered(
                "Storm edition",
                IssueRecord(year=2011, number=7, month=3, day=5, slug="no-7a-march-5-2011"),
            ),
            # numbered from 1 again each year, or another volume: no clash
            numbered("Next spring", IssueRecord(year=2012, number=7, month=3, day=2)),
            numbered("Volume two", IssueRecord(year=2011, number=7, month=3, day=18, volume=2)),
        ]
    )
    failed = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert list(failed) == ["High water.txt"]
    assert "issue 7 is already stored as 4 March 2011" in failed["High water.txt"]
    assert "refused, not merged" in failed["High water.txt"]
    assert sorted(Issue.objects.values_list("slug", flat=True)) == [
        "no-7-march-18-2011",
        "no-7-march-2-2012",
        "no-7-march-4-2011",
        "no-7a-march-5-2011",
    ]
    assert not Article.objects.filter(title="High water").exists()


# Every page kept for what it is


@pytest.mark.parametrize(
    ("name", "title", "intro", "parts"),
    [
        (
            "201_02_Series.php",
            "THE RIVER WORKS",
            "The river is a place of work before it is a view.",
            {
                "Part one: the dredger": "201_03_PartOne.php",
                "Part two: the lock": "201_04_PartTwo.php",
            },
        ),
        (
            "200S_Serie.php",
            "LA SERIE DEL RÍO",
            "El río es un lugar de trabajo antes que un paisaje.",
            {"Primera parte: el puente": "200S_Puente.php"},
        ),
    ],
)
def test_a_series_page_keeps_its_introduction_and_links_its_parts(
    beacon, client, name, title, intro, parts
):
    series = article(name)
    assert series.title == title
    assert body_text(series).startswith(intro)
    path = next(p for p in outcomes(beacon) if p.endswith(name))
    assert outcomes(beacon)[path]["outcome"] == "series page"
    page = fetch(client, series.get_absolute_url())
    found = links(one(page, "//main"))
    for text, part in parts.items():
        assert found[text] == article(part).get_absolute_url()


def test_pages_of_pictures_are_galleries_and_navigation_pages_are_reported(beacon):
    files = outcomes(beacon)
    for name, captions in (
        ("201_08_Photos.php", ["Dockers at the south gate.", "The crane at dawn.", "Waiting for the ferry."]),
        ("200S_Fotos.php", ["Estibadores en la puerta sur.", "La grúa al amanecer."]),
    ):  # fmt: skip
        assert next(f for p, f in files.items() if p.endswith(name))["outcome"] == "article"
        (gallery,) = article(name).blocks  # the pictures are not in the fixture: placeholders
        assert [(u["caption"], u["sha256"]) for u in gallery["assets"]] == [
            (caption, "") for caption in captions
        ]
    assert files["2011-1/201/201_09_Links.php"]["outcome"] == "navigation page"
    assert beacon["summary"]["failed"] == 0
    assert not any("not recognised" in e["reason"] for e in beacon["entries"])


def test_an_image_file_is_a_picture_and_a_system_file_is_skipped_neither_failed(db, tmp_path):
    site = tmp_path / "the-beacon"
    shutil.copytree(SITE / "2011-1" / "200", site / "2011-1" / "200")
    (site / "2011-1" / "200" / "quay.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    (site / "2011-1" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    report = tmp_path / "report.json"
    out, err = run_ingest(site, "--report", report)
    assert out.startswith("5 files: 2 articles, 1 contents page, 1 picture, 1 skipped;")
    assert "failed 0" in out and not err
    files = outcomes(json.loads(report.read_text()))
    assert files["2011-1/.DS_Store"]["outcome"] == "skipped"
    assert "skipped unread" in files["2011-1/.DS_Store"]["reasons"][0]


@pytest.mark.parametrize(
    ("name", "navigation"),
    [
        ("200_01_Bridge.php", ["Back to the top", "Return to the main page", "Main page", "Next"]),
        ("200S_Puente.php", ["Volver a la portada", "Página principal", "Siguiente"]),
    ],
)
def test_navigation_lines_never_enter_a_body(beacon, name, navigation):
    body = body_text(article(name))
    assert body  # the article's own paragraphs are there
    if name == "200_01_Bridge.php":  # a link to another site's home page is content
        assert body.endswith("Harbour Watch")
    for words in navigation:
        assert words not in body


# Links between articles


def test_links_between_articles_open_their_pages_in_the_archive(beacon, client):
    bridge = fetch(client, article("200_01_Bridge.php").get_absolute_url())
    found = links(one(bridge, "//main"))
    # `.shtml` in the page, `.php` on disk
    assert found["the story of the fish market"] == article("200_02_Market.php").get_absolute_url()
    assert (
        found["next week's report from the harbour board"]
        == article("201_01_Harbour.php").get_absolute_url()
    )
    assert found["the first plans for the bridge"] == "200_09_Lost.shtml"  # absent: as written
    puente = fetch(client, article("200S_Puente.php").get_absolute_url())
    assert (
        links(one(puente, "//main"))["el puente"] == article("200_01_Bridge.php").get_absolute_url()
    )
    absent = [e for e in beacon["entries"] if "not in the archive" in e["reason"]]
    assert [(e["path"], e["reason"]) for e in absent] == [
        ("2011-1/200/200_01_Bridge.php", "links to 200_09_Lost.shtml, which is not in the archive")
    ]
    # the record keeps the link as the source wrote it
    stored = json.dumps(article("200_01_Bridge.php").blocks)
    assert "200_02_Market.shtml" in stored and "/the-beacon/" not in stored


def test_a_later_ingest_of_the_target_fixes_an_earlier_article_s_link(db, client, tmp_path):
    site = tmp_path / "the-beacon"
    shutil.copytree(SITE, site)
    later = tmp_path / "later" / "the-beacon" / "2011-1"
    later.mkdir(parents=True)
    shutil.move(site / "2011-1" / "201", later / "201")

    out, _ = run_ingest(site)
    bridge = article("200_01_Bridge.php").get_absolute_url()
    text = "next week's report from the harbour board"
    assert links(one(fetch(client, bridge), "//main"))[text] == "../201/201_01_Harbour.shtml"
    assert "not in the archive" in out

    run_ingest(later.parent)
    harbour = article("201_01_Harbour.php")
    assert links(one(fetch(client, bridge), "//main"))[text] == harbour.get_absolute_url()
    back = links(one(fetch(client, harbour.get_absolute_url()), "//main"))["swing bridge"]
    assert back == bridge


# Accounting


def test_the_summary_separates_files_from_articles_and_every_file_has_an_outcome(beacon):
    assert beacon["out"].startswith(
        "13 files: 8 articles, 2 contents pages, 2 series pages, 1 navigation page; "
        "articles: added 10, updated 0, unchanged 0, failed 0"
    )
    assert "links between pages: 8 to stored articles, 1 not in the archive" in beacon["out"]
    files = outcomes(beacon)
    assert sorted(files) == sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.php"))
    assert all(f["outcome"] and (f["reasons"] or f["outcome"] == "article") for f in files.values())


def test_a_file_that_gives_nothing_says_why(db, tmp_path):
    export = tmp_path / "empty.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>The Beacon</title>'
        "<wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n",
        encoding="utf-8",
    )
    out, err = run_ingest(export)
    assert out.startswith("1 file: 1 nothing stored; articles: added 0,")
    assert f"nothing stored: {export}: no articles from this export" in err


def test_a_link_naming_the_page_as_saved_opens_it_too(beacon, client):
    market = fetch(client, article("200_02_Market.php").get_absolute_url())
    assert "swing bridge" in text_of(one(market, "//main"))
    bridge = article("200_01_Bridge.php").get_absolute_url()
    assert links(one(market, "//main"))["swing bridge"] == bridge
