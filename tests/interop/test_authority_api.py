"""The authority file as open data: /api/authority A to Z (by type, paginated), an entry with
its aliases and the articles that mention it by date, and an article's record with the
entries it mentions and the passages it quotes; all in a valid OpenAPI document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from backfile.archive.models import Article, ReviewedWork
from backfile.authority.models import Alias, Entry, Mention
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from backfile.ingest.records import ReviewedWork as ReviewedWorkRecord
from backfile.quotations.models import Quotation
from tests.authority.entry_urls import entry_pages  # noqa: F401 (a fixture)
from tests.helpers.records import invented_record

BELL = "The Quarry Bell"
HOST = "http://testserver"


@pytest.fixture
def indexed(db, entry_pages):  # noqa: F811
    load([
        invented_record(BELL, IssueRecord(year=1921, number=13, month=5, day=10),
                        "Later Word"),
        invented_record(BELL, IssueRecord(year=1921, number=12, month=5, day=3),
                        "Earlier Word",
                        reviewed_works=[ReviewedWorkRecord(title="Letters Home", author="X")]),
        invented_record(BELL, IssueRecord(year=1921, number=12, month=5, day=3), "Unrelated"),
    ])  # fmt: skip
    lenin = Entry.objects.create(type="person", name="Lenin", note="Bolshevik", dates="1870–1924")
    for alias in ("Vladimir Lenin", "V. I. Lenin"):
        Alias.objects.create(entry=lenin, name=alias)
    kazan = Entry.objects.create(type="place", name="Kazan")
    Entry.objects.create(type="organisation", name="P.O.U.M.")
    later = Article.objects.get(title="Later Word")
    earlier = Article.objects.get(title="Earlier Word")
    for article, entry, count, sentence, sort_key in [
        (later, lenin, 2, "Lenin in May.", 19210510),
        (earlier, lenin, 1, "Lenin before.", 19210503),
        (earlier, kazan, 4, "At Kazan.", 19210503),
    ]:
        defaults = {"count": count, "sentence": sentence, "sort_key": sort_key}
        Mention.objects.update_or_create(article=article, entry=entry, defaults=defaults)
    Quotation.objects.filter(article=earlier).delete()
    Quotation.objects.create(
        article=earlier,
        position=0,
        kind="block",
        text="A passage.",
        pages="30",
        work=ReviewedWork.objects.get(),
    )
    Quotation.objects.create(article=earlier, position=1, kind="inline", text="Words quoted.")
    return lenin, kazan, earlier


def get(client, path: str):
    response = client.get(path)
    return response, response.json()


def test_the_authority_file_a_to_z_by_type_and_paginated(client, indexed):
    lenin, kazan, _ = indexed

    _, everyone = get(client, "/api/authority")
    _, places = get(client, "/api/authority?type=place")
    _, first = get(client, "/api/authority?per_page=2")

    assert [(e["name"], e["type"], e["articles"]) for e in everyone["results"]] == [
        ("Kazan", "place", 1), ("Lenin", "person", 2), ("P.O.U.M.", "organisation", 0)]  # fmt: skip
    assert [e["name"] for e in places["results"]] == ["Kazan"]
    assert (first["total"], first["pages"], len(first["results"])) == (3, 2, 2)
    assert first["next"] == f"{HOST}/api/authority?per_page=2&page=2"
    found = everyone["results"][1]
    assert found["api_url"] == f"{HOST}/api/authority/person/lenin"
    assert found["url"] == HOST + lenin.get_absolute_url()
    assert found["dates"] == "1870–1924"


def test_an_entry_with_its_aliases_and_articles_by_date(client, indexed):
    response, body = get(client, "/api/authority/person/lenin")

    assert response.status_code == 200
    entry = body["entry"]
    assert entry["aliases"] == ["V. I. Lenin", "Vladimir Lenin"]
    assert (entry["note"], entry["articles"], entry["mentions"]) == ("Bolshevik", 2, 3)
    assert [(r["article"]["title"], r["count"], r["sentence"]) for r in body["results"]] == [
        ("Earlier Word", 1, "Lenin before."),
        ("Later Word", 2, "Lenin in May."),
    ]
    _, second = get(client, "/api/authority/person/lenin?per_page=1&page=2")
    assert [r["article"]["title"] for r in second["results"]] == ["Later Word"]


@pytest.mark.parametrize(
    "path, status",
    [("/api/authority/person/nobody", 404), ("/api/authority/place/lenin", 404),
     ("/api/authority/ship/lenin", 400), ("/api/authority?type=ship", 400),
     ("/api/authority?page=0", 400)],
)  # fmt: skip
def test_unknown_entries_and_bad_parameters_are_json_problems(client, indexed, path, status):
    response, body = get(client, path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json" and body["status"] == status


def test_an_article_carries_its_mentions_and_quotations(client, indexed):
    lenin, kazan, earlier = indexed

    _, article = get(client, f"/api/articles/{earlier.pk}")
    _, record = get(client, f"/api/articles/{earlier.pk}?format=jsonl")

    assert [(m["type"], m["name"], m["count"]) for m in article["mentions"]] == [
        ("person", "Lenin", 1), ("place", "Kazan", 4)]  # fmt: skip
    assert article["mentions"][1]["api_url"] == f"{HOST}/api/authority/place/kazan"
    assert article["quotations"] == [
        {"text": "A passage.", "pages": "30", "work": "Letters Home"},
        {"text": "Words quoted.", "pages": "", "work": None},
    ]
    assert record["mentions"] == [{"type": "person", "name": "Lenin"},
                                  {"type": "place", "name": "Kazan"}]  # fmt: skip
    assert record["quotations"] == article["quotations"]


def test_an_entry_edited_is_seen_at_once(client, indexed):
    lenin, *_ = indexed
    get(client, "/api/authority/person/lenin")

    lenin.note = "Corrected"
    lenin.save()

    assert get(client, "/api/authority/person/lenin")[1]["entry"]["note"] == "Corrected"


def test_the_openapi_document_stays_valid_with_the_authority_file(client, indexed):
    document = client.get("/api/openapi.json").json()

    validate(document)
    assert "/api/authority" in document["paths"]
    assert "/api/authority/{type}/{slug}" in document["paths"]
    parameters = {
        p["name"]: p["schema"] for p in document["paths"]["/api/authority"]["get"]["parameters"]
    }
    assert parameters["page"]["type"] == "integer"
    schemas = document["components"]["schemas"]
    assert {"mentions", "quotations"} <= set(schemas["ArticleOut"]["properties"])


def test_the_lists_cost_the_same_queries_however_many_entries(client, indexed):
    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = queries("/api/authority?per_page=200"), queries("/api/authority/person/lenin")
    lenin, piece = Entry.objects.get(name="Lenin"), Article.objects.get(title="Unrelated")
    Mention.objects.update_or_create(article=piece, entry=lenin, defaults={"count": 1})
    for n in range(30):
        Entry.objects.create(type="place", name=f"Village {n}")
    many = queries("/api/authority?per_page=200"), queries("/api/authority/person/lenin")

    assert many == few


def test_an_article_costs_the_same_queries_however_many_it_quotes_and_mentions(client, indexed):
    from django.core.cache import caches

    def queries(path: str) -> int:
        caches["default"].clear()  # (the API's answers are cached)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    _lenin, _kazan, earlier = indexed
    paths = (f"/api/articles/{earlier.pk}", f"/api/articles/{earlier.pk}?format=jsonl")
    few = [queries(path) for path in paths]
    for n in range(2, 12):
        Quotation.objects.create(article=earlier, position=n, kind="inline", text=f"Words {n}.",
                                 work=ReviewedWork.objects.get())  # fmt: skip
        place = Entry.objects.create(type="place", name=f"Village {n}")
        Mention.objects.update_or_create(article=earlier, entry=place, defaults={"count": 1})
    assert [queries(path) for path in paths] == few


def test_an_odd_stored_entry_costs_its_links_not_the_answer(client, indexed):
    _lenin, _kazan, earlier = indexed
    odd = Entry.objects.create(type="place", name="Odd")
    Entry.objects.filter(pk=odd.pk).update(type="planet")  # a row no page can show
    Mention.objects.update_or_create(article=earlier, entry=odd, defaults={"count": 1})

    response, article = get(client, f"/api/articles/{earlier.pk}")
    assert response.status_code == 200
    assert [m["name"] for m in article["mentions"]] == ["Lenin", "Kazan"]  # the odd one left out
    listed = client.get("/api/authority?per_page=200")
    assert listed.status_code == 200 and "Odd" not in [e["name"] for e in listed.json()["results"]]
