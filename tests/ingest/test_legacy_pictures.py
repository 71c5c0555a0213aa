"""Pictures in a hand-made legacy site, through the real `backfile ingest` and the reading site.

The site is written here: The Harbour Light, a weekly the project made up, in the
family's layout (font tags, a 480-pixel column, issue folders). Issue 300 has an
article with a photograph in a sidebar cell (caption and `Photo:` credit), a
picture whose file is not in the source (a placeholder), and a link to a photo
essay of three plain pages (no font tags, no column: only their onward links mark
them as the site's) joined by `<--Previous | Next-->` and named out of order, so
only the links tell the order; a chart page (a headline, the chart and its source
line). Its Spanish supplement has an article with a `Foto:` credit and an essay of
its own that nothing links to (`« Anterior | Siguiente »`). The pictures are made
with Pillow.
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.ingest.readers.legacy_pictures import CREDIT
from tests.archive.pages import fetch, one, text_of
from tests.helpers.pictures import chart, photo

FONT = '<font face="Times New Roman, Times, serif" size="{}">'
ARIAL = '<font face="Arial, Helvetica, sans-serif" size="{}">'


def page(body: str, title: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        '<table width="744"><tr><td width="18"></td><td width="480" valign="top">'
        f'<img src="../../images/spacer.gif" width="1" height="1">{body}'
        '</td><td width="108"><img src="../../images/AdvertLogo.gif" width="100" height="200">'
        "</td></tr></table></body></html>"
    )


def headline(kicker: str, title: str, dateline: str) -> str:
    return (
        f"<p>{FONT.format(3)}<b>{kicker}</b></font></p>"
        f"<p>{FONT.format(5)}<b>{title}</b></font></p>"
        f"<p>{ARIAL.format(2)}{dateline}</font></p>"
    )


def paragraph(text: str) -> str:
    return f"<p>{FONT.format(3)}{text}</font></p>"


def essay_page(picture: str, caption: str, previous: str, following: str, words) -> str:
    back, onward, heading = words
    links = []
    if previous:
        links.append(f'<a href="{previous}">{back}</a>')
    if following:
        links.append(f'<a href="{following}">{onward}</a>')
    return page(
        f"<p>{FONT.format(4)}<b>{heading}</b></font></p>"
        f'<p><img src="{picture}" width="400" height="300" alt=""></p>'
        f"<p>{FONT.format(3)}{caption}</font></p>"
        f"<p>{ARIAL.format(2)}{' | '.join(links)}</font></p>",
        title=heading,
    )


def plain_essay_page(picture: str, caption: str, previous: str, following: str, words) -> str:
    """An essay page as some were made: no font tags, no column, no page name of the site's."""
    back, onward, heading = words
    links = [
        f'<a href="{href}">{word}</a>'
        for href, word in ((previous, back), (following, onward))
        if href
    ]
    return (
        f"<html><head><title>{heading}</title></head><body><center>"
        f'<img src="{picture}" width="400" height="300"><p>{caption}</p>'
        f"<p>{' | '.join(links)}</p></center></body></html>"
    )


ENGLISH_ESSAY = [  # (page, picture, caption), in the order the links give
    ("pickets-gate.html", "photos/picket-gate.jpg", "Pickets at the south gate before dawn."),
    ("pickets-crane.html", "photos/picket-crane.jpg", "The cranes stand idle. Photo: Tom Reed"),
    ("pickets-ferry.html", "photos/picket-ferry.jpg", "Strikers wave to the morning ferry."),
]
SPANISH_ESSAY = [
    ("300S_Foto_Muelle.php", "fotos/muelle.jpg", "Estibadores en el muelle norte."),
    ("300S_Foto_Asamblea.php", "fotos/asamblea.jpg", "La asamblea vota la huelga. Foto: Ana Ruiz"),
]


def write_site(root) -> dict[str, bytes]:
    """The site under `root/the-harbour-light`; the pictures written, by their site path."""
    site = root / "the-harbour-light"
    issue, supplement = site / "2011-2" / "300", site / "2011-2" / "300S"
    pictures = {
        "2011-2/300/photos/dockers.jpg": photo(640, 420, seed=1),
        "2011-2/300/photos/picket-gate.jpg": photo(800, 533, seed=2),
        "2011-2/300/photos/picket-crane.jpg": photo(533, 800, seed=3),
        "2011-2/300/photos/picket-ferry.jpg": photo(800, 500, seed=4),
        "images/WagesChart.png": chart(480, 300, seed=5),
        "2011-2/300S/fotos/muelle.jpg": photo(700, 460, seed=6),
        "2011-2/300S/fotos/asamblea.jpg": photo(700, 460, seed=7),
        "2011-2/300S/fotos/estibadora.jpg": photo(300, 400, seed=8),
    }
    pages = {
        issue / "300_Storylist.php": page(
            f"<p>{ARIAL.format(2)}December 2, 2011 | Issue 300</font></p>"
            f'<p>{FONT.format(4)}<b><a href="300_01_Strike.php">The port stops</a></b></font></p>'
            f'<p>{FONT.format(4)}<b><a href="300_02_Wages.php">Wages since 2001</a></b></font></p>'
        ),
        issue / "300_01_Strike.php": page(
            headline("Dockers walk out", "The port stops", "December 2, 2011 | Page 1")
            + paragraph(
                "THE PORT stopped at six on Monday morning, when the first shift stayed out."
            )
            + '<table width="260" align="right"><tr><td>'
            '<img src="photos/dockers.jpg" width="250" height="164" alt="Dockers at the gate">'
            f"<br>{ARIAL.format(1)}The first shift at the gate on Monday.</font>"
            f"<br>{ARIAL.format(1)}Photo: Mary Quill</font></td></tr></table>"
            + paragraph("By noon the cranes had stopped and the ferries ran without cargo.")
            + paragraph(
                'The pickets took pictures all day: <a href="pickets-gate.html">see the '
                "picket line in pictures</a>."
            )
            + '<p><img src="photos/quay-flag.jpg" width="300" height="200" '
            'alt="The union banner on the quay"><br>'
            "<i>The banner came out at noon.</i></p>"
            + paragraph("The union says the strike goes on until the board talks.")
            # another site's banner, an advertisement: no figure
            + '<p><a href="http://www.example.org/"><img src="photos/harbour-watch.gif" '
            'width="468" height="60"></a></p>'
        ),
        issue / "300_02_Wages.php": page(
            headline("The figures", "Wages since 2001", "December 2, 2011 | Page 2")
            + '<table width="300"><tr><td><img src="../../images/WagesChart.png" width="480" '
            f'height="300"><br>{ARIAL.format(1)}Source: Harbour Board accounts</font>'
            "</td></tr></table>"
        ),
        supplement / "300S_Huelga.php": page(
            headline("Puerto", "Se para el puerto", "2 de diciembre de 2011 | Página 3")
            + paragraph("EL PUERTO se paró el lunes a las seis, cuando el primer turno no entró.")
            + '<div><img src="fotos/estibadora.jpg" width="300" height="400" alt="Una estibadora">'
            f"<br>{ARIAL.format(1)}Una estibadora en la puerta sur. Foto: Ana Ruiz</font></div>"
            + paragraph("Al mediodía las grúas estaban paradas y los barcos esperaban en la bahía.")
        ),
    }
    english = (
        "&lt;--Previous",
        "Next--&gt;",
        "The picket line in pictures",
    )
    for index, (name, picture, caption) in enumerate(ENGLISH_ESSAY):
        previous = ENGLISH_ESSAY[index - 1][0] if index else "300_01_Strike.php"
        following = ENGLISH_ESSAY[index + 1][0] if index + 1 < len(ENGLISH_ESSAY) else ""
        pages[issue / name] = plain_essay_page(picture, caption, previous, following, english)
    spanish = ("« Anterior", "Siguiente »", "La huelga en fotos")
    for index, (name, picture, caption) in enumerate(SPANISH_ESSAY):
        previous = SPANISH_ESSAY[index - 1][0] if index else ""
        following = SPANISH_ESSAY[index + 1][0] if index + 1 < len(SPANISH_ESSAY) else ""
        pages[supplement / name] = essay_page(picture, caption, previous, following, spanish)
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, data in pictures.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    return pictures


def media_in(settings, folder) -> None:
    """The media storage in a folder of the test's own (the settings fixture resets it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "media": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": "/media/"},
        },
    }


def run_ingest(*arguments) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *[str(a) for a in arguments], "--quiet", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def harbour(db, tmp_path, settings):
    media_in(settings, tmp_path / "media")
    write_site(tmp_path / "source")
    report = tmp_path / "report.json"
    out, err = run_ingest(tmp_path / "source" / "the-harbour-light", "--report", report)
    return {"out": out, "err": err, "report": json.loads(report.read_text()), "tmp": tmp_path}


def article(name: str) -> Article:
    return Article.objects.get(key__endswith=name)


def figures(
    document, xpath: str = "//main//figure[contains(concat(' ', @class, ' '), ' figure ')]"
):
    return document.xpath(xpath)


def test_an_inline_picture_keeps_its_place_caption_credit_and_size(harbour, client):
    strike = article("300_01_Strike.php")
    types = [b["type"] for b in strike.blocks]
    assert types[:3] == ["paragraph", "figure", "paragraph"]  # where the page had it
    document = fetch(client, strike.get_absolute_url())
    first = figures(document)[0]
    img = one(first, ".//img")
    assert img.get("alt") == "Dockers at the gate"
    assert int(img.get("width")) == 640 and int(img.get("height")) == 420
    caption = text_of(one(first, "./figcaption"))
    assert "The first shift at the gate on Monday." in caption and "Photo: Mary Quill" in caption
    body = text_of(one(document, "//main"))
    assert body.count("The first shift at the gate on Monday.") == 1  # out of the paragraphs


def test_a_spanish_picture_keeps_its_foto_credit(harbour, client):
    huelga = article("300S_Huelga.php")
    (figure,) = [b for b in huelga.blocks if b["type"] == "figure"]
    assert figure["text"] == "Una estibadora en la puerta sur."
    assert figure["credit"] == "Foto: Ana Ruiz"
    document = fetch(client, huelga.get_absolute_url())
    assert one(figures(document)[0], ".//img").get("alt") == "Una estibadora"


def test_a_picture_not_in_the_source_shows_a_placeholder_with_its_caption(harbour, client):
    strike = article("300_01_Strike.php")
    lost = [b for b in strike.blocks if b["type"] == "figure" and "banner" in b["text"]]
    assert [(u["sha256"], u["url"], u["alt"]) for u in lost[0]["assets"]] == [
        ("", "photos/quay-flag.jpg", "The union banner on the quay")
    ]
    document = fetch(client, strike.get_absolute_url())
    (placeholder,) = document.xpath("//main//*[contains(@class, 'picture-missing')]")
    words = text_of(placeholder)
    assert "not in the archive" in words and "The union banner on the quay" in words
    figure = placeholder.getparent()
    assert "The banner came out at noon." in text_of(one(figure, "./figcaption"))
    notes = [e["reason"] for e in harbour["report"]["entries"] if e["path"].endswith("Strike.php")]
    assert any("photos/quay-flag.jpg: the file is not among the sources" in n for n in notes)


def test_a_photo_essay_is_one_gallery_in_the_article_that_links_it(harbour, client):
    strike = article("300_01_Strike.php")
    document = fetch(client, strike.get_absolute_url())
    (gallery,) = document.xpath("//main//figure[contains(concat(' ', @class, ' '), ' gallery ')]")
    captions = [text_of(c) for c in gallery.xpath(".//figure//figcaption")]
    assert captions == [
        "Pickets at the south gate before dawn.",
        "The cranes stand idle. Photo: Tom Reed",
        "Strikers wave to the morning ferry.",
    ]
    assert all(img.get("width") and img.get("height") for img in gallery.iter("img"))
    assert len(list(gallery.iter("img"))) == 3
    # right after the paragraph that linked it, whose link now leads nowhere else
    paragraphs = [b for b in strike.blocks if b["type"] in ("paragraph", "figure")]
    at = next(i for i, b in enumerate(paragraphs) if "in pictures" in b["text"])
    assert len(paragraphs[at + 1]["assets"]) == 3
    assert not Article.objects.filter(key__contains="pickets-").exists()


def test_an_essay_nothing_links_to_is_an_article_of_its_own(harbour, client):
    essay = article("300S_Foto_Muelle.php")
    assert essay.title == "La huelga en fotos" and essay.language == "es"
    (gallery,) = essay.blocks
    assert [(u["caption"], u["credit"]) for u in gallery["assets"]] == [
        ("Estibadores en el muelle norte.", ""),
        ("La asamblea vota la huelga.", "Foto: Ana Ruiz"),
    ]
    document = fetch(client, essay.get_absolute_url())
    assert (
        len(document.xpath("//main//figure[contains(concat(' ', @class, ' '), ' gallery ')]//img"))
        == 2
    )


def test_a_chart_page_is_a_figure_article(harbour, client):
    wages = article("300_02_Wages.php")
    assert [b["type"] for b in wages.blocks] == ["figure"]
    assert wages.blocks[0]["credit"] == "Source: Harbour Board accounts"
    document = fetch(client, wages.get_absolute_url())
    assert one(figures(document)[0], ".//img").get("width") == "480"


def test_the_essay_pages_are_accounted_for_and_a_second_ingest_changes_nothing(harbour):
    files = {f["path"].rsplit("/", 1)[-1]: f for f in harbour["report"]["files"]}
    for name, *_ in ENGLISH_ESSAY[1:] + SPANISH_ESSAY[1:]:
        assert files[name]["outcome"] == "picture page", files[name]
    assert (
        "in the gallery of 2011-2/300/300_01_Strike.php"
        in files["pickets-crane.html"]["reasons"][0]
    )
    assert files["pickets-gate.html"]["outcome"] == "picture page"
    assert files["300S_Foto_Muelle.php"]["outcome"] == "article"
    assert not any("not recognised" in e["reason"] for e in harbour["report"]["entries"])
    assert harbour["report"]["summary"]["failed"] == 0
    out, _ = run_ingest(harbour["tmp"] / "source" / "the-harbour-light")
    assert "added 0, updated 0, unchanged 4," in out


def test_pictures_inside_an_archive_are_read_from_it(db, tmp_path, settings, client):
    media_in(settings, tmp_path / "media")
    write_site(tmp_path / "source")
    bundle = tmp_path / "harbour.tar.gz"
    with tarfile.open(bundle, "w:gz") as tar:
        tar.add(tmp_path / "source" / "the-harbour-light", arcname="the-harbour-light")
    out, err = run_ingest(bundle)
    assert "failed 0" in out, err
    document = fetch(client, article("300_01_Strike.php").get_absolute_url())
    assert len(document.xpath("//main//figure//img")) == 4  # one inline, three in the gallery
    assert len(document.xpath("//main//*[contains(@class, 'picture-missing')]")) == 1


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Photo: Mary Quill", "Photo: Mary Quill"),
        ("Pickets at the gate. Picture: Tom Reed", "Picture: Tom Reed"),
        ("Pickets at the gate (Photo by Tom Reed)", "Photo by Tom Reed"),
        ("Foto: Ana Ruiz", "Foto: Ana Ruiz"),
        ("Estibadores en el muelle. Foto de Ana Ruiz", "Foto de Ana Ruiz"),
        ("Fuente: Autoridad Portuaria", "Fuente: Autoridad Portuaria"),
        ("Foto de la asamblea en el muelle", None),
        ("Foto de Barcelona tras el bombardeo", None),  # a place, not a photographer
        ("Fotos de Madrid en 1936", None),
        ("(Foto de María de la Cruz)", "Foto de María de la Cruz"),
        ("A photo: the gate at dawn, as the pickets saw it", None),
    ],
)
def test_credit_shapes_in_english_and_spanish(line, credit):
    match = CREDIT.search(line)
    assert (match.group().strip(" ()") if match else None) == credit


def test_the_export_of_legacy_figures_reads_back_byte_identical(harbour):
    """Figures with their files and a placeholder's address, through export and ingest."""
    from backfile.media.export import AssetFiles
    from backfile.media.models import Asset
    from tests.ingest.test_jsonl import empty_archive, export_folder, files_in

    tmp = harbour["tmp"]
    first = export_folder(tmp / "first", AssetFiles)
    assert '"url": "photos/quay-flag.jpg"' in first and '"sha256": ""' in first
    empty_archive()
    Asset.objects.all().delete()
    run_ingest(tmp / "first")
    assert export_folder(tmp / "second", AssetFiles) == first
    assert files_in(tmp / "second" / "assets") == files_in(tmp / "first" / "assets")


def test_a_picture_in_an_archive_past_the_ingest_limit_is_named_not_dropped_silently(
    db, tmp_path, settings
):
    """The largest picture is over BACKFILE_INGEST_MAX_MEMBER_BYTES: the report says it was
    not kept and why, and every page still goes in (its figure a placeholder)."""
    media_in(settings, tmp_path / "media")
    pictures = write_site(tmp_path / "source")
    site = tmp_path / "source" / "the-harbour-light"
    largest = max(pictures, key=lambda path: len(pictures[path]))
    pages = max(p.stat().st_size for p in site.rglob("*") if p.suffix in (".php", ".html"))
    assert pages < len(pictures[largest]) - 1
    settings.BACKFILE_INGEST_MAX_MEMBER_BYTES = len(pictures[largest]) - 1
    bundle = tmp_path / "harbour.tar.gz"
    with tarfile.open(bundle, "w:gz") as tar:
        tar.add(site, arcname="the-harbour-light")
    report = tmp_path / "report.json"
    out, err = run_ingest(bundle, "--report", report)
    assert "failed 0" in out, err
    entries = json.loads(report.read_text())["entries"]
    (notice,) = [e for e in entries if e["path"].endswith(largest)]
    assert "not kept" in notice["reason"] and "BACKFILE_INGEST_MAX_MEMBER_BYTES" in notice["reason"]
