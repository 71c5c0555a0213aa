"""Structure kept: quotations, lists, tables, notes and bold questions, in every reader.

The fixtures (tests/fixtures/structure) are the project's own, in English and
Spanish: a legacy site (The Quayside: an interview and a Spanish supplement page),
a WordPress export (Quayside Online: a block-editor post and a classic one) and
page captures (The Quayside Review). Each goes through the real ingest; the
stored bodies, the JSONL round trip and the JSONL reader's checks are tested here,
the article page in tests/archive/test_structure_page.py.
"""

from __future__ import annotations

import io
import json

import pytest

from backfile.archive.models import Article
from backfile.ingest.export import write_jsonl
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

STRUCTURE = FIXTURES / "structure"
LEGACY = STRUCTURE / "legacy" / "the-quayside"
WXR = STRUCTURE / "quayside.xml"
CAPTURES = STRUCTURE / "the-quayside-review"


def body(key_part: str) -> list[dict]:
    return Article.objects.get(key__contains=key_part).blocks


def of_type(blocks: list[dict], kind: str) -> list[dict]:
    """Every block of a type, however deep."""
    found = []
    for block in blocks:
        if block["type"] == kind:
            found.append(block)
        found += of_type(block.get("blocks", []), kind)
    return found


def items(listing: dict) -> list[str]:
    return [item["text"] for item in listing["blocks"]]


def rows(table: dict) -> list[list[tuple[str, str]]]:
    return [[(cell["type"], cell["text"]) for cell in row["blocks"]] for row in table["blocks"]]


@pytest.fixture
def quayside(ingest_paths):
    report = ingest_paths(LEGACY, WXR, CAPTURES)
    failed = [e for e in report.entries if e.status == "failed"]
    assert not failed, failed
    return report


# Quotations, nested


@pytest.mark.parametrize(
    ("key", "outer", "inner"),
    [
        ("130_01_Netmakers", "The board has considered your letter", "No worker shall mend"),
        ("130S_Redes", "La junta ha leído su carta", "Nadie remendará a oscuras."),
        ("example:301", "The old agreement said it plainly:", "Every coil is paid for."),
        ("example:302", "El viejo convenio lo decía claro:", "Cada rollo se paga."),
        ("net-menders", "The board has read your letter.", "No worker shall mend"),
        ("remendadoras", "La junta ha leído su carta.", "Nadie remendará a oscuras."),
    ],
)
def test_quotations_are_kept_and_nest(quayside, key, outer, inner):
    [quotation] = [b for b in body(key) if b["type"] == "quotation"]
    assert quotation["blocks"][0]["text"].startswith(outer)
    [nested] = [b for b in quotation["blocks"] if b["type"] == "quotation"]
    assert nested["blocks"][0]["text"].startswith(inner)


# Lists: numbered with their start, bulleted, nested


@pytest.mark.parametrize(
    ("key", "start", "first", "nested"),
    [
        (
            "130_01_Netmakers",
            3,
            "A rate for every net, on top of the hourly pay",
            ["in three sizes", "replaced every season"],
        ),
        ("130S_Redes", 2, "Una tarifa por cada red", ["en tres tallas", "nuevos cada temporada"]),
        ("example:301", 5, "A warm loft", ["for hemp", "for wire"]),
        ("net-menders", 3, "A rate for every net", ["in three sizes", "replaced every season"]),
        ("remendadoras", 1, "Una tarifa por cada red", ["en tres tallas"]),
    ],
)
def test_numbered_lists_keep_their_start_and_nesting(quayside, key, start, first, nested):
    [numbered] = [b for b in body(key) if b["type"] == "list" and b.get("start")]
    assert numbered["start"] == start
    assert numbered["blocks"][0]["text"] == first
    [inner] = numbered["blocks"][1]["blocks"]
    assert inner["type"] == "list"
    assert items(inner) == nested


def test_bulleted_lists_have_no_start_and_nest(quayside):
    [bullets] = [b for b in body("example:302") if b["type"] == "list"]
    assert "start" not in bullets
    assert items(bullets) == ["Un desván caliente", "Una tarifa por rollo"]
    assert items(bullets["blocks"][0]["blocks"][0]) == ["con estufa"]
    [typed] = [b for b in body("net-menders") if b["type"] == "list" and "start" not in b]
    assert items(typed) == ["the loft is cold", "the light is poor"]


# Tables: header cells, rows, cells, caption; layout tables are not tables


def test_legacy_data_table_keeps_caption_header_cells_and_empty_cells(quayside):
    blocks = body("130_01_Netmakers")
    [table] = of_type(blocks, "table")
    assert table["text"] == "Hourly pay on the west quay"
    assert rows(table) == [
        [("table_header", "Year"), ("table_header", "Menders"), ("table_header", "Riggers")],
        [("table_header", "2009"), ("table_cell", "£6.10"), ("table_cell", "£7.40")],
        [("table_header", "2010"), ("table_cell", "£6.25"), ("table_cell", "")],
    ]
    # the sidebar box is a layout table: its words are paragraphs of the body
    texts = [b["text"] for b in blocks]
    assert "Their meeting is on Thursday in the rope loft." in texts


@pytest.mark.parametrize(
    ("key", "caption", "header", "last"),
    [
        ("130S_Redes", "Salario por hora en el muelle oeste", "Año", "7,55 €"),
        ("example:301", "Rates per coil", "Coil", "80p"),
        ("example:302", "Tarifas por rollo", "Rollo", "60 céntimos"),
        ("net-menders", "", "Year", "3s. 2d."),
        ("remendadoras", "", "Año", "3 pesetas"),
    ],
)
def test_tables_in_every_reader(quayside, key, caption, header, last):
    [table] = of_type(body(key), "table")
    assert table["text"] == caption
    assert rows(table)[0][0] == ("table_header", header)
    assert rows(table)[-1][-1] == ("table_cell", last)
    assert len({len(row) for row in rows(table)}) == 1


# Footnotes: markers linked to notes kept at the end


@pytest.mark.parametrize(
    ("key", "heading", "notes"),
    [
        (
            "130_01_Netmakers",
            "Notes",
            [("1", "The interview was in the rope loft, on a Tuesday."),
             ("*", "From the union's pay book for the quay.")],
        ),
        ("130S_Redes", "Notas", [("1", "La entrevista fue en el desván de las cuerdas.")]),
        ("example:301", "", [("1", "In the chandlery, after the tide turned.")]),
        ("example:302", "Notas", [("1", "En la cordelería, con la marea baja.")]),
        ("net-menders", "Notes", [("1", "The interview was in the rope loft.")]),
        ("remendadoras", "Notas", [("1", "La entrevista fue en el desván de las cuerdas.")]),
    ],
)  # fmt: skip
def test_notes_are_the_last_block_and_markers_link_to_them(quayside, key, heading, notes):
    blocks = body(key)
    last = blocks[-1]
    assert last["type"] == "notes"
    assert last["text"] == heading
    assert [(n["label"], n["text"]) for n in last["blocks"]] == notes
    assert 'href="#note-1"' in blocks[0]["html"]
    # the note's text is not also left in the body
    assert not any(notes[0][1] in b.get("text", "") for b in blocks[:-1])


def test_a_symbol_marker_links_to_its_note_by_position(quayside):
    [marked] = [b for b in body("130_01_Netmakers") if b["text"].endswith("own.*")]
    assert marked["html"].endswith('<a href="#note-2">*</a>')


# Bold interview questions keep their bold


@pytest.mark.parametrize(
    ("key", "question"),
    [
        ("130_01_Netmakers", "How long is a shift on the quay?"),
        ("130S_Redes", "¿Cuánto dura un turno en el muelle?"),
        ("example:301", "What comes first in the claim?"),
        ("example:302", "¿Qué va primero en la reclamación?"),
    ],
)
def test_bold_questions_keep_their_bold(quayside, key, question):
    [block] = [b for b in body(key) if b["text"] == question]
    assert (block["type"], block["html"]) == ("paragraph", f"<strong>{question}</strong>")


# The JSONL round trip and the JSONL reader's checks


def export_text() -> str:
    out = io.StringIO()
    write_jsonl(out)
    return out.getvalue()


def test_structured_bodies_round_trip_byte_identical(quayside, tmp_path, ingest_paths):
    first = export_text()
    assert '"type": "table_header"' in first and '"start": 5' in first
    assert '"label": "*"' in first
    exported = tmp_path / "quayside.jsonl"
    exported.write_text(first, encoding="utf-8")
    Article.objects.all().delete()
    report = ingest_paths(exported)
    assert report.summary()["failed"] == 0, report.entries
    assert export_text() == first


BAD_BLOCKS = [
    ([{"type": "list", "text": "", "blocks": [{"type": "paragraph", "text": "x"}]}],
     "a list may not hold a paragraph"),
    ([{"type": "list", "text": ""}], "a list holds nothing"),
    ([{"type": "list", "start": "3", "blocks": [{"type": "list_item", "text": "a"}]}],
     "start '3' belongs only to a list"),
    ([{"type": "notes", "blocks": [{"type": "note", "text": "n"}]}], "a note needs the label"),
    ([{"type": "notes", "blocks": [{"type": "note", "text": "n", "label": "1"}]},
      {"type": "paragraph", "text": "after"}], "the notes must be the body's last block"),
    ([{"type": "gallery", "text": "x"}], "type 'gallery' is not one of"),
    ([{"type": "table", "text": "", "blocks": [{"type": "table_cell", "text": "x"}]}],
     "a table may not hold a table_cell"),
]  # fmt: skip


def test_each_bad_block_fails_its_own_line_and_the_rest_go_in(quayside, tmp_path, ingest_paths):
    good = export_text().splitlines()
    Article.objects.all().delete()
    lines = [good[0]]
    for blocks, _ in BAD_BLOCKS:
        record = json.loads(good[0])
        record["key"] += "-bad"
        record["blocks"] = blocks
        lines.append(json.dumps(record, ensure_ascii=False))
    lines.append(good[1])
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = ingest_paths(path)

    failed = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert sorted(failed) == sorted(f"{path}:{n}" for n in range(2, 2 + len(BAD_BLOCKS)))
    for number, (_, reason) in enumerate(BAD_BLOCKS, start=2):
        assert f"line {number}: not a Backfile JSONL record: block" in failed[f"{path}:{number}"]
        assert reason in failed[f"{path}:{number}"]
    assert Article.objects.count() == 2


# Deep nesting stays bounded, flattened with a note, never empty


def test_quotations_nested_past_the_limit_are_flattened_with_a_note(ingest_paths, tmp_path):
    folder = tmp_path / "the-deep-quote" / "2011-1" / "131"
    folder.mkdir(parents=True)
    deep = "<blockquote>" * 300 + "<p>The bottom of the harbour.</p>" + "</blockquote>" * 300
    page = (
        '<html><body><table><tr><td width="480">'
        '<font face="Times New Roman" size="5"><b>Deep water</b></font>'
        '<p><font face="Arial" size="2">March 11, 2011 | Page 2</font>'
        f"<p>Above the water.</p>{deep}</td></tr></table></body></html>"
    )
    (folder / "131_01_Deep.php").write_text(page, encoding="utf-8")

    report = ingest_paths(tmp_path / "the-deep-quote")

    assert report.summary()["failed"] == 0, report.entries
    article = Article.objects.get()
    texts = [b["text"] for b in of_type(article.blocks, "paragraph")]
    assert "The bottom of the harbour." in texts
    depth, blocks = 0, article.blocks
    while quotes := [b for b in blocks if b["type"] == "quotation"]:
        depth, blocks = depth + 1, quotes[0]["blocks"]
    assert depth == 40  # the parser's own limit is 256: deeper than ours
    notices = " ".join(e.reason for e in report.entries)
    assert "nested more than 40 deep" in notices


# Subheadings


@pytest.mark.parametrize(
    ("key", "subheading"),
    [
        ("130_01_Netmakers", "Ten hours on the quay"),
        ("130S_Redes", "Diez horas en el muelle"),
        ("example:301", "The claim"),
        ("example:302", "La reclamación"),
        ("net-menders", "What the menders want"),
        ("remendadoras", "Lo que piden"),
    ],
)
def test_subheadings_are_headings(quayside, key, subheading):
    blocks = body(key)
    assert ("heading", subheading) in [(b["type"], b["text"]) for b in blocks]
    # short sentences that end like sentences stay paragraphs
    assert all(b["type"] != "heading" or not b["text"].endswith(".") for b in blocks)
