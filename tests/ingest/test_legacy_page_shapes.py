"""A legacy page's shapes read by general rules, in English and Spanish (pages made up here):
a closing credit (`A and B contributed to this report.`), a kicker that only repeats the
article's section, subheadings set apart by type, a film's line without a label, and a
site set in headings (`<h1>`, `<h3>`) rather than `<font>` sizes."""

from __future__ import annotations

import pytest

from backfile.ingest.readers.bylines import closing_credit
from backfile.ingest.readers.legacy_page import Page, read_page
from backfile.ingest.readers.section_labels import SectionLabels

HEAD = (
    '<p><font face="Times" size="5"><b>{title}</b></font></p>'
    '<p><font face="Arial" size="2">{dateline}</font></p>'
)
PARAGRAPH = '<p><font face="Times" size="3">{}</font></p>'


def page(title: str, dateline: str, paragraphs: list[str], kicker_html: str = "") -> Page:
    text = kicker_html + HEAD.format(title=title, dateline=dateline)
    return read_page("2012-1/32/32_01_Story.php", text + "".join(map(PARAGRAPH.format, paragraphs)))


@pytest.mark.parametrize(
    ("dateline", "paragraphs", "credit"),
    [
        (
            "May 4, 2012 | Page 2",
            [
                "The crane drivers walked out at dawn, and by noon the quay was still.",
                "The owners say they will talk on Monday.",
                "Mara Quist, Tomás Vidal and Ann O'Brien contributed to this report.",
            ],
            ["Mara Quist", "Tomás Vidal", "Ann O'Brien"],
        ),
        (
            "4 de mayo de 2012 | Página 2",
            [
                "Los gruistas pararon al amanecer, y al mediodía el muelle estaba quieto.",
                "Los dueños dicen que hablarán el lunes.",
                "Juana Pérez y Luis Gómez colaboraron en este reportaje.",
            ],
            ["Juana Pérez", "Luis Gómez"],
        ),
    ],
)
def test_a_closing_credit_names_contributors_and_leaves_the_body(dateline, paragraphs, credit):
    found = page("Cranes idle", dateline, paragraphs)
    assert [(c.name, c.role) for c in found.contributors] == [(n, "contributor") for n in credit]
    assert [b.text for b in found.blocks] == paragraphs[:2]
    assert found.authors == []


@pytest.mark.parametrize(
    "line",
    [
        "The dockers' union contributed to this report.",  # not a person
        "Readers across the city contributed to this report with letters and photographs.",
        "Todos los vecinos colaboraron en este reportaje con sus fotos.",
        "Mara Quist wrote that the owners contributed to this report's delay.",
    ],
)
def test_a_sentence_that_mentions_contributing_is_text(line):
    assert closing_credit(line) == []
    found = page("Cranes idle", "May 4, 2012 | Page 2", ["The quay was still.", line])
    assert found.contributors == [] and found.blocks[-1].text == line


@pytest.mark.parametrize(
    ("label", "kicker"),
    [("WHAT WE THINK", "Tides and owners"), ("LO QUE PENSAMOS", "Mareas y dueños")],
)
def test_a_kicker_that_only_repeats_the_section_is_no_kicker(label, kicker):
    own_line = f'<font face="Arial" size="3"><b>{label}</b></font><br>'
    alone = page("An editorial", "May 4, 2012 | Page 2", ["Text."], own_line)
    with_words = page(
        "Another editorial",
        "May 11, 2012 | Page 2",
        ["Text."],
        own_line + f'<font face="Times" size="4">{kicker}</font><br>',
    )
    labels = SectionLabels()
    labels.learn([alone, with_words])
    # the contents page files both under the label: the kicker does not repeat it
    assert labels.split(alone, label.title()) == (label.title(), "")
    assert labels.split(with_words, label) == (label, kicker)
    # filed under another section, the label stays the kicker it was printed as
    assert labels.split(alone, "EDITORIALS") == ("EDITORIALS", label)
    # and with no section known, the label becomes the section
    assert labels.split(alone, "") == (label, "")


SUBHEAD_PAGES = {
    "en": (
        "May 4, 2012 | Page 2",
        "The crane drivers walked out at dawn, and by noon the quay was still.",
        "The owners say they will talk on Monday, but nobody on the quay believes them.",
        "Talks that never start",
        "What did the owners offer?",
        "Mara Quist, Harbour Road",
        "--Tomás Vidal",
    ),
    "es": (
        "4 de mayo de 2012 | Página 2",
        "Los gruistas pararon al amanecer, y al mediodía el muelle estaba quieto.",
        "Los dueños dicen que hablarán el lunes, pero nadie en el muelle les cree.",
        "Negociaciones que nunca empiezan",
        "¿Qué ofrecieron los dueños?",
        "Juana Pérez, Calle del Puerto",
        "--Luis Gómez",
    ),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("markup", ["<b>{}</b>", '<font face="Times" size="4">{}</font>'])
def test_a_short_line_set_apart_between_paragraphs_is_a_subheading(language, markup):
    dateline, first, second, subhead, question, signed, attribution = SUBHEAD_PAGES[language]
    found = page("Cranes idle", dateline, [first, markup.format(subhead), second])
    assert [(b.type, b.text) for b in found.blocks] == [
        ("paragraph", first),
        ("heading", subhead),
        ("paragraph", second),
    ]
    # a bold question, a name with a place, an attribution: set apart, but not headings
    for line in (question, signed, attribution):
        kept = page("Cranes idle", dateline, [first, f"<b>{line}</b>", second])
        assert [b.type for b in kept.blocks] == ["paragraph"] * 3, line


@pytest.mark.parametrize(
    ("dateline", "line", "title", "maker", "text"),
    [
        (
            "May 4, 2012 | Page 9",
            "<b><i>Harbour Lights,</i></b> directed by Mara Quist, starring Ann O'Brien.",
            "Harbour Lights",
            "Mara Quist",
            "THE FILM opens on the quay at dawn, and the cranes are still.",
        ),
        (
            "4 de mayo de 2012 | Página 9",
            "<i>Luces del puerto</i>, dirigida por Juana Pérez, con Luis Gómez.",
            "Luces del puerto",
            "Juana Pérez",
            "LA PELÍCULA empieza en el muelle al amanecer, con las grúas quietas.",
        ),
    ],
)
def test_a_film_s_line_without_a_label_names_the_reviewed_work(dateline, line, title, maker, text):
    found = page("A review", dateline, [line, text])
    assert [(w.title, w.author) for w in found.reviewed_works] == [(title, maker)]
    assert [b.text for b in found.blocks] == [text]
    # the same words further down, or a sentence that opens with a title, stay text
    later = page("A review", dateline, [text, line])
    assert later.reviewed_works == [] and len(later.blocks) == 2
    sentence = page("A review", dateline, [f"<i>{title}</i> is the best film of the year.", text])
    assert sentence.reviewed_works == [] and len(sentence.blocks) == 2


BOXES = {
    "en": (
        "May 4, 2012 | Page 3",
        ["Picket the owners' office!", "Harbour Road", "Saturday, May 12"],
        "Source: Harbour Board annual report",
        "The harbour board's own figures show that the owners' profits doubled in the years "
        "the crane drivers' pay stood still, and the board says nothing about it.",
    ),
    "es": (
        "4 de mayo de 2012 | Página 3",
        ["¡Piquete frente a la oficina de los dueños!", "Calle del Puerto", "Sábado 12 de mayo"],
        "Fuente: informe anual de la junta del puerto",
        "Las propias cifras de la junta del puerto muestran que las ganancias de los dueños se "
        "duplicaron mientras el salario de los gruistas seguía igual, y la junta no dice nada.",
    ),
}


def box(lines: list[str]) -> str:
    cells = "".join(f'<p><font face="Arial" size="2">{line}</font></p>' for line in lines)
    return f'<table border="1" width="200" align="right"><tr><td>{cells}</td></tr></table>'


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_small_box_of_short_lines_is_not_the_article_s_text(language):
    dateline, notice, source, sidebar = BOXES[language]
    first, second = SUBHEAD_PAGES[language][1:3]
    found = page("Cranes idle", dateline, [first, box(notice), second, box([source])])
    assert [b.text for b in found.blocks] == [first, second]
    # a box with a sentence of prose in it is a sidebar: its lines are the article's
    kept = page("Cranes idle", dateline, [first, box([*notice[:1], sidebar]), second])
    assert [b.text for b in kept.blocks] == [first, notice[0], sidebar, second]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_tag_left_without_its_closing_bracket_is_read_as_closed(language):
    """`<blockquote<B>…`: the quotation is kept, its bold opening words too."""
    dateline, first, second = SUBHEAD_PAGES[language][:3]
    quoted = f"<blockquote<B>{first.split()[0]}</B> {' '.join(first.split()[1:])}</blockquote>"
    found = page("Cranes idle", dateline, [second, quoted])
    assert [b.type for b in found.blocks] == ["paragraph", "quotation"]
    assert found.blocks[1].blocks[0].text == first


@pytest.mark.parametrize(
    ("dateline", "intro", "writers"),
    [
        ("May 4, 2012 | Page 3", "Here, MARA QUIST and TOMÁS VIDAL look at the lockout.", ["Mara Quist", "Tomás Vidal"]),
        ("4 de mayo de 2012 | Página 3", "Aquí, JUANA PÉREZ analiza el cierre del puerto.", ["Juana Pérez"]),
    ],
)  # fmt: skip
def test_an_introduction_ending_here_names_its_writers(dateline, intro, writers):
    """An introduction of several paragraphs (up to seven), set apart by a break."""
    paragraphs = [f"Paragraph {n} of the introduction, on the quay." for n in range(1, 7)]
    rest = "The owners met the union at noon."
    found = page("Cranes idle", dateline, [*paragraphs, intro, "- - - - - - - -", rest])
    assert found.authors == writers


@pytest.mark.parametrize(
    ("kicker", "title", "subhead", "dateline"),
    [
        ("h3", "h1", "h2", "March 2, 2007 | Page 5"),
        ("h4", "h2", "h4", "2 de marzo de 2007 | página 5"),
    ],
)
def test_a_site_set_in_headings_reads_as_one_set_in_font_sizes(kicker, title, subhead, dateline):
    found = read_page(
        "2007-1/640/640_01_Port.php",
        "<html><head><title>The quay stops | The Harbour Light</title></head><body>"
        '<div><a href="../../index.html">Home</a> | <a href="../index.html">Archive</a></div>'
        f"<{kicker}>Dockers say enough</{kicker}><{title}>The quay stops</{title}>"
        f"<p>{dateline}</p><p>By Ann Lee</p>"
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>"
        f"<{subhead}>What they want</{subhead}>"
        "<p>They say the shifts leave them no life outside the port.</p></body></html>",
    )
    assert (found.kicker, found.title, found.authors) == (
        "Dockers say enough",
        "The quay stops",
        ["Ann Lee"],
    )
    assert found.dateline.date.day == 2 and found.dateline.pages == "5"
    assert [(block.type, block.text[:16]) for block in found.blocks] == [
        ("paragraph", "The dockers walk"),
        ("heading", "What they want"),
        ("paragraph", "They say the shi"),
    ]


@pytest.mark.parametrize("width", ["500", "62%"])
def test_the_article_s_own_cell_is_read_without_the_sidebar_and_the_advert(width):
    sidebar = (
        '<td width="160"><p><b>Latest news</b></p>'
        '<p><a href="../639/639_02_Rail.php">Rail workers ballot for action</a></p>'
        '<p><a href="../639/639_03_Nurses.php">Nurses march on the town hall</a></p></td>'
    )
    article = (
        f'<td width="{width}"><p><font size="4">Dockers say enough</font><br>'
        '<font size="5"><b>The quay stops</b></font></p>'
        '<p><font size="2">March 2, 2007 | Page 5</font></p>'
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>"
        "<p>They say the shifts leave them no life outside the port, and the union backs "
        "them.</p></td>"
    )
    advert = '<td width="120"><p>Advertise with the Harbour Light</p></td>'
    found = read_page(
        "2007-1/640/640_01_Port.php",
        f"<html><body><table><tr>{sidebar}{article}{advert}</tr></table></body></html>",
    )
    assert (found.kicker, found.title) == ("Dockers say enough", "The quay stops")
    assert [block.text[:16] for block in found.blocks] == ["The dockers walk", "They say the shi"]


@pytest.mark.parametrize(
    ("dateline", "source"),
    [
        ("May 4, 2012 | Page 2", "By Tom Mann, from the Dockers' Record, April 11, 1913"),
        ("May 4, 2012 | Page 2", "By Tom Mann | The Dockers' Record | April 11, 1913"),
        ("4 de mayo de 2012 | página 2", "Por Flora Tristán, de La Unión, 11 de abril de 1843"),
    ],
)
def test_an_older_text_s_byline_and_date_in_the_body_stay_its_text(dateline, source):
    found = page(
        "Words from the past",
        dateline,
        ["The paper reprints a short text on the first dock strike.", source, "It ends here."],
        kicker_html="",
    )
    assert (found.dateline.date.year, found.dateline.pages) == (2012, "2")
    assert [block.text for block in found.blocks][1] == source


def test_a_byline_a_comma_and_a_date_under_the_headline_are_the_dateline():
    found = page("Cranes idle", "By Mara Quist, May 4, 2012", ["The crane drivers walked out."])
    assert (found.authors, found.dateline.date.day) == (["Mara Quist"], 4)
    assert [block.text for block in found.blocks] == ["The crane drivers walked out."]


def test_a_page_laid_out_in_divs_is_read_from_its_content_without_masthead_or_sidebar():
    found = read_page(
        "2007-1/640/640_01_Port.php",
        '<html><body><div id="header"><h1>The Harbour Light</h1>'
        "<p>The weekly paper of the port</p></div>"
        '<div id="nav"><a href="../../index.html">Home</a></div>'
        '<div id="content"><h3>Dockers say enough</h3><h2>The quay stops</h2>'
        "<p>March 2, 2007 | Page 5</p><p>By Ann Lee</p>"
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>"
        "<p>They say the shifts leave them no life outside the port, and the union backs "
        "them.</p></div>"
        '<div id="sidebar"><h3>Latest</h3><ul><li><a href="639_02_Rail.php">Rail workers '
        "ballot</a></li></ul></div>"
        '<div id="footer"><p>Copyright 2007 The Harbour Light</p></div></body></html>',
    )
    assert (found.title, found.kicker, found.authors) == (
        "The quay stops",
        "Dockers say enough",
        ["Ann Lee"],
    )
    assert [block.text[:16] for block in found.blocks] == ["The dockers walk", "They say the shi"]


SMALL = '<p><font face="Arial" size="2">{}</font></p>'


@pytest.mark.parametrize(
    ("review_line", "dateline", "work"),
    [
        (
            "MOVIES: The Long Quay, directed by Ann Lee, starring Tom Bright",
            "May 4, 2012 | Page 9",
            ("The Long Quay", "Ann Lee"),
        ),
        (
            "LIBROS: Ana Ruiz, El muelle largo. Editorial Puerto, 2006, 210 páginas",
            "4 de mayo de 2012 | página 9",
            ("El muelle largo", "Ana Ruiz"),
        ),
    ],
)
def test_a_review_line_between_headline_and_dateline_names_the_work(review_line, dateline, work):
    found = read_page(
        "2012-1/32/32_09_Quay.php",
        '<p><font face="Times" size="5"><b>A film about the quay</b></font></p>'
        + SMALL.format(review_line)
        + SMALL.format(dateline)
        + "<p>It opens on the quay at dawn, and the cranes are still.</p>",
    )
    assert [(w.title, w.author) for w in found.reviewed_works] == [work]
    assert [block.text for block in found.blocks] == [
        "It opens on the quay at dawn, and the cranes are still."
    ]


def test_a_headline_going_on_after_a_colon_and_a_deck_under_it_are_kept():
    found = read_page(
        "2012-1/32/32_06_Debate.php",
        '<p><font face="Times" size="5"><b>MARA QUIST:</b></font><br>'
        '<font face="Times" size="5"><b>Why the port must stay public</b></font></p>'
        '<p><font face="Times" size="3"><b>The case for the harbour board</b></font></p>'
        + SMALL.format("May 4, 2012 | Page 6")
        + "<p>The harbour board has run the port for a century.</p>",
    )
    assert found.title == "MARA QUIST: Why the port must stay public"
    assert found.standfirst == "The case for the harbour board"
    assert [block.text for block in found.blocks] == [
        "The harbour board has run the port for a century."
    ]


def test_the_paper_s_name_over_every_page_of_a_folder_is_no_headline():
    from backfile.ingest.readers.legacy_html import read_folder

    page = (
        "<html><body><h1>The Harbour Light</h1><h3>{kicker}</h3><h2>{title}</h2>"
        "<p>March 2, 2007 | Page {n}</p>"
        "<p>The dockers walked out on Monday morning after the new rota was posted.</p>"
        "<p>They say the shifts leave them no life outside the port.</p></body></html>"
    )
    found = read_folder(
        [
            (
                "2007-1/640/640_01_Port.php",
                page.format(kicker="Docks", title="The quay stops", n=1),
            ),
            ("2007-1/640/640_02_Rates.php", page.format(kicker="Council", title="Rates rise", n=2)),
        ]
    )
    assert [(p.kicker, p.title, p.standfirst) for p in found] == [
        ("Docks", "The quay stops", ""),
        ("Council", "Rates rise", ""),
    ]
    assert [len(p.blocks) for p in found] == [2, 2]
