"""The legacy-HTML reader: a hand-made weekly site read through the real pipeline.

The fixtures are The Tideline, a weekly the project made up, laid out in the
font-tag style of such sites (tests/fixtures/legacy_html/the-tideline): issue
120 has a contents page, six pages it links to (one of them missing), a page
nobody links to, and a Spanish supplement folder without a contents page.
"""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest

from backfile.archive.models import Article, Issue
from backfile.ingest.readers.bylines import byline_people, split_names, standfirst_people
from backfile.ingest.readers.datelines import parse_dateline
from backfile.ingest.readers.legacy_html import LegacyHtmlReader
from backfile.ingest.records import ArticleRecord
from backfile.ingest.sources import SourceFile, walk
from tests.conftest import FIXTURES

SITE = FIXTURES / "legacy_html" / "the-tideline"
ISSUE = "2010-1/120"


def article(key: str) -> Article:
    return Article.objects.select_related("issue").get(key=key)


def bylines(item: Article) -> list[str]:
    return [b.as_printed for b in item.bylines.order_by("position")]


@pytest.fixture
def tideline(ingest_paths):
    return ingest_paths(SITE)


def test_english_and_spanish_datelines():
    plain = parse_dateline("July 4, 2003 | Page 8")
    assert (plain.date.year, plain.date.month, plain.date.day, plain.pages) == (2003, 7, 4, "8")
    spread = parse_dateline("July 12, 2002 | Pages 6 amd 7")
    assert spread.pages == "6 and 7"
    spanish = parse_dateline("abril de\n 2001 | página 3")
    assert (spanish.date.year, spanish.date.month, spanish.date.day) == (2001, 4, None)
    assert (spanish.pages, spanish.language) == ("3", "es")
    assert parse_dateline("4 de julio de 2003 | páginas 4 y 5").date.day == 4
    assert parse_dateline("| Janury 7, 2005 | Page 9").date.month == 1
    contents = parse_dateline("July 4, 2003 | Issue 459")
    assert contents.issue_number == 459 and contents.pages == ""


def test_a_sentence_with_a_date_is_not_a_dateline():
    assert parse_dateline("Jump to the talks below: Ana Duarte | Tom Price") is None
    assert parse_dateline("They met on July 4, 2003 | and again later") is None


def test_writers_come_out_as_people():
    assert standfirst_people("LEE WENGRAF looks at the life and work of a novelist.") == [
        "Lee Wengraf"
    ]
    assert standfirst_people("LEIA PETTY and JEN ROESCH tell the story of the strike.") == [
        "Leia Petty",
        "Jen Roesch",
    ]
    assert standfirst_people("KEVIN MCBRIDE and NORA O'SHEA look back.") == [
        "Kevin McBride",
        "Nora O'Shea",
    ]
    assert standfirst_people("THE HARBOUR board looks at the rota.") == []
    # a standfirst's first words in the house's capitals are not its writer
    assert standfirst_people("A HARWICH docker describes the new rota.") == []
    assert standfirst_people("TWO HUNDRED years on, MAUD FENN looks back.") == ["Maud Fenn"]
    assert standfirst_people("A J COOK looks at the coalfield.") == ["A J Cook"]
    assert byline_people("By Jennifer Marsh and Joe Bale, WTU, AFT Local 6") == [
        "Jennifer Marsh",
        "Joe Bale",
    ]
    assert split_names("Ana Duarte, Tom Price and Li Wei") == ["Ana Duarte", "Tom Price", "Li Wei"]
    assert split_names("Looks At The Life of the poet") == []


@pytest.mark.django_db
def test_articles_follow_the_contents_page(tideline):
    items = list(Article.objects.filter(key__startswith=ISSUE + "/").order_by("position"))
    assert [(a.section, a.title) for a in items[:5]] == [
        ("HARBOUR NEWS", "The cranes stand still"),
        ("HARBOUR NEWS", "Ferry fares frozen"),
        ("OUR VIEW", "Who keeps the lights on?"),
        ("OUR VIEW", "Reading the tides"),
        ("TL READERS WRITE", "Letters to the editor"),
    ]
    ferry = article(f"{ISSUE}/120_02_Ferry.php")
    assert (
        ferry.summary == "The island ferry will not raise its fares this winter after a petition."
    )
    issue = Issue.objects.get(number=120)
    assert (issue.year, issue.month, issue.day) == (2010, 3, 5)
    assert issue.publication.name == "The Tideline"


@pytest.mark.django_db
def test_article_page_in_full(tideline):
    cranes = article(f"{ISSUE}/120_01_Dockers.php")
    assert cranes.kicker == "Dockers vote to walk out"
    assert cranes.pages == "2 and 3"
    assert cranes.published is None  # the issue's own date
    assert bylines(cranes) == ["Mairi McLeod", "Sean O'Donnell"]
    assert cranes.standfirst.startswith(
        "MAIRI MCLEOD and SEAN O'DONNELL report from the south quay"
    )
    types = [b["type"] for b in cranes.blocks]
    assert types == ["paragraph", "paragraph", "section_break", "paragraph", "paragraph"]
    first = cranes.blocks[0]
    assert "Northern Wren" in first["text"] and "<" not in first["text"]
    assert "<em>Northern Wren</em>" in first["html"]
    assert cranes.blocks[1]["text"].endswith(
        'eight off \u2013 "no life at all," as one of them put it.'
    )
    assert "html" not in cranes.blocks[3]  # a plain paragraph carries no markup
    assert cranes.source.text.startswith("<html>")


@pytest.mark.django_db
def test_windows_1252_page_with_byline_beside_the_dateline(tideline):
    ferry = article(f"{ISSUE}/120_02_Ferry.php")
    assert bylines(ferry) == ["Ana Duarte", "Tom Price"]
    assert ferry.pages == "2"
    assert "£4 – the same as last year –" in ferry.blocks[0]["text"]
    assert [b["text"][:3] for b in ferry.blocks] == ["THE", "The"]


@pytest.mark.django_db
def test_interview_subject_is_not_a_byline_and_undated_page_takes_the_issue_date(tideline):
    lighthouse = article(f"{ISSUE}/120_03_Lighthouse.php")
    assert bylines(lighthouse) == []
    assert lighthouse.standfirst == "HANNAH BRIGHT talked to The Tideline about a year on the rock."
    assert lighthouse.pages == "" and lighthouse.date.isoformat() == "2010-03-05"


@pytest.mark.django_db
def test_subheadings_and_letters_signatures(tideline):
    tides = article(f"{ISSUE}/120_04_Tides.php")
    assert {"type": "heading", "text": "Why the bay is different"} in tides.blocks
    assert tides.standfirst.startswith("The moon, the sun")
    letters = article(f"{ISSUE}/120_05_Letters.php")
    assert bylines(letters) == ["Rosa Finch", "Owen Hale"]
    texts = [b["text"] for b in letters.blocks]
    assert "OTHER LETTERS BELOW:" not in texts and "Back to the top" not in texts
    assert [b["text"] for b in letters.blocks if b["type"] == "heading"] == [
        "Gulls on the pier",
        "The night bus",
    ]
    assert "Rosa Finch, Harbour Street" in texts


@pytest.mark.django_db
def test_spanish_supplement_goes_into_its_issue(tideline):
    mareas = article("2010-1/120S/120S_Mareas.php")
    assert mareas.language == "es"
    assert mareas.pages == "2 y 3"
    assert mareas.issue.number == 120 and mareas.issue.day == 5
    assert bylines(mareas) == ["Lucía Pardo"]


@pytest.mark.django_db
def test_every_file_is_accounted_for_in_the_report(tideline):
    by_path: dict[str, list] = {}
    for entry in tideline.entries:
        by_path.setdefault(entry.path, []).append(entry)
    for file in SITE.rglob("*.php"):
        key = file.relative_to(SITE).as_posix()
        assert key in by_path, f"{key} missing from the report"
    contents = by_path[f"{ISSUE}/120_Storylist.php"]
    assert [e.status for e in contents] == ["noted", "noted"]
    assert any("120_06_Gone.shtml" in e.reason for e in contents)
    assert any("contents page of issue 120" in e.reason for e in contents)
    stray = by_path[f"{ISSUE}/120_07_Stray.php"]
    assert {e.status for e in stray} == {"added", "noted"}
    assert any("not linked from any contents page" in e.reason for e in stray)
    assert article(f"{ISSUE}/120_07_Stray.php").published.isoformat() == "2010-03-03"
    assert tideline.count("failed") == 0


@pytest.mark.django_db
def test_reingest_changes_nothing_and_archive_gives_the_same_keys(ingest_paths, tmp_path):
    first = ingest_paths(SITE)
    keys = set(Article.objects.values_list("key", flat=True))
    archive = tmp_path / "tideline.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(SITE, arcname="the-tideline")
    again = ingest_paths(archive)
    assert first.count("added") == 7
    assert again.count("added") == 0 and again.count("updated") == 0
    assert again.count("unchanged") == first.count("added")
    assert set(Article.objects.values_list("key", flat=True)) == keys


def test_sniff_claims_the_site_but_not_xml_or_plain_text(tmp_path):
    feed = tmp_path / "export.xml"
    feed.write_text('<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>')
    note = tmp_path / "note.txt"
    note.write_text("July 4, 2003 | Page 8\nJust text.\n")
    claimed = {Path(f.path).name: LegacyHtmlReader.sniff(f) for f in walk([SITE, feed, note])}
    assert claimed.pop("export.xml") is False and claimed.pop("note.txt") is False
    assert all(claimed.values()) and len(claimed) == 8


def test_publication_named_from_the_site_folder_or_given():
    outputs = read_all(LegacyHtmlReader())
    assert {o.publication for o in outputs if hasattr(o, "publication")} == {"The Tideline"}
    named = read_all(LegacyHtmlReader("Tideline Weekly"))
    assert {o.publication for o in named if hasattr(o, "publication")} == {"Tideline Weekly"}


def read_all(reader: LegacyHtmlReader) -> list:
    outputs: list = []
    for file in walk([SITE]):
        outputs += reader.feed(file)
    return outputs + list(reader.finish())


@pytest.mark.django_db
def test_two_sites_in_one_run_stay_two_publications(ingest_paths, tmp_path):
    other = tmp_path / "the-ebbtide"
    shutil.copytree(SITE, other)
    ingest_paths(SITE, other)
    names = set(Article.objects.values_list("publication__name", flat=True))
    assert names == {"The Tideline", "The Ebbtide"}
    supplement = Article.objects.get(publication__name="The Ebbtide", key__endswith="Mareas.php")
    assert supplement.issue.publication.name == "The Ebbtide" and supplement.issue.number == 120


def test_a_page_fed_after_its_folder_closed_still_joins_its_issue():
    files = sorted(
        (SourceFile(f.path, f.head, io.BytesIO(f.read_bytes())) for f in walk([SITE])),
        key=lambda f: "Stray" in f.path,
    )
    stray = files.pop()  # it comes after the supplement folder, which is fed last
    reader = LegacyHtmlReader()
    outputs: list = []
    assert "120S" in files[-1].path
    for file in [*files, stray]:
        outputs += reader.feed(file)
    outputs += reader.finish()
    records = {o.key: o for o in outputs if isinstance(o, ArticleRecord)}
    late = records[f"{ISSUE}/120_07_Stray.php"]
    positions = [r.position for r in records.values() if r.key.startswith(ISSUE + "/")]
    assert late.issue.number == 120 and late.issue.day == 5
    assert sorted(positions) == list(range(len(positions)))
