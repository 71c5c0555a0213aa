"""The search page, the JSON API, the command, and highlighting on the article page."""

from __future__ import annotations

import html
import json
import re
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_search_page_lists_results_with_exact_total_and_snippets(client, archive):
    page = client.get("/search/", {"q": "strike union"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "1–2 of 2 results" in body
    assert "Ferry crews stop the crossing" in body
    assert "<mark>union</mark>" in body


def test_search_keeps_the_query_in_the_address_of_every_link(client, archive):
    body = client.get("/search/", {"q": "strike", "sort": "oldest"}).content.decode()
    article_links = re.findall(r'<h3><a href="([^"]+)"', body)
    assert article_links and all("?q=strike" in link for link in article_links)
    facet_links = re.findall(r'href="(\?[^"]+)"', html.unescape(body))
    assert facet_links
    for link in facet_links:
        params = parse_qs(urlparse(link).query)
        assert params["q"] == ["strike"]


def test_clicking_a_facet_narrows_the_results(client, archive):
    body = html.unescape(client.get("/search/", {"q": "strike"}).content.decode())
    industry = re.search(r'<a href="(\?[^"]*section=Industry[^"]*)"', body).group(1)
    narrowed = client.get("/search/" + industry).content.decode()
    assert "1–2 of 2 results" in narrowed
    assert "Song of the slipway" not in narrowed
    assert "Remove section Industry" in narrowed


def test_pages_link_to_each_other(client, store):
    from tests.search.conftest import record

    store(
        *[
            record(f"n{i}", f"Branch note {i}", "The branch met.", month=1 + i % 12)
            for i in range(45)
        ]
    )
    body = html.unescape(client.get("/search/", {"q": "branch", "page": "2"}).content.decode())
    assert "21–40 of 45 results" in body
    assert 'rel="prev"' in body and 'rel="next"' in body


def test_empty_search_page_explains_the_language(client, db):
    body = client.get("/search/").content.decode()
    assert "How to search" in body and "year:1930..1939" in body


def test_bad_parameters_get_a_results_page(client, archive):
    page = client.get(
        "/search/", {"q": "strike", "page": "x", "year": "nineteen", "sort": "sideways"}
    )
    assert page.status_code == 200
    assert "is not a year" in page.content.decode()


def test_api_returns_total_facets_and_results(client, archive):
    data = client.get("/api/search", {"q": "labour"}).json()
    assert data["total"] == 2
    assert {r["title"] for r in data["results"]} == {
        "The case for nationalisation of the mills",
        "Organizing labor in the canneries",
    }
    first = data["results"][0]
    assert set(first) >= {"url", "title", "issue", "date", "authors", "snippet"}
    assert first["url"].endswith("?q=labour")
    assert {f["label"] for f in data["facets"]["decade"]} == {"1930s", "1950s"}


def test_api_narrows_by_facet(client, archive):
    data = client.get("/api/search", {"q": "labour", "decade": "1950s"}).json()
    assert [r["title"] for r in data["results"]] == ["Organizing labor in the canneries"]
    assert data["results"][0]["authors"] == ["Cora Pennywhistle"]
    assert data["results"][0]["date"] == "1952-06-01"


def test_command_prints_results_and_json(archive):
    out = StringIO()
    call_command("search", "nationalization", stdout=out)
    text = out.getvalue()
    assert text.startswith("1 result")
    assert "[Nationalisation]" in text
    out = StringIO()
    call_command("search", "author:okonjo", "--json", "--sort", "newest", stdout=out)
    data = json.loads(out.getvalue())
    assert [r["title"] for r in data["results"]] == [
        "Walmart wages fall again",
        "Inside a Wal-Mart warehouse",
    ]


def test_article_opened_from_results_highlights_the_words(client, archive):
    body = client.get("/search/", {"q": "debacle"}).content.decode()
    link = html.unescape(re.search(r'<h3><a href="([^"]+)"', body).group(1))
    article = client.get(link).content.decode()
    assert 'id="search-hit-1"' in article
    assert ">débâcle</mark>" in article
    assert 'href="#search-hit-1"' in article


def test_article_without_a_search_is_unmarked(client, archive):
    body = client.get("/search/", {"q": "debacle"}).content.decode()
    link = re.search(r'<h3><a href="([^"?]+)', body).group(1)
    assert "<mark" not in client.get(link).content.decode()
