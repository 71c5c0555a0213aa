"""Bylines in every form, in English and Spanish, through the real ingest command.

The fixtures are The Quayside (tests/fixtures/legacy_html/the-quayside), a weekly
the project made up: issue 31 in English and its Spanish supplement 31S. Each page
prints its writers a different way (a byline of three names, `Por X y Y` sharing
the dateline, a byline repeated with the dateline at the foot, capitals in a plain
introduction, a signature with a place, letters signed one by one) and credits
people who are not writers (`Translated by`, `Traducción:`, `Additional reporting
by`, `Con información de`, `Photos by`, `Fotos:`). Some kickers open with a
section label (`OUR VIEW The town runs on buses`).
"""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from django.core.management import call_command
from lxml import etree

from backfile.archive.models import Article
from backfile.ingest.readers.bylines import (
    credit_line,
    intro_people,
    signature_people,
    title_case_name,
)
from backfile.ingest.readers.legacy_page import Page, read_page
from backfile.ingest.readers.section_labels import SectionLabels
from tests.conftest import FIXTURES

QUAYSIDE = FIXTURES / "legacy_html" / "the-quayside"
EN, ES = "2012-1/31/", "2012-1/31S/"
DC = "{http://purl.org/dc/elements/1.1/}"


def run_ingest(*arguments) -> str:
    out = io.StringIO()
    call_command("ingest", *[str(a) for a in arguments], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stored(key: str) -> Article:
    return Article.objects.get(key=key)


def authors(article: Article) -> list[str]:
    return [b.as_printed for b in article.author_bylines()]


def credits(article: Article) -> list[tuple[str, str]]:
    return [(b.as_printed, b.role) for b in article.contributor_bylines()]


def body(article: Article) -> list[str]:
    return [block["text"] for block in article.blocks]


@pytest.fixture
def quayside(db):
    return run_ingest(QUAYSIDE)


@pytest.mark.django_db
def test_english_bylines_and_credits_are_stored_with_their_roles(quayside):
    depot = stored(EN + "31_01_Depot.php")
    assert authors(depot) == ["Ann Whitlow", "Bo Reed", "Cal Moss"]
    assert credits(depot) == [("Dee Farrow", "contributor")]
    assert not any(text.startswith(("By ", "Additional reporting")) for text in body(depot))

    canal = stored(EN + "31_03_Canal.php")
    assert authors(canal) == ["Eve Stone"]
    assert credits(canal) == [("Gil Marsh", "translator"), ("Ira Penn", "photographer")]
    assert body(canal)[-1] == "The harbour board says the money is coming next spring."
    assert not any("|" in text or "Photos" in text for text in body(canal))

    accounts = stored(EN + "31_04_Accounts.php")
    assert authors(accounts) == ["Kit O'Brien", "María José García-Márquez"]
    assert body(accounts)[0].startswith("KIT O'BRIEN and MARÍA JOSÉ")  # the intro stays


@pytest.mark.django_db
def test_spanish_bylines_and_credits_are_stored_with_their_roles(quayside):
    huelga = stored(ES + "31S_Huelga.php")
    assert authors(huelga) == ["Juana Pérez", "Luis Gómez"]
    assert credits(huelga) == [
        ("Marta Díaz", "translator"),
        ("Ana Ruiz", "contributor"),
        ("Eva Sol", "photographer"),
    ]
    assert huelga.pages == "3"
    assert body(huelga) == [
        "LOS ESTIBADORES del muelle sur pararon el lunes por la mañana.",
        "Dicen que el nuevo turno no les deja vida fuera del puerto.",
    ]
    assert authors(stored(ES + "31S_Cuentas.php")) == ["Juan de la Cruz"]
    assert authors(stored(ES + "31S_Tarifas.php")) == ["Rosa Blanco"]


@pytest.mark.django_db
def test_a_signature_at_the_end_names_the_writer_and_leaves_the_body(quayside):
    view = stored(EN + "31_02_View.php")
    assert authors(view) == ["Dana Fox"]
    assert body(view)[-1].startswith("The strike deserves")
    opinion = stored(ES + "31S_Opinion.php")
    assert authors(opinion) == ["Juana Pérez"]
    assert body(opinion)[-1] == "Por eso apoyamos el paro sin condiciones."


@pytest.mark.django_db
def test_a_last_sentence_naming_someone_is_not_a_signature(quayside):
    market = stored(EN + "31_06_Market.php")
    assert authors(market) == []
    assert body(market)[-1].startswith("Ruth Gale said the strike")
    rates = stored(EN + "31_07_Rates.php")
    assert authors(rates) == [] and body(rates)[-1] == "It is time to say no."


@pytest.mark.django_db
def test_letters_pages_take_one_signature_per_letter_and_keep_them(quayside):
    letters = stored(EN + "31_05_Letters.php")
    assert authors(letters) == ["Rosa Lind", "Tom Hale", "Una Bell", "Ivo Park"]
    assert "Tom Hale and Una Bell, Tobermory, Mull" in body(letters)
    cartas = stored(ES + "31S_Cartas.php")
    assert authors(cartas) == ["Pedro Ruiz", "Ana Gil", "Eva Sol", "Marisol de la Fuente"]


@pytest.mark.django_db
def test_a_section_label_in_front_of_the_kicker_becomes_the_section(quayside):
    view = stored(EN + "31_02_View.php")  # on no contents page: the label is its section
    assert (view.section, view.kicker) == ("OUR VIEW", "The town runs on buses")
    accounts = stored(EN + "31_04_Accounts.php")  # the contents page's section stands
    assert (accounts.section, accounts.kicker) == ("HOME NEWS", "Counting the cost")
    opinion = stored(ES + "31S_Opinion.php")
    assert (opinion.section, opinion.kicker) == ("EDITORIAL", "Un puerto para todos")
    depot = stored(EN + "31_01_Depot.php")  # a kicker without a label is left alone
    assert (depot.section, depot.kicker) == ("HOME NEWS", "Strike on the east side")


@pytest.mark.django_db
def test_ingesting_again_keeps_or_updates_the_roles(tmp_path):
    site = tmp_path / "the-quayside"
    shutil.copytree(QUAYSIDE, site)
    run_ingest(site)
    assert "unchanged 12" in run_ingest(site)
    canal = site / "2012-1" / "31" / "31_03_Canal.php"
    canal.write_text(canal.read_text().replace("Translated by", "Illustrations by"))
    assert "updated 1" in run_ingest(site)
    stored_canal = stored(EN + "31_03_Canal.php")
    assert credits(stored_canal) == [("Gil Marsh", "illustrator"), ("Ira Penn", "photographer")]
    assert authors(stored_canal) == ["Eve Stone"]


@pytest.mark.django_db
def test_credits_are_shown_but_never_cited_as_authors(quayside, client):
    canal = stored(EN + "31_03_Canal.php")
    page = client.get(canal.get_absolute_url()).content.decode()
    assert re.search(r"Translated by\s*<a [^>]*>Gil Marsh</a>", page)
    assert re.search(r"Photos by\s*<a [^>]*>Ira Penn</a>", page)
    assert not re.search(r'rel="author">Gil Marsh', page)
    ris = client.get(f"{canal.get_absolute_url()}cite.ris").content.decode()
    assert "AU  - Stone, Eve" in ris and "Marsh" not in ris
    root = etree.fromstring(
        client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    )
    for dc in root.iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
        if dc.findtext(f"{DC}title") == canal.title:
            assert [e.text for e in dc.iter(f"{DC}creator")] == ["Eve Stone"]
            assert [e.text for e in dc.iter(f"{DC}contributor")] == ["Gil Marsh", "Ira Penn"]
            break
    else:
        pytest.fail("the canal article is not harvested")


@pytest.mark.django_db
def test_export_keeps_roles_apart(quayside, tmp_path):
    exported = tmp_path / "quayside.jsonl"
    call_command("export", "--format", "jsonl", "-o", str(exported), stdout=io.StringIO())
    lines = exported.read_text(encoding="utf-8").splitlines()
    records = {r["key"]: r for r in map(json.loads, lines)}
    huelga = records[ES + "31S_Huelga.php"]
    assert huelga["authors"] == ["Juana Pérez", "Luis Gómez"]
    assert huelga["contributors"] == [
        {"name": "Marta Díaz", "role": "translator"},
        {"name": "Ana Ruiz", "role": "contributor"},
        {"name": "Eva Sol", "role": "photographer"},
    ]


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("LEE WENGRAF", "Lee Wengraf"),
        ("MARÍA JOSÉ GARCÍA-MÁRQUEZ", "María José García-Márquez"),
        ("JUAN DE LA CRUZ", "Juan de la Cruz"),
        ("PIETER VAN DER BERG", "Pieter van der Berg"),
        ("NORA O'BRIEN", "Nora O'Brien"),
        ("KEVIN MCBRIDE", "Kevin McBride"),
    ],
)
def test_names_printed_in_capitals_are_title_cased(printed, name):
    assert title_case_name(printed) == name


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("Jane Doe", ["Jane Doe"]),
        ("Jane Doe, Chicago", ["Jane Doe"]),
        ("Juana Pérez, Los Ángeles", ["Juana Pérez"]),
        ("Sam Reid, Leith, Edinburgh", ["Sam Reid"]),
        ("Jane Doe and John Roe, Austin, Texas", ["Jane Doe", "John Roe"]),
        ("Ana Ruiz, Luis Gómez y Marta Díaz", ["Ana Ruiz", "Luis Gómez", "Marta Díaz"]),
        ("Tim Cole, Washington, D.C.", ["Tim Cole"]),
        ("Jane Doe, union steward", ["Jane Doe"]),
        ("Jane Doe, Socialist Worker correspondent", ["Jane Doe"]),
        ("Juana Pérez, corresponsal en Caracas", ["Juana Pérez"]),
        ("Jane Doe said the strike would go on.", []),
        ("The strike goes on", []),
        ("Los Ángeles, California", []),
        ("New York City", []),
        ("-- Jane Doe, quoted in the Gazette", []),
        ("Nothing Will Stop Us Now!", []),
    ],
)
def test_a_signature_is_a_short_name_shaped_line(line, people):
    assert signature_people(line) == people


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("By A. Writer", ("author", ["A. Writer"])),
        ("Por A. Escritora", ("author", ["A. Escritora"])),
        ("by Jo Park and Lee Chan", ("author", ["Jo Park", "Lee Chan"])),
        ("Written by Jo Park", ("author", ["Jo Park"])),
        ("Reported by Jo Park and Lee Chan", ("author", ["Jo Park", "Lee Chan"])),
        ("Escrito por Ana Ruiz", ("author", ["Ana Ruiz"])),
        ("Crónica de Ana Ruiz", None),  # (`de` credits a source as often as a writer)
        ("Translated by Pat Roe", ("translator", ["Pat Roe"])),
        ("Traducido por Luis Gómez", ("translator", ["Luis Gómez"])),
        ("Traducción: Marta Díaz", ("translator", ["Marta Díaz"])),
        ("Translation: Pat Roe", ("translator", ["Pat Roe"])),
        ("By Jo Park in Glasgow", ("author", ["Jo Park"])),
        ("By Jo Park and Lee Chan in New York", ("author", ["Jo Park", "Lee Chan"])),
        ("Por Ana Ruiz desde Caracas", ("author", ["Ana Ruiz"])),
        ("Additional reporting by Jo Bloggs", ("contributor", ["Jo Bloggs"])),
        ("Con información de Ana Ruiz", ("contributor", ["Ana Ruiz"])),
        ("Photos by Sam Lee", ("photographer", ["Sam Lee"])),
        ("Fotos: Ana Ruiz y Luis Gómez", ("photographer", ["Ana Ruiz", "Luis Gómez"])),
        ("By the way, the meeting is on Friday", None),
        ("Translated by the union into six languages", None),
    ],
)
def test_credit_lines_name_people_with_their_role(line, credit):
    assert credit_line(line) == credit


def test_capitals_in_a_plain_intro_name_the_writer_only_before_what_they_do():
    assert intro_people("JO PARK looks at the tide tables.") == ["Jo Park"]
    assert intro_people("ANA RUIZ y LUIS GÓMEZ explican la huelga.") == ["Ana Ruiz", "Luis Gómez"]
    assert intro_people("SAN FRANCISCO--Thousands marched on Saturday.") == []
    assert intro_people("NEW ORLEANS residents returned to the city.") == []
    assert intro_people("ANA RUIZ spoke to the paper about the strike.") == []


CAPTURES = FIXTURES / "capture" / "credits"
WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Breakwater</title><link>https://breakwater.example/</link><language>en</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://breakwater.example/</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[admin]]></wp:author_login>
<wp:author_display_name><![CDATA[Site Admin]]></wp:author_display_name></wp:author>
{items}
</channel>
</rss>
"""
ITEM = """<item><title>{title}</title><link>https://breakwater.example/?p={id}</link>
<dc:creator><![CDATA[admin]]></dc:creator><guid isPermaLink="false">https://breakwater.example/?p={id}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2014-05-0{id} 10:00:00</wp:post_date>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
"""


@pytest.mark.django_db
def test_page_captures_keep_credits_apart_in_both_languages():
    run_ingest(CAPTURES)
    ferry = Article.objects.get(title="The ferry strike")
    assert authors(ferry) == ["Nell Hardy", "Owen Price"]
    assert credits(ferry) == [("Piet de Wit", "translator"), ("Ruth Kale", "photographer")]
    assert body(ferry)[-1].startswith("They want the night sailings")
    huelga = Article.objects.get(title="La huelga del transbordador")
    assert authors(huelga) == ["Lucía Ortega", "Pablo Serrano"]
    assert credits(huelga) == [("Inés Robles", "translator"), ("Tomás Vidal", "photographer")]
    assert body(huelga)[-1] == "Quieren que los viajes de noche se paguen como los de día."


@pytest.mark.django_db
def test_a_wordpress_bodys_own_byline_names_the_writers(tmp_path):
    posts = [
        ("Harbour wall repaired", 1, "By Jo Park and Lee Chan\n\nThe wall is mended at last."
         "\n\nThe council paid half.\n\nAdditional reporting by Sam Reid"),
        ("El muro del puerto", 2, "Por Ana Ruiz\n\nEl muro está arreglado.\n\n"
         "El ayuntamiento pagó la mitad.\n\nTraducido por Luis Gómez"),
        ("A plain post", 3, "Nothing here names a writer.\n\nBy the way, the fair is on Sunday."),
    ]  # fmt: skip
    items = "".join(ITEM.format(title=t, id=i, body=b) for t, i, b in posts)
    export = tmp_path / "breakwater.xml"
    export.write_text(WXR.format(items=items), encoding="utf-8")
    run_ingest(export)
    wall = Article.objects.get(title="Harbour wall repaired")
    assert authors(wall) == ["Jo Park", "Lee Chan"]
    assert credits(wall) == [("Sam Reid", "contributor")]
    assert body(wall) == ["The wall is mended at last.", "The council paid half."]
    muro = Article.objects.get(title="El muro del puerto")
    assert (authors(muro), credits(muro)) == (["Ana Ruiz"], [("Luis Gómez", "translator")])
    assert body(muro) == ["El muro está arreglado.", "El ayuntamiento pagó la mitad."]
    plain = Article.objects.get(title="A plain post")
    assert authors(plain) == ["Site Admin"] and len(body(plain)) == 2


def labelled_page(name: str, kicker_html: str) -> Page:
    return read_page(
        f"2012-1/32/{name}.php",
        f'<p>{kicker_html}<font face="Times" size="5"><b>A headline</b></font></p>'
        '<p><font face="Arial" size="2">May 4, 2012 | Page 2</font></p><p>Some text.</p>',
    )


def test_a_label_set_apart_by_markup_on_two_pages_is_a_section_label():
    own_line = '<font face="Arial" size="2"><b>TIDE WATCH</b></font><br>'
    first = labelled_page("a", own_line + '<font face="Times" size="4">Spring tides due</font><br>')
    second = labelled_page("b", own_line + '<font face="Times" size="4">Neap tides</font><br>')
    labels = SectionLabels()
    labels.learn([first])
    assert labels.split(first, "") == ("", "TIDE WATCH Spring tides due")  # seen once only
    labels.learn([second])
    assert labels.split(first, "") == ("TIDE WATCH", "Spring tides due")
    assert labels.split(second, "HARBOUR NEWS") == ("HARBOUR NEWS", "Neap tides")
    acronym = labelled_page("c", '<font face="Times" size="4">TIDE WATCH pay rises</font><br>')
    assert labels.split(acronym, "") == ("", "TIDE WATCH pay rises")  # capitals in a phrase
    by_case = labelled_page("d", '<font face="Times" size="4">TIDE WATCH Gulls return</font><br>')
    assert labels.split(by_case, "") == ("TIDE WATCH", "Gulls return")
    unknown = labelled_page("e", '<font face="Times" size="4">GULL WATCH Gulls return</font><br>')
    assert labels.split(unknown, "") == ("", "GULL WATCH Gulls return")


@pytest.mark.django_db
def test_a_jsonl_contributor_without_a_role_fails_alone(tmp_path):
    good = {
        "publication": "The Quayside",
        "key": "q:1",
        "issue": {"year": 2012, "month": 3},
        "title": "Ferry timetable",
        "source": {"path": "q.txt", "format": "capture", "sha256": "", "text": ""},
        "blocks": [{"type": "paragraph", "text": "Boats at six."}],
        "contributors": [{"name": "Gil Marsh", "role": "translator"}],
    }
    bad = {**good, "key": "q:2", "title": "Tide table", "contributors": [{"name": "Ira Penn"}]}
    path = tmp_path / "quayside.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, bad)) + "\n", encoding="utf-8")
    out = run_ingest(path, "--report", tmp_path / "report.txt")
    assert "added 1" in out and "failed 1" in out
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "quayside.jsonl:2" in report and "contributor" in report
    assert credits(Article.objects.get(key="q:1")) == [("Gil Marsh", "translator")]


def dated_page(dateline: str) -> Page:
    return read_page(
        "2012-1/32/32_01_Quay.php",
        '<p><font face="Times" size="5"><b>A headline</b></font></p>'
        f'<p><font face="Arial" size="2">{dateline}</font></p>'
        "<p>The dockers walked out on Monday after the new rota was posted.</p>",
    )


@pytest.mark.parametrize(
    ("dateline", "people"),
    [
        ("By Jo Park in Glasgow | May 4, 2012 | Page 2", ["Jo Park"]),
        ("Por Ana Ruiz en Caracas | 4 de mayo de 2012 | página 2", ["Ana Ruiz"]),
        ("Review of by Jo Park | May 4, 2012", ["Jo Park"]),  # (a title left out in the source)
    ],
)
def test_a_byline_sharing_the_dateline_names_its_writers_in_more_forms(dateline, people):
    page = dated_page(dateline)
    assert page.authors == people
    assert page.dateline.date.year == 2012 and page.notes == []
    assert [block.text for block in page.blocks] == [
        "The dockers walked out on Monday after the new rota was posted."
    ]


def test_a_byline_naming_no_one_by_name_is_reported_not_dropped_in_silence():
    page = dated_page("By a dockers' union member | May 4, 2012 | Page 2")
    assert page.authors == []
    assert page.notes == [
        "the byline “By a dockers' union member” names no one by name: the article is "
        "stored without an author"
    ]
