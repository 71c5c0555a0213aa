"""More of a legacy page's shapes, in English and Spanish (pages made up here): verse set
line by line with `<br>`, a bordered pull quote, a box that only points elsewhere, an
editor's note after a signed letter, notes introducing the people in a report, a writer
signing a standfirst with initials, and the markup slips browsers forgive (`</br>`, a
stray inline end tag inside a paragraph)."""

from __future__ import annotations

import pytest

from backfile.archive.templatetags.reading import render_block
from backfile.ingest.readers.bylines import bio_people, initials_writer
from backfile.ingest.readers.legacy_page import Page, read_page
from backfile.ingest.records import block_to_dict

HEAD = (
    '<p><font face="Times" size="5"><b>{title}</b></font></p>'
    '<p><font face="Arial" size="2">{dateline}</font></p>'
)
PARAGRAPH = '<p><font face="Times" size="3">{}</font></p>'

PAGES = {
    "en": {
        "dateline": "May 4, 2012 | Page 3",
        "first": "The crane drivers walked out at dawn, and by noon the quay was still.",
        "second": "The owners say they will talk on Monday, but nobody on the quay believes them.",
        "verse": [
            "We built the cranes that lift the world",
            "We stacked the ships from keel to mast",
            "And now they tell us we are done",
            "But every tide comes in at last",
        ],
        "quote": "They can close the gates, but they cannot close our mouths.",
        "said": "--Tomás Vidal, crane driver",
        "pointer": [
            "The lockout",
            "The union's own page tells the whole story of the lockout, day by day.",
        ],
        "letter": "I worked the night shift on the quay for twenty years and never saw it so quiet.",
        "signed": "Mara Quist, Harbour Road",
        "note": "The editors welcome letters of up to 300 words.",
        "bio": "TOMÁS VIDAL is a crane driver and a shop steward at the north quay.",
        "bio_name": "Tomás Vidal",
        "initials": "D.K. is a member of the dockers' union at the north quay.",
    },
    "es": {
        "dateline": "4 de mayo de 2012 | Página 3",
        "first": "Los gruistas pararon al amanecer, y al mediodía el muelle estaba quieto.",
        "second": "Los dueños dicen que hablarán el lunes, pero nadie en el muelle les cree.",
        "verse": [
            "Levantamos las grúas del puerto",
            "Cargamos los barcos de sol a sol",
            "Y ahora nos dicen que sobramos",
            "Pero la marea siempre vuelve",
        ],
        "quote": "Pueden cerrar las puertas, pero no pueden cerrarnos la boca.",
        "said": "--Luis Gómez, gruista",
        "pointer": [
            "El cierre",
            "La página del sindicato cuenta toda la historia del cierre, día a día.",
        ],
        "letter": "Trabajé de noche en el muelle veinte años y nunca lo vi tan callado.",
        "signed": "Juana Pérez, Calle del Puerto",
        "note": "La redacción publica cartas de hasta 300 palabras.",
        "bio": "LUIS GÓMEZ es gruista y delegado sindical en el muelle norte.",
        "bio_name": "Luis Gómez",
        "initials": "J.R. es miembro del sindicato de estibadores del muelle norte.",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "es"])


def page(dateline: str, parts: list[str], title: str = "Cranes idle") -> Page:
    """A page of the title and dateline, then `parts`: plain strings are paragraphs, strings
    starting with `<` are put in as markup."""
    body = "".join(part if part.startswith("<") else PARAGRAPH.format(part) for part in parts)
    return read_page(
        "2012-1/32/32_03_Story.php", HEAD.format(title=title, dateline=dateline) + body
    )


def texts(found: Page) -> list[str]:
    return [block.text for block in found.blocks]


@LANGUAGES
def test_verse_set_with_br_is_one_paragraph_a_line_each(language):
    shape = PAGES[language]
    verse = '<p><font face="Times" size="3">' + "<br>".join(shape["verse"]) + "</font></p>"
    found = page(shape["dateline"], [shape["first"], verse, shape["second"]])
    assert texts(found) == [shape["first"], "\n".join(shape["verse"]), shape["second"]]
    # the article page shows each line of the verse on its own line
    shown = str(render_block(block_to_dict(found.blocks[1])))
    assert shown.count("<br>") == len(shape["verse"]) - 1, shown
    # prose broken by a `<br>` in mid-flow is not verse: each line stays a paragraph
    prose = [shape["first"], shape["second"]]
    broken = page(
        shape["dateline"], ['<p><font face="Times" size="3">' + "<br>".join(prose) + "</font></p>"]
    )
    assert texts(broken) == prose


@LANGUAGES
def test_a_bordered_box_of_a_quotation_and_who_said_it_is_a_quotation(language):
    shape = PAGES[language]
    cells = "".join(f"<p>{line}</p>" for line in (shape["quote"], shape["said"]))
    pull = f'<table border="1" width="200" align="right"><tr><td>{cells}</td></tr></table>'
    found = page(shape["dateline"], [shape["first"], pull, shape["second"]])
    assert [block.type for block in found.blocks] == ["paragraph", "quotation", "paragraph"]
    assert [block.text for block in found.blocks[1].blocks] == [shape["quote"], shape["said"]]
    # without its border, the same box is a sidebar's text, read in the flow
    plain = pull.replace('border="1"', 'border="0"')
    kept = page(shape["dateline"], [shape["first"], plain, shape["second"]])
    assert texts(kept) == [shape["first"], shape["quote"], shape["said"], shape["second"]]


@LANGUAGES
def test_a_box_that_only_points_to_another_page_is_not_the_article_s_text(language):
    shape = PAGES[language]
    link, about = shape["pointer"]
    cells = f'<p><a href="../31/31_02_Lockout.php">{link}</a></p><p>{about}</p>'
    pointer = f'<table width="200" align="right"><tr><td>{cells}</td></tr></table>'
    found = page(shape["dateline"], [shape["first"], pointer, shape["second"]])
    assert texts(found) == [shape["first"], shape["second"]]
    # the same box without its link is a sidebar (a sentence of prose): its text is kept
    plain = pointer.replace('<a href="../31/31_02_Lockout.php">', "").replace("</a>", "")
    kept = page(shape["dateline"], [shape["first"], plain, shape["second"]])
    assert texts(kept) == [shape["first"], link, about, shape["second"]]


@LANGUAGES
def test_a_letter_signed_above_an_editor_s_note_keeps_its_writer_and_the_note(language):
    shape = PAGES[language]
    note = f'<p><font face="Times" size="3"><i>{shape["note"]}</i></font></p>'
    found = page(shape["dateline"], [shape["letter"], shape["signed"], note], title="Letters")
    assert found.authors == [shape["signed"].split(",")[0]]
    assert texts(found) == [shape["letter"], shape["note"]]


@LANGUAGES
def test_a_note_introducing_a_speaker_names_a_contributor_or_the_writer(language):
    shape = PAGES[language]
    note = f'<blockquote><p><font face="Times" size="3">{shape["bio"]}</font></p></blockquote>'
    assert bio_people(shape["bio"]) == [shape["bio_name"]]
    # a report with a byline: the person the note introduces is a contributor
    byline = '<p><font face="Arial" size="2">By Ann Writer</font></p>'
    signed = page(shape["dateline"], [byline, note, shape["first"], shape["second"]])
    assert signed.authors == ["Ann Writer"]
    assert [(c.name, c.role) for c in signed.contributors] == [(shape["bio_name"], "contributor")]
    # without one (a roundtable of contributions), the people introduced are its writers
    unsigned = page(shape["dateline"], [note, shape["first"], shape["second"]])
    assert unsigned.authors == [shape["bio_name"]]
    # a long paragraph that opens with a name in capitals is the text, not a note
    long = f"{shape['bio']} {shape['first'] * 8}"
    assert bio_people(long) == []


@LANGUAGES
def test_initials_at_the_head_of_a_standfirst_are_its_writer(language):
    shape = PAGES[language]
    assert initials_writer(shape["initials"]) == [shape["initials"].split()[0]]
    # initials that name a country or a body are not a writer
    assert initials_writer("U.S. is the largest port owner in the region.") == []
    assert initials_writer("EE.UU. es el mayor dueño de puertos de la región.") == []


@LANGUAGES
def test_a_closing_br_tag_breaks_the_line_as_a_browser_does(language):
    shape = PAGES[language]
    joined = (
        f'<p><font face="Times" size="3">{shape["first"]}</br></br>{shape["second"]}</font></p>'
    )
    found = page(shape["dateline"], [joined])
    assert texts(found) == [shape["first"], shape["second"]]


@LANGUAGES
def test_a_stray_inline_end_tag_does_not_cut_a_paragraph_in_two(language):
    """`<p>… <i><font>Word.</i></font>"Next…</p>`: libxml2 closes the paragraph at the stray
    `</font>`; a browser, and the reader, keep it whole."""
    shape = PAGES[language]
    words = shape["first"].split()
    head, last = " ".join(words[:-1]), words[-1]
    markup = (
        f'<font face="Times" size="3"><p>{head} <i><font color="red">{last}</i></font>'
        f'"{shape["second"]}"</p></font>'
    )
    found = page(shape["dateline"], [markup, shape["second"]])
    assert texts(found)[0] == f'{shape["first"]}"{shape["second"]}"'
