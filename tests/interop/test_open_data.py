"""The archive as open data, as a client meets it: JSON records with ids and absolute
addresses, typed parameters refused with a JSON problem, JSON 404s, CORS for GET, ETags, an
OpenAPI 3.1 document a validator accepts, and bulk dumps (gzipped JSONL, a valid BagIt bag)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openapi_spec_validator import validate

from backfile.archive.models import Article, Author, Issue, Publication
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from backfile.media.storage import media_storage
from tests.helpers.records import invented_record

BELL = "The Quarry Bell"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def bell(db):
    load([
        invented_record(BELL, IssueRecord(year=1921, number=12, month=5, day=3),
                        "Powder Prices Again", authors=["Gwen Pritchard", "Owain Rees"], position=1),
        invented_record(BELL, IssueRecord(year=1921, number=12, month=5, day=3),
                        "The Incline Accident", position=2),
        invented_record(BELL, IssueRecord(year=1921, number=13, month=5, day=10),
                        "Strike at the Penrhyn", authors=["Gwen Pritchard"]),
    ])  # fmt: skip
    Publication.objects.update(rights=CC_BY, issn="0378-5955", frequency="weekly")
    return Publication.objects.get()


def get(client, path: str, **headers):
    response = client.get(path, **headers)
    return response, (response.json() if "json" in response["Content-Type"] else None)


def test_publications_carry_their_catalogue_record_holdings_and_links(client, bell):
    response, body = get(client, "/api/publications")

    assert response.status_code == 200
    [found] = body["results"]
    assert found["id"] == bell.pk and found["slug"] == "the-quarry-bell"
    assert found["url"] == "http://testserver/the-quarry-bell/"
    assert found["api_url"] == "http://testserver/api/publications/the-quarry-bell"
    assert (found["issues"], found["articles"], found["first_year"]) == (2, 3, 1921)
    assert (found["issn"], found["rights"], found["frequency"]) == ("0378-5955", CC_BY, "weekly")
    _, issues = get(client, found["issues_url"].removeprefix("http://testserver"))
    assert [i["label"] for i in issues["results"]] == ["No. 12, 3 May 1921", "No. 13, 10 May 1921"]


def test_an_issue_lists_its_contents_and_an_article_its_body(client, bell):
    issue = Issue.objects.get(number=12)
    _, found = get(client, f"/api/issues/{issue.pk}")
    [first, second] = found["articles"]
    _, article = get(client, first["api_url"].removeprefix("http://testserver"))

    assert (found["date"], found["number"]) == ("1921-05-03", 12)
    assert (first["title"], second["title"]) == ("Powder Prices Again", "The Incline Accident")
    assert [a["name"] for a in first["authors"]] == ["Gwen Pritchard", "Owain Rees"]
    assert article["blocks"] == [{"type": "paragraph", "text": "The body of Powder Prices Again."}]
    assert article["issue"]["id"] == issue.pk


def test_an_article_as_its_jsonl_record_reads_back(client, bell):
    article = Article.objects.get(title="Strike at the Penrhyn")
    _, record = get(client, f"/api/articles/{article.pk}?format=jsonl")

    assert record["key"] == article.key and record["title"] == "Strike at the Penrhyn"
    assert record["issue"]["number"] == 13 and record["authors"] == ["Gwen Pritchard"]


def test_an_authors_articles_page_either_way(client, bell):
    _, oldest = get(client, "/api/authors/gwen-pritchard?per_page=1")
    _, newest = get(client, "/api/authors/gwen-pritchard?order=newest&per_page=1")
    _, everyone = get(client, "/api/authors")

    assert oldest["total"] == 2 and oldest["pages"] == 2
    assert oldest["results"][0]["title"] == "Powder Prices Again"
    assert newest["results"][0]["title"] == "Strike at the Penrhyn"
    assert oldest["next"] == ("http://testserver/api/authors/gwen-pritchard?per_page=1&page=2")
    assert [(a["name"], a["articles"]) for a in everyone["results"]] == [
        ("Gwen Pritchard", 2), ("Owain Rees", 1)]  # fmt: skip


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("/api/authors?page=abc", "page"),
        ("/api/authors?per_page=abc", "per_page"),
        ("/api/authors?page=0", "page"),
        ("/api/authors?per_page=100000", "per_page"),
        ("/api/publications/the-quarry-bell/issues?page=-1", "page"),
        ("/api/authors/gwen-pritchard?order=sideways", "order"),
        ("/api/articles/1?format=pdf", "format"),
    ],
)
def test_an_invalid_parameter_is_a_400_problem_naming_it(client, bell, path, parameter):
    response, body = get(client, path)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == 400 and parameter in [e["parameter"] for e in body["errors"]]


@pytest.mark.parametrize(
    "path", ["/api/nothing-here", "/api/issues/999999", "/api/authors/nobody", "/api/a/b/c/"]
)
def test_unknown_records_and_paths_are_json_404s(client, bell, path):
    response, body = get(client, path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json" and body["status"] == 404


def test_a_method_other_than_get_is_a_json_405(client, bell):
    response = client.post("/api/publications")

    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_get_is_open_to_any_origin_and_answers_carry_an_etag(client, bell):
    response = client.get("/api/publications", HTTP_ORIGIN="https://elsewhere.example")
    preflight = client.options("/api/publications", HTTP_ORIGIN="https://elsewhere.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")  # fmt: skip
    again = client.get("/api/publications", HTTP_IF_NONE_MATCH=response["ETag"])
    page = client.get("/", HTTP_ORIGIN="https://elsewhere.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert again.status_code == 304
    assert "Access-Control-Allow-Origin" not in page  # the reading site is not open data


def test_the_openapi_document_is_valid_openapi_3_1_with_typed_parameters(client, bell):
    document = client.get("/api/openapi.json").json()

    validate(document)
    assert document["openapi"].startswith("3.1")
    parameters = {
        p["name"]: p["schema"] for p in document["paths"]["/api/authors"]["get"]["parameters"]
    }
    assert parameters["page"]["type"] == "integer"
    assert "/api/articles/{article_id}" in document["paths"]


def test_swagger_ui_is_served_from_the_projects_own_static_files(client, bell):
    page = client.get("/api/docs").content.decode()

    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert "/static/" in page


def test_data_dumps_are_listed_with_their_terms_and_read_back(client, bell, tmp_path, settings):
    call_command("data-dumps", stdout=io.StringIO(), stderr=io.StringIO())
    page = client.get("/data/").content.decode()
    storage = media_storage()

    with storage.open("data/the-quarry-bell.jsonl.gz") as file:
        lines = gzip.decompress(file.read()).decode().splitlines()
    with storage.open("data/the-quarry-bell-bagit.tar.gz") as file:
        (tmp_path / "bag.tar.gz").write_bytes(file.read())
    with tarfile.open(tmp_path / "bag.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    bag = bagit.Bag(str(tmp_path / "the-quarry-bell-bag"))

    assert json.loads(lines[0])["record"] == "publication"  # its catalogue record first
    assert len(lines) == 4 and json.loads(lines[1])["publication"] == BELL
    assert bag.is_valid() and set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Rights"] == CC_BY
    assert "Creative Commons Attribution" in page and "the-quarry-bell.jsonl.gz" in page


def test_export_writes_a_bag_and_never_over_an_existing_folder(bell, tmp_path):
    call_command("export", "--format", "bagit", "-o", str(tmp_path / "bag"), stderr=io.StringIO())

    assert bagit.Bag(str(tmp_path / "bag")).is_valid()
    with pytest.raises(CommandError, match="exists already"):
        call_command("export", "--format", "bagit", "-o", str(tmp_path / "bag"))


def test_author_api_and_site_agree_on_the_author(client, bell):
    author = Author.objects.get(name="Owain Rees")
    _, found = get(client, f"/api/authors/{author.slug}")

    assert found["author"]["url"] == f"http://testserver{author.get_absolute_url()}"
