"""IIIF for an issue's pages, through real HTTP (Django's test client) on stored pages whose
words and boxes are known: the manifest against the IIIF's own Presentation 3 schema, the
Image API's info.json and tiles, the Content Search API's boxes for a known word."""

from __future__ import annotations

import io
import json

import pytest
from jsonschema import Draft7Validator
from PIL import Image

from backfile.archive.models import Issue
from backfile.facsimiles.models import ArticlePage
from backfile.facsimiles.tiles import TILE_SIZE
from tests.conftest import FIXTURES
from tests.helpers.stored_pages import HEIGHT, WIDTH, store_picture, stored_issue, word_box
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BASE = "https://archive.example.org"
SCHEMA = json.loads((FIXTURES / "iiif" / "iiif_3_0.json").read_text(encoding="utf-8"))


@pytest.fixture
def issue(settings, media_folder) -> Issue:  # noqa: F811
    settings.BACKFILE_BASE_URL = BASE
    return stored_issue()


def schema_errors(document: dict) -> list[str]:
    validator = Draft7Validator(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_the_manifest_validates_and_names_the_pages_and_services(client, issue):
    manifest = get_json(client, f"/iiif/issue/{issue.pk}/manifest")
    assert schema_errors(manifest) == []
    assert manifest["id"] == f"{BASE}/iiif/issue/{issue.pk}/manifest"
    assert manifest["label"] == {"none": ["The Harbour Gazette, No. 12, 6 May 1911"]}
    values = {m["label"]["en"][0]: m["value"]["none"][0] for m in manifest["metadata"]}
    assert values == {"Publication": "The Harbour Gazette", "Date": "6 May 1911", "Number": "12"}
    assert manifest["navDate"] == "1911-05-06T00:00:00Z"
    assert manifest["service"] == [
        {
            "id": f"{BASE}/iiif/search/{issue.pk}",
            "type": "SearchService2",
            "profile": "http://iiif.io/api/search/2/search",
        }
    ]
    (rendering,) = manifest["rendering"]  # made from the page images: this issue has none
    assert rendering["label"] == {"en": ["The issue as a PDF, made from its page images"]}
    assert rendering["id"] == f"{BASE}{issue.get_absolute_url()}pages.pdf"
    canvases = manifest["items"]
    assert [c["label"] for c in canvases] == [{"none": ["1"]}, {"none": ["2"]}, {"none": ["3"]}]
    first = canvases[0]
    assert (first["width"], first["height"]) == (WIDTH, HEIGHT)
    painting = first["items"][0]["items"][0]
    assert painting["motivation"] == "painting" and painting["target"] == first["id"]
    page = issue.pages.get(sequence=1)
    assert painting["body"]["service"] == [
        {"id": f"{BASE}/iiif/{page.image}", "type": "ImageService3", "profile": "level0"}
    ]
    assert painting["body"]["id"].startswith(f"{BASE}/media/pictures/")
    assert client.get(painting["body"]["id"].removeprefix(BASE)).status_code == 200
    assert client.get(first["thumbnail"][0]["id"].removeprefix(BASE)).status_code == 200
    # the article printed on the first page, a range of the issue
    (article,) = manifest["structures"]
    assert article["label"] == {"none": ["Dockers vote to strike"]}
    assert article["items"] == [{"id": first["id"], "type": "Canvas"}]
    # the page's text: a supplementing annotation for each line, with the line's box
    text = get_json(client, first["annotations"][0]["id"].removeprefix(BASE))
    assert schema_errors(text) == []
    lines = [item["body"]["value"] for item in text["items"]]
    assert lines[1] == "Dockers vote to strike"
    assert all(item["motivation"] == "supplementing" for item in text["items"])
    x, y, _w, _h = word_box(issue, 1, "Dockers")
    assert text["items"][1]["target"].startswith(f"{first['id']}#xywh={x},{y},")


def test_an_article_zoned_on_its_pages_is_a_range_of_their_regions(client, issue):
    second = issue.pages.get(sequence=2)
    article = issue.articles.get()
    ArticlePage.objects.filter(article=article).update(regions=[[80, 80, 600, 300], "odd"])
    ArticlePage.objects.create(article=article, page=second, regions=[[0, 0, 10, 10]], how="zoned")
    manifest = get_json(client, f"/iiif/issue/{issue.pk}/manifest")
    assert schema_errors(manifest) == []
    (zoned,) = manifest["structures"]
    canvases = [item["source"]["id"].rsplit("/", 1)[-1] for item in zoned["items"]]
    regions = [item["selector"]["value"] for item in zoned["items"]]
    assert canvases == ["1", "2"] and regions == ["xywh=80,80,600,300", "xywh=0,0,10,10"]


def test_an_issue_pdf_is_the_manifests_rendering(client, issue):
    source = b"%PDF-1.4\n% an issue\n%%EOF\n"
    pdf = store_picture(source, "issue.pdf")
    Issue.objects.filter(pk=issue.pk).update(pdf=pdf.sha256)
    manifest = get_json(client, f"/iiif/issue/{issue.pk}/manifest")
    assert schema_errors(manifest) == []
    (rendering,) = manifest["rendering"]
    assert rendering["format"] == "application/pdf"
    assert rendering["label"] == {"en": ["The issue as a PDF"]}
    response = client.get(rendering["id"].removeprefix(BASE))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == source


def test_info_json_names_this_deployment_and_its_tiles_are_served(client, issue, media_folder):  # noqa: F811
    page = issue.pages.get(sequence=1)
    info = get_json(client, f"/iiif/{page.image}/info.json")
    assert info["id"] == f"{BASE}/iiif/{page.image}"
    assert info["type"] == "ImageService3" and info["profile"] == "level0"
    assert (info["width"], info["height"]) == (WIDTH, HEIGHT)
    assert info["tiles"][0]["width"] == TILE_SIZE
    assert client.get(f"/iiif/{page.image}").status_code == 302  # the service's own id
    # the top-left tile at full size, and the whole page at the smallest scale
    for path, size in [
        ("0,0,512,512/512,512/0/default.jpg", (512, 512)),
        (f"0,0,{WIDTH},{HEIGHT}/300,425/0/default.jpg", (300, 425)),
    ]:
        response = client.get(f"/iiif/{page.image}/{path}")
        assert response.status_code == 200, path
        assert response["Content-Type"] == "image/jpeg"
        assert "immutable" in response["Cache-Control"]
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == size
    assert client.get(f"/iiif/{page.image}/9000,0,512,512/512,512/0/default.jpg").status_code == 404
    # a sane number of files for a page: tiles at three scales and the info
    files = [p for p in (media_folder / "iiif" / page.image).rglob("*") if p.is_file()]
    assert 10 < len(files) < 40
    assert client.get(f"/iiif/{'0' * 64}/info.json").status_code == 404


def test_content_search_answers_a_known_word_with_its_box(client, issue):
    answer = get_json(client, f"/iiif/search/{issue.pk}?q=depot")
    assert answer["@context"] == [
        "http://iiif.io/api/presentation/3/context.json",
        "http://iiif.io/api/search/2/context.json",
    ]
    assert answer["type"] == "AnnotationPage"
    assert answer["id"] == f"{BASE}/iiif/search/{issue.pk}?q=depot"
    (item,) = answer["items"]
    x, y, w, h = word_box(issue, 1, "depot")
    assert item["target"] == f"{BASE}/iiif/issue/{issue.pk}/canvas/1#xywh={x},{y},{w},{h}"
    assert item["body"]["value"] == "depot"
    (context,) = answer["annotations"][0]["items"]
    assert context["motivation"] == "contextualizing"
    selector = context["target"][0]["selector"][0]
    assert selector["exact"] == "depot"
    assert selector["prefix"].endswith("at the Ferry Street ")
    assert "ignored" not in answer


def test_content_search_folds_case_and_accents_and_follows_phrases(client, issue):
    # "Café" for cafe; the phrase on two pages, in two cases; not "tramway men"
    cafe = get_json(client, f"/iiif/search/{issue.pk}?q=cafe")
    assert [i["body"]["value"] for i in cafe["items"]] == ["Café"]
    phrase = get_json(client, f'/iiif/search/{issue.pk}?q="tram strike"')
    assert [i["body"]["value"] for i in phrase["items"]] == ["tram", "strike", "TRAM", "STRIKE"]
    assert [i["target"].split("#")[0][-1] for i in phrase["items"]] == ["1", "1", "2", "2"]
    assert phrase["annotations"][0]["partOf"]["total"] == 2
    x, y, w, h = word_box(issue, 2, "STRIKE")
    assert phrase["items"][3]["target"].endswith(f"/canvas/2#xywh={x},{y},{w},{h}")
    # a parameter the service does not know is reported as ignored
    ignored = get_json(client, f"/iiif/search/{issue.pk}?q=coal&user=someone&date=x")
    assert ignored["ignored"] == ["date", "user"]
    assert len(ignored["items"]) == 1
    assert get_json(client, f"/iiif/search/{issue.pk}?q=zeppelin")["items"] == []
    assert get_json(client, f"/iiif/search/{issue.pk}")["items"] == []
    assert client.get("/iiif/search/999999?q=coal").status_code == 404


def test_many_hits_come_in_pages_of_an_annotation_collection(client, issue, monkeypatch):
    monkeypatch.setattr("backfile.facsimiles.iiif.HITS_PER_PAGE", 2)
    search = f"{BASE}/iiif/search/{issue.pk}"
    first = get_json(client, f"/iiif/search/{issue.pk}?q=strike&user=x")
    assert first["id"] == f"{search}?q=strike&page=1"
    assert first["partOf"] == {
        "id": f"{search}?q=strike",
        "type": "AnnotationCollection",
        "total": 3,
        "first": {"id": f"{search}?q=strike&page=1", "type": "AnnotationPage"},
        "last": {"id": f"{search}?q=strike&page=2", "type": "AnnotationPage"},
    }
    assert first["next"]["id"] == f"{search}?q=strike&page=2" and "prev" not in first
    assert first["ignored"] == ["user"]
    assert [i["body"]["value"] for i in first["items"]] == ["strike", "strike"]
    second = get_json(client, first["next"]["id"].removeprefix(BASE))
    assert second["prev"]["id"] == f"{search}?q=strike&page=1" and "next" not in second
    assert [i["body"]["value"] for i in second["items"]] == ["STRIKE"]
    assert second["items"][0]["target"].split("#")[0].endswith("/canvas/2")
    assert "ignored" not in second
    for odd in ("0", "3", "x", "-1", "²", "9" * 400):  # a page that is none: the first
        assert get_json(client, f"/iiif/search/{issue.pk}?q=strike&page={odd}")["id"] == first["id"]
