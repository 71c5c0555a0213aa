"""A legacy page's pictures read by general rules, on pages of other hand-made sites than the
one the reader was first made for (made up here, English and Spanish): a caption is set
smaller than the page's own text (a site that sets everything in size 2 has no small
captions), a picture's cell is not the whole article, a photograph named like chrome is
still a photograph, and an address no parser takes costs nothing but itself."""

from __future__ import annotations

import pytest

from backfile.ingest.readers.legacy_html import read_folder
from backfile.ingest.readers.legacy_page import Page

TEXT = {
    "en": (
        "Pickets at the gate",
        "May 4, 2012 | Page 3",
        "More than four hundred workers gathered at the gate before the first shift, and the "
        "owners' lorries turned back one after another.",
        "The union says it will hold the line until the owners sit down to talk, however long "
        "that takes, and the town has rallied behind the strikers with food and money.",
        "Pickets at dawn",
    ),
    "es": (
        "Piquetes en la puerta",
        "4 de mayo de 2012 | Página 3",
        "Más de cuatrocientos trabajadores se reunieron en la puerta antes del primer turno, y "
        "los camiones de los dueños dieron la vuelta uno tras otro.",
        "El sindicato dice que aguantará hasta que los dueños se sienten a negociar, cueste lo "
        "que cueste, y el pueblo apoya a los huelguistas con comida y dinero.",
        "Piquetes al amanecer",
    ),
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "es"])


def read(body: str, title: str) -> Page:
    html = (
        f"<html><head><title>{title}</title></head><body>"
        f'<p><font face="Times" size="5"><b>{title}</b></font></p>{body}</body></html>'
    )
    (page,) = read_folder([("2012-1/32/32_03_Pickets.php", html)])
    assert isinstance(page, Page), page
    return page


def texts(page: Page) -> list[tuple[str, str]]:
    return [(b.type, b.text) for b in page.blocks]


@LANGUAGES
def test_on_a_site_set_in_small_type_a_paragraph_after_a_picture_is_text(language):
    title, dateline, first, second, caption = TEXT[language]
    small = '<p><font face="Arial" size="2">{}</font></p>'
    body = (
        small.format(dateline)
        + small.format(first)
        + '<p><img src="images/pickets.jpg" width="300" height="200" alt=""></p>'
        + small.format(second)
        + "".join(small.format(f"{first} {n}") for n in range(6))
    )
    page = read(body, title)
    assert ("paragraph", second) in texts(page)
    (figure,) = [b for b in page.blocks if b.type == "figure"]
    assert figure.text == ""
    # an italic line under the picture is still its caption
    italic = body.replace(small.format(second), f"<p><font size='2'><i>{caption}</i></font></p>")
    (figure,) = [b for b in read(italic, title).blocks if b.type == "figure"]
    assert figure.text == caption


@LANGUAGES
def test_a_short_article_in_a_layout_cell_is_not_its_picture_s_caption(language):
    title, dateline, first, second, _caption = TEXT[language]
    cell = (
        f'<table><tr><td width="600"><p><font size="5"><b>{title}</b></font></p>'
        f"<p><font size='2'>{dateline}</font></p>"
        '<p><img src="images/pickets.jpg" width="300" height="200" alt=""></p>'
        f"<p>{first}</p><p>{second}</p></td></tr></table>"
    )
    html = f"<html><head><title>{title}</title></head><body>{cell}</body></html>"
    (page,) = read_folder([("2012-1/32/32_03_Pickets.php", html)])
    assert [t for kind, t in texts(page) if kind == "paragraph"] == [first, second]
    (figure,) = [b for b in page.blocks if b.type == "figure"]
    assert title not in figure.text and first not in figure.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("picket_line.jpg", True),
        ("Clear_Lake.jpg", True),
        ("trans-rights-march.jpg", True),
        ("banner-drop.jpg", True),
        ("dot.gif", False),
        ("clear.gif", False),
        ("sw_logo.gif", False),
        ("nav_arrow_left.gif", False),
    ],
)
def test_a_photograph_named_like_chrome_is_still_a_photograph(name, content):
    title, dateline, first, second, _caption = TEXT["en"]
    body = (
        f"<p><font size='2'>{dateline}</font></p><p>{first}</p>"
        f'<p><img src="images/{name}" width="300" height="200" alt="A picture"></p><p>{second}</p>'
    )
    page = read(body, title)
    assert any(b.type == "figure" for b in page.blocks) is content


def test_an_address_no_parser_takes_costs_only_itself():
    title, dateline, first, second, _caption = TEXT["en"]
    body = (
        f"<p><font size='2'>{dateline}</font></p><p>{first}</p>"
        '<p><a href="http://[broken/"><img src="http://[bad/x.jpg" width="300" height="200" '
        f'alt="x"></a></p><p>{second}</p>'
    )
    page = read(body, title)
    assert [t for kind, t in texts(page) if kind == "paragraph"] == [first, second]
