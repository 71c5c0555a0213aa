"""Articles linked to their printed pages: by the pages they say they ran on (`Pages 6 and
7`), by their source's zones, or by an editor; whichever comes first, the articles or the
pages, and for an archive stored before (`backfile relink-pages`)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.facsimiles.models import ArticlePage, Page
from backfile.ingest.loader import load
from backfile.ingest.page_links import printed_labels
from tests.helpers.printed_pages import lamplighter_article, printed_page, region
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_folder")]


def links() -> set[tuple[str, str, str, str]]:
    """(article title, page label, how, regions) of every link."""
    return {
        (link.article.title, link.page.label, link.how, str(link.regions))
        for link in ArticlePage.objects.select_related("article", "page")
    }


def eight_pages(**labels):
    return [printed_page(n, label=labels.get(f"p{n}")) for n in range(1, 9)]


def articles():
    return [
        lamplighter_article("Street Lamps", pages="Pages 6 and 7"),
        lamplighter_article("The Gas Board", pages="8"),
        lamplighter_article("Letters", pages="pp. 2–3"),
        lamplighter_article("Cartas", pages="páginas 4 y 5"),
        lamplighter_article("Not in this issue's pages", pages="12"),
        lamplighter_article("No pages printed"),
    ]


PRINTED = {
    ("Street Lamps", "6", "printed", "[]"),
    ("Street Lamps", "7", "printed", "[]"),
    ("The Gas Board", "8", "printed", "[]"),
    ("Letters", "2", "printed", "[]"),
    ("Letters", "3", "printed", "[]"),
    ("Cartas", "4", "printed", "[]"),
    ("Cartas", "5", "printed", "[]"),
}


@pytest.mark.parametrize(
    "pages",
    ["8", "6-7", "6 and 7", "Pages 6 and 7", "pp. 12–14", "páginas 6 y 7", "Page 09", "A3-A4"],
)
def test_printed_page_numbers_name_their_pages(pages):
    expected = {
        "8": ["8"],
        "6-7": ["6", "7"],
        "6 and 7": ["6", "7"],
        "Pages 6 and 7": ["6", "7"],
        "pp. 12–14": ["12", "13", "14"],
        "páginas 6 y 7": ["6", "7"],
        "Page 09": ["9"],
        "A3-A4": ["a3", "a4"],
    }
    assert printed_labels(pages) == expected[pages]


def test_articles_stored_before_their_pages_link_when_the_pages_come():
    load(articles())
    assert not ArticlePage.objects.exists()

    load(eight_pages())

    assert links() == PRINTED


def test_pages_stored_before_the_articles_link_them_as_they_are_written():
    load(eight_pages())
    load(articles())
    assert links() == PRINTED


def test_articles_and_pages_in_one_run_link_in_either_order():
    load([*articles(), *eight_pages()])
    assert links() == PRINTED
    ArticlePage.objects.all().delete()
    Page.objects.all().delete()
    load([*eight_pages(), *articles()])
    assert links() == PRINTED


def test_a_changed_printed_number_moves_the_link_and_a_relabelled_page_follows():
    load([*eight_pages(), lamplighter_article("The Gas Board", pages="8")])
    load([lamplighter_article("The Gas Board", pages="Page 7")])
    assert links() == {("The Gas Board", "7", "printed", "[]")}

    pages = eight_pages(p7="vii", p5="7")  # re-read with the labels printed
    load(pages)
    assert links() == {("The Gas Board", "7", "printed", "[]")}
    assert ArticlePage.objects.get().page.sequence == 5


def test_zoned_articles_link_their_regions_in_either_order_in_a_run():
    zoned = lamplighter_article(
        "Street Lamps",
        pages="6-7",
        regions=[
            region(6, 40, 60, 260, 700),
            region(6, 300, 60, 260, 300),
            region(7, 40, 60, 520, 400),
        ],
    )
    load([zoned, *eight_pages()])
    expected = {
        ("Street Lamps", "6", "zoned", "[[40, 60, 260, 700], [300, 60, 260, 300]]"),
        ("Street Lamps", "7", "zoned", "[[40, 60, 520, 400]]"),
    }
    assert links() == expected, "zones read before their pages link once the pages come"

    Page.objects.all().delete()
    load([zoned])  # in a run of its own: its zones wait for pages, and are reported at the end
    load(eight_pages())  # the next run has no zones to wait for: printed numbers link
    assert {how for _title, _label, how, _regions in links()} == {"printed"}
    load([zoned])  # unchanged, but its zones are not linked: now they are
    assert links() == expected

    moved = lamplighter_article("Street Lamps", pages="6-7", regions=[region(7, 0, 0, 100, 100)])
    load([moved])
    assert links() == {
        ("Street Lamps", "7", "zoned", "[[0, 0, 100, 100]]"),
        ("Street Lamps", "6", "printed", "[]"),
    }


def test_zones_on_pages_never_stored_are_reported():
    report = load([lamplighter_article("Street Lamps", regions=[region(9, 0, 0, 10, 10)])])
    (note,) = [e for e in report.entries if e.status == "noted"]
    assert note.path == "lamplighter/lamplighter:Street Lamps.txt"
    assert "its zones on the pages of sequence 9 are not linked" in note.reason


def test_an_editors_link_is_never_removed_by_an_ingest():
    load([*eight_pages(), lamplighter_article("The Gas Board", pages="8")])
    article = Article.objects.get()
    ArticlePage.objects.filter(article=article).delete()
    ArticlePage.objects.create(
        article=article, page=Page.objects.get(label="8"), how="editor", regions=[[1, 2, 3, 4]]
    )
    ArticlePage.objects.create(article=article, page=Page.objects.get(label="1"), how="editor")

    load([lamplighter_article("The Gas Board", pages="7", regions=[region(8, 5, 5, 5, 5)])])
    load(eight_pages(p8="VIII"))

    assert links() == {
        ("The Gas Board", "VIII", "editor", "[[1, 2, 3, 4]]"),
        ("The Gas Board", "1", "editor", "[]"),
        ("The Gas Board", "7", "printed", "[]"),
    }


def test_relink_pages_links_an_archive_stored_before(capsys):
    load([*eight_pages(), *articles()])
    ArticlePage.objects.all().delete()  # as an archive stored before links were made

    call_command("relink-pages")

    assert links() == PRINTED
    assert (
        "7 links of articles to pages by their printed numbers in 1 issue with pages (before: 0)"
        in (capsys.readouterr().out)
    )
