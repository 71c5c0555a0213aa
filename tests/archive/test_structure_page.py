"""The article page renders structure accessibly, and search finds the words inside it.

Over real HTTP (Django's test client) on the project's own fixtures
(tests/fixtures/structure): real nested <blockquote>s, <ol start>/<ul> nested,
data tables with <caption> and <th scope>, no layout table, note markers and
notes linked both ways with labels a screen reader speaks; every block type's
words are searchable and highlighted.
"""

from __future__ import annotations

import pytest
from lxml import html

from backfile.archive.models import Article
from tests.archive.pages import one, text_of
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

STRUCTURE = FIXTURES / "structure"


@pytest.fixture
def quayside(ingest_paths):
    report = ingest_paths(STRUCTURE / "legacy" / "the-quayside", STRUCTURE / "quayside.xml")
    assert report.summary()["failed"] == 0, report.entries
    report = ingest_paths(STRUCTURE / "the-quayside-review")
    assert report.summary()["failed"] == 0, report.entries


def url_of(key_part: str) -> str:
    return Article.objects.get(key__contains=key_part).get_absolute_url()


def article_body(client, key_part: str, **query):
    response = client.get(url_of(key_part), query)
    assert response.status_code == 200
    return one(html.fromstring(response.content), "//div[@class='article-body']")


def test_quotations_nest_as_blockquotes(client, quayside):
    body = article_body(client, "130_01_Netmakers")
    inner = one(body, "./blockquote/blockquote")
    assert text_of(inner) == "No worker shall mend in the dark."
    assert text_of(one(body, "./blockquote/p[last()]")) == "The board will reply in the spring."


@pytest.mark.parametrize(
    ("key", "start", "first", "nested"),
    [
        ("130_01_Netmakers", "3", "A rate for every net", "in three sizes"),
        ("130S_Redes", "2", "Una tarifa por cada red", "en tres tallas"),
        ("example:301", "5", "A warm loft", "for hemp"),
        ("net-menders", "3", "A rate for every net", "in three sizes"),
    ],
)
def test_lists_render_as_ol_with_start_and_nested_lists(
    client, quayside, key, start, first, nested
):
    body = article_body(client, key)
    [numbered] = body.xpath("./ol")
    assert numbered.get("start") == start
    assert text_of(numbered.xpath("./li")[0]).startswith(first)
    inner = numbered.xpath("./li[2]/ul/li | ./li[2]/ol/li")
    assert text_of(inner[0]) == nested


def test_a_list_starting_at_one_has_no_start_attribute(client, quayside):
    [numbered] = article_body(client, "remendadoras").xpath("./ol")
    assert numbered.get("start") is None


def test_data_table_has_caption_and_scoped_header_cells_and_no_layout_table(client, quayside):
    body = article_body(client, "130_01_Netmakers")
    [table] = body.xpath(".//table")  # the sidebar box is not rendered as a table
    assert text_of(one(table, "./caption")) == "Hourly pay on the west quay"
    assert [text_of(th) for th in table.xpath("./thead/tr/th[@scope='col']")] == [
        "Year",
        "Menders",
        "Riggers",
    ]
    assert [text_of(th) for th in table.xpath("./tbody/tr/th[@scope='row']")] == ["2009", "2010"]
    assert [text_of(td) for td in table.xpath("./tbody/tr[2]/td")] == ["£6.25", ""]
    assert "Their meeting is on Thursday in the rope loft." in [
        text_of(p) for p in body.xpath("./p")
    ]


@pytest.mark.parametrize(
    ("key", "heading", "labels"),
    [
        ("130_01_Netmakers", "Notes", ["1", "*"]),
        ("130S_Redes", "Notas", ["1"]),
        ("example:301", "Notes", ["1"]),
        ("example:302", "Notas", ["1"]),
        ("net-menders", "Notes", ["1"]),
        ("remendadoras", "Notas", ["1"]),
    ],
)
def test_notes_and_markers_link_both_ways(client, quayside, key, heading, labels):
    body = article_body(client, key)
    section = one(body, "./section[@class='notes']")
    assert text_of(one(section, "./h2")) == heading
    assert section.get("aria-labelledby") == one(section, "./h2").get("id")
    notes = section.xpath("./ol/li")
    assert [text_of(one(n, "./span[@class='note-label']")) for n in notes] == labels
    ids = {element.get("id") for element in body.iter() if element.get("id")}
    for number, (note, label) in enumerate(zip(notes, labels, strict=True), start=1):
        assert note.get("id") == f"note-{number}"
        marker = one(body, f".//a[@id='note-ref-{number}']")
        assert marker.get("href") == f"#note-{number}"
        assert marker.get("aria-label") == f"Note {label}"
        back = one(note, "./a[@class='note-back']")
        assert back.get("href") == f"#note-ref-{number}"
        assert back.get("aria-label") == f"Back to the text of note {label}"
    for link in body.xpath(".//a[starts-with(@href, '#')]"):
        assert link.get("href")[1:] in ids, link.get("href")


def test_bold_question_stays_bold(client, quayside):
    body = article_body(client, "130S_Redes")
    assert "¿Cuánto dura un turno en el muelle?" in [text_of(s) for s in body.xpath("./p/strong")]


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("riggers", "130_01_Netmakers"),  # a table's header cell
        ("chandlery", "example:301"),  # a note
        ("estufa", "example:302"),  # an item of a nested list
        ("aparejadores", "remendadoras"),  # a typed table's header
        ("oscuras", "130S_Redes"),  # a nested quotation
    ],
)
def test_search_finds_words_in_every_block_type(client, quayside, word, key):
    found = client.get("/api/search", {"q": word}).json()["results"]
    assert url_of(key) in [r["url"].split("?")[0].removeprefix("http://testserver") for r in found]


def test_highlighter_marks_words_in_tables_and_notes(client, quayside):
    body = article_body(client, "130_01_Netmakers", q="riggers")
    assert [text_of(m) for m in body.xpath(".//th/mark")] == ["Riggers"]
    body = article_body(client, "example:301", q="chandlery")
    assert [text_of(m) for m in body.xpath(".//section[@class='notes']//mark")] == ["chandlery"]
    marker = one(body, ".//a[@id='note-ref-1']")
    assert marker.get("aria-label") == "Note 1"  # marking never reaches into attributes
