"""The printed pages on the reading site without JavaScript, through Django's test client: the
issue's pages, the page view (image, hit boxes at the right place, text with the hits marked,
neighbours, articles, downloads), the search within, and pages whose stored data is odd."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from backfile.facsimiles.models import Page
from backfile.facsimiles.search_within import page_texts, page_words
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from tests.helpers.stored_pages import HEIGHT, WIDTH, stored_issue, word_box
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(media_folder):  # noqa: F811
    return stored_issue()


def page_path(issue, sequence: int) -> str:
    return f"{issue.get_absolute_url()}page/{sequence}/"


def get_page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:500])
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_issue_page_lists_its_pages_with_thumbnails(client, issue):
    document = get_page(client, issue.get_absolute_url())
    links = document.select(".issue-pages__list a")
    assert [a.get("href") for a in links] == [page_path(issue, n) for n in (1, 2, 3)]
    assert [a.get_text().strip() for a in links] == ["Page 1", "Page 2", "Page 3"]
    for image in document.select(".issue-pages__list img"):
        assert client.get(image.get("src")).status_code == 200
        assert image.get("width") and image.get("height")
    form = document.select("form.facsimile-search")[0]
    assert form.get("action") == f"{issue.get_absolute_url()}page/search/"
    assert document.select(f'a[href="/iiif/issue/{issue.pk}/manifest"]')


def test_an_issue_with_pages_and_no_articles_reads_by_page(client, issue):
    issue.articles.all().delete()
    document = get_page(client, issue.get_absolute_url())
    assert "No articles of this issue" not in document.get_text()
    assert len(document.select(".issue-pages__list li")) == 3
    said = document.select_one(".issue-header .meta").get_text()
    assert said.endswith("· its printed pages in the archive")  # not "0 articles"


def test_the_page_view_shows_the_image_the_hits_and_the_text_without_javascript(client, issue):
    document = get_page(client, f"{page_path(issue, 1)}?q=depot")
    image = document.select(".facsimile-frame img")[0]
    assert image.get("alt") == "Page 1 of No. 12, 6 May 1911"
    assert client.get(image.get("src")).status_code == 200
    assert document.select("script") == [] or all(
        s.get("src", "").startswith("/static/") for s in document.select("script")
    )
    # the hit's box over the word, in percentages of the image
    (rect,) = document.select("svg.facsimile-overlay rect")
    x, y, w, h = word_box(issue, 1, "depot")
    assert rect.get("id") == "hit-1"
    assert float(rect.get("x").rstrip("%")) == pytest.approx(100 * x / WIDTH, abs=0.001)
    assert float(rect.get("y").rstrip("%")) == pytest.approx(100 * y / HEIGHT, abs=0.001)
    assert float(rect.get("width").rstrip("%")) == pytest.approx(100 * w / WIDTH, abs=0.001)
    assert float(rect.get("height").rstrip("%")) == pytest.approx(100 * h / HEIGHT, abs=0.001)
    # the text, the hit marked
    text = document.select("#page-text")[0]
    assert [m.text for m in text.select("mark")] == ["depot"]
    assert "Dockers vote to strike" in text.get_text()
    assert "1 match for depot" in document.select(".facsimile-found")[0].get_text()
    # toggles, neighbours, articles, downloads
    assert {a.get("href") for a in document.select(".facsimile-views a")} >= {
        "#page-image",
        "#page-text",
    }
    assert document.select('a[rel="next"]')[0].get("href") == f"{page_path(issue, 2)}?q=depot"
    assert document.select('a[rel="prev"]') == []
    articles = [a.text for a in document.select(".facsimile-articles a")]
    assert articles == ["Dockers vote to strike"]
    downloads = {a.get_text(): a.get("href") for a in document.select(".facsimile-downloads a")}
    assert client.get(downloads["This page's image as scanned"]).status_code == 200
    assert downloads["IIIF manifest of the issue"] == f"/iiif/issue/{issue.pk}/manifest"
    # with tiles, the zoom's data for the script
    viewer = document.select(".facsimile-viewer")[0]
    page = issue.pages.get(sequence=1)
    assert viewer.get("data-info") == f"/iiif/{page.image}/info.json"
    assert viewer.get("data-hits") == f"[[{x}, {y}, {w}, {h}]]"


def test_a_phrase_is_boxed_word_by_word_and_marked_whole(client, issue):
    document = get_page(client, f'{page_path(issue, 2)}?q="tram strike"')
    assert len(document.select("svg.facsimile-overlay rect")) == 2
    assert [m.text for m in document.select("#page-text mark")] == ["TRAM STRIKE"]
    assert '1 match for "tram strike"' in document.select(".facsimile-found")[0].get_text()
    plain = get_page(client, page_path(issue, 2))
    assert plain.select("svg.facsimile-overlay") == [] and plain.select("mark") == []


def test_search_within_lists_the_hits_by_page(client, issue):
    document = get_page(client, f'{issue.get_absolute_url()}page/search/?q="tram strike"')
    results = document.select(".facsimile-results > li")
    assert len(results) == 2
    first = results[0].select("a")[0]
    assert first.get("href") == f"{page_path(issue, 1)}?q=%22tram+strike%22#hit-1"
    assert [m.text for m in results[1].select("mark")] == ["TRAM STRIKE"]
    assert "2 matches on 2 pages" in document.select(".facsimile-total")[0].get_text()
    followed = get_page(client, first.get("href").split("#")[0])
    assert followed.select("#hit-1")
    nothing = get_page(client, f"{issue.get_absolute_url()}page/search/?q=zeppelin")
    assert "No matches" in nothing.select(".facsimile-total")[0].get_text()
    assert get_page(client, f"{issue.get_absolute_url()}page/search/").select("form")


ODD_LAYOUTS = [
    [],
    {"not": "a list"},
    [{"role": "text", "lines": "nothing"}, "a block", 7, None],
    [{"lines": [[["word"], ["x", "a", "b", "c", "d", None], [3, 1, 2, 3, 4, None]]]}],
    [
        {
            "lines": [
                {"words": [["Depot", -500, -500, 100, 100, None], ["depot", 5000, 9000, 9, 9, 1]]}
            ]
        }
    ],
    [{"lines": [[["depot", 10, 10, 0, 0, None], ["depot", 1190, 1690, 50, 50, 80.0]]]}],
]


@pytest.mark.parametrize("layout", ODD_LAYOUTS)
def test_a_page_with_odd_stored_data_still_answers(client, issue, layout):
    page = issue.pages.get(sequence=2)
    Page.objects.filter(pk=page.pk).update(layout=layout, text="A depot.\n\n\nAnd more")
    # what search reads of a layout (its words' text) is what the page view reads
    assert page_texts(layout) == [word.text for word in page_words(layout, WIDTH, HEIGHT)]
    for path in [
        page_path(issue, 2),
        f"{page_path(issue, 2)}?q=depot",
        f"{issue.get_absolute_url()}page/search/?q=depot",
        f"/iiif/issue/{issue.pk}/manifest",
        f"/iiif/issue/{issue.pk}/canvas/2",
        f"/iiif/issue/{issue.pk}/canvas/2/text",
        f"/iiif/search/{issue.pk}?q=depot",
    ]:
        assert client.get(path).status_code == 200, path
    # a box partly outside the image is drawn clipped to it; wholly outside, not at all
    for rect in get_page(client, f"{page_path(issue, 2)}?q=depot").select("rect"):
        x, y = float(rect.get("x").rstrip("%")), float(rect.get("y").rstrip("%"))
        width, height = float(rect.get("width").rstrip("%")), float(rect.get("height").rstrip("%"))
        assert x >= 0 and x + width <= 100.001 and y >= 0 and y + height <= 100.001


def test_a_page_without_its_image_or_its_file_still_answers(client, issue):
    first, second, third = issue.pages.order_by("sequence")
    Page.objects.filter(pk=first.pk).update(image="", width=None, height=None)
    Page.objects.filter(pk=second.pk).update(image="0" * 64)  # names no stored picture
    asset = Asset.objects.get(sha256=third.image)
    for derivative in asset.derivatives:
        media_storage().delete(derivative["name"])
    media_storage().delete(asset.original)
    for sequence in (1, 2, 3):
        document = get_page(client, f"{page_path(issue, sequence)}?q=strike")
        assert document.select("#page-text")
    assert "not in the archive" in get_page(client, page_path(issue, 1)).get_text()
    for path in [f"/iiif/issue/{issue.pk}/manifest", f"/iiif/search/{issue.pk}?q=strike"]:
        assert client.get(path).status_code == 200, path
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert client.get(page_path(issue, 4)).status_code == 404
    assert client.get(f"/iiif/issue/{issue.pk}/canvas/9/text").status_code == 404


def test_an_editors_change_to_a_page_is_shown_at_once(client, issue):
    path = page_path(issue, 3)
    assert "Lisbon" in client.get(path).content.decode()
    assert client.get(path)["X-Cache"] == "HIT"  # kept in the page cache
    page = issue.pages.get(sequence=3)
    page.text = "Shipping news\n\nThe steamer Mercia sailed for Oporto on Tuesday."
    page.save()
    shown = client.get(path).content.decode()
    assert "Oporto" in shown and "Lisbon" not in shown


def test_the_page_view_says_how_its_text_stands_and_offers_a_correction(client, issue):
    page = issue.pages.get(sequence=1)
    page.text_source, page.confidence = "ocr", 83.4
    page.save()

    html = client.get(page_path(issue, 1)).content.decode()

    assert "Uncorrected OCR" in html and "83%" in html
    assert f'href="/corrections/page/{page.pk}/"' in html
