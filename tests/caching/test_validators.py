"""ETag and Last-Modified on every page, feed and protocol answer; 304 when they still hold."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.test import Client
from django.utils.http import http_date
from lxml import html

from backfile.archive.models import Article, Author
from tests.caching.conftest import COAL_BOARD, last_change_long_ago

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
KINDS = [
    "home",
    "publication",
    "decade",
    "year",
    "issue",
    "article",
    "author",
    "citation",
    "articles feed",
    "issues feed",
    "publication feed",
    "sitemap",
    "OAI Identify",
    "OAI ListRecords",
    "search page",
    "search API",
]


@pytest.fixture
def addresses(lantern) -> dict[str, str]:
    article = lantern[COAL_BOARD]
    stored = Article.objects.select_related("issue").get(slug=article.rstrip("/").rsplit("/")[-1])
    author = Author.objects.filter(bylines__article=stored).first() or Author.objects.first()
    return {
        "home": "/",
        "publication": "/the-lantern/",
        "decade": "/the-lantern/1950s/",
        "year": "/the-lantern/1950s/1952/",
        "issue": stored.issue.get_absolute_url(),
        "article": article,
        "author": author.get_absolute_url(),
        "citation": f"{article}cite.ris",
        "articles feed": "/feeds/articles.atom",
        "issues feed": "/feeds/issues.atom",
        "publication feed": "/feeds/the-lantern/articles.atom",
        "sitemap": "/sitemap.xml",
        "OAI Identify": "/oai?verb=Identify",
        "OAI ListRecords": "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "search page": "/search/?q=coal",
        "search API": "/api/search?q=coal",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_every_answer_has_validators_and_a_revalidation_gets_304(client, addresses, kind):
    last_change_long_ago()
    url = addresses[kind]
    first = client.get(url)
    assert first.status_code == 200, f"{url}: {first.status_code}"
    assert first["ETag"].startswith('W/"'), first.headers
    assert "no-cache" in first["Cache-Control"]
    last_modified = first["Last-Modified"]

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]

    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304
    assert by_date.content == b""

    stale = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert stale.status_code == 200 and stale.content


def test_an_etag_of_another_page_or_an_older_archive_gets_the_page(client, addresses):
    article = client.get(addresses["article"])
    issue = client.get(addresses["issue"], HTTP_IF_NONE_MATCH=article["ETag"])
    assert issue.status_code == 200 and b"<h1" in issue.content
    assert client.get(addresses["article"], HTTP_IF_NONE_MATCH='W/"0-0"').status_code == 200


def test_last_modified_waits_until_the_second_of_the_last_change_is_over(
    client, addresses, monkeypatch
):
    """A second change within the same second would keep the same Last-Modified, so a
    reader revalidating by date could be told nothing changed: none is sent until that
    second is over (the ETag always is)."""
    from datetime import timedelta

    from backfile.caching import http
    from backfile.caching.generation import bump, current

    bump()
    changed = current().changed
    monkeypatch.setattr(http.timezone, "now", lambda: changed + timedelta(milliseconds=1))
    fresh = client.get(addresses["issue"])
    assert fresh.status_code == 200 and "Last-Modified" not in fresh
    assert fresh["ETag"]

    later = changed.replace(microsecond=0) + timedelta(seconds=1)
    monkeypatch.setattr(http.timezone, "now", lambda: later)
    settled = client.get(addresses["issue"])
    assert settled["Last-Modified"] == http_date(int(changed.timestamp()))


def test_a_page_for_someone_signed_in_is_never_answered_304(client, addresses, django_user_model):
    page = client.get(addresses["article"])
    editor = django_user_model.objects.create_user("hilda", is_staff=True)
    client.force_login(editor)
    again = client.get(addresses["article"], HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 200 and b"Leave a Reply" in again.content
    assert "ETag" not in again


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("issue", "text/html"),
        ("article", "text/html"),
        ("articles feed", "application/atom+xml"),
        ("search API", "application/json"),
        ("OAI ListRecords", "text/xml"),
    ],
)
def test_html_json_and_xml_are_gzipped_for_readers_who_accept_it(
    client, addresses, kind, content_type
):
    """Whether made afresh or taken from the page cache (compressed once, with each
    reader's CSRF token compressed into it), the body unpacks to the same page."""
    url = addresses[kind]
    for attempt in ("afresh", "again"):
        packed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        plain = Client().get(url)
        assert "Content-Encoding" not in plain, attempt
        assert packed["Content-Encoding"] == "gzip", attempt
        assert packed["Content-Type"].startswith(content_type)
        assert "Accept-Encoding" in packed["Vary"]
        assert len(packed.content) < len(plain.content)
        unpacked = gzip.decompress(packed.content)
        assert TOKEN.sub(b"", unpacked) == TOKEN.sub(b"", plain.content), attempt
        if kind == "article":
            assert TOKEN.search(unpacked).group(1) != TOKEN.search(plain.content).group(1)
        if kind == "search API":
            assert json.loads(unpacked)["total"] >= 1


def test_a_reader_sent_a_compressed_cached_page_posts_with_its_token(client, addresses):
    url = addresses["article"]
    Client().get(url)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert page["X-Cache"] == "HIT" and page["Content-Encoding"] == "gzip"
    document = html.fromstring(gzip.decompress(page.content))
    form = document.xpath('//form[@method="post"]')[0]
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]/@value')[0]
    response = reader.post(
        form.get("action"),
        {
            "name": "Ada",
            "email": "",
            "text": "Well put.",
            "parent": "",
            "website": "",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
