"""BACKFILE_BASE_URL is the origin of every absolute URL; a forged Host header never is.

Each request comes with `Host: evil.example`, a host the test lets past ALLOWED_HOSTS
(as a careless `*` would) to show that even then nothing the archive emits names it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from lxml import etree

from backfile.archive.models import Article, Author, Issue, Publication
from tests.helpers.invented_archive import load_archive

BASE = "https://archive.example.org"
EVIL = "evil.example"
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}


@pytest.fixture
def forged(settings, client, db):
    """A client whose every request says `Host: evil.example`, on an archive with a base URL."""
    load_archive()
    settings.BACKFILE_BASE_URL = BASE
    settings.ALLOWED_HOSTS = [EVIL, "archive.example.org"]
    client.defaults["HTTP_HOST"] = EVIL
    return client


def fetched(client, path: str) -> str:
    """The response to `path`, checked to name neither the forged host in body nor headers."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert EVIL not in text, path
    for header, value in response.items():
        assert EVIL not in value, (path, header, value)
    return text


def some_article() -> Article:
    return Article.objects.select_related("issue__publication").order_by("pk").first()


def test_oai_pmh_names_the_base_url_and_its_host(forged):
    identify = etree.fromstring(fetched(forged, "/oai?verb=Identify").encode())
    assert identify.findtext(".//o:baseURL", namespaces=OAI) == f"{BASE}/oai"
    assert identify.findtext(".//o:adminEmail", namespaces=OAI) == "webmaster@archive.example.org"
    assert identify.findtext("o:request", namespaces=OAI) == f"{BASE}/oai"

    records = etree.fromstring(
        fetched(forged, "/oai?verb=ListRecords&metadataPrefix=oai_dc").encode()
    )
    identifiers = records.xpath("//o:header/o:identifier/text()", namespaces=OAI)
    assert identifiers and all(
        i.startswith("oai:archive.example.org:article:") for i in identifiers
    )
    links = records.xpath(
        "//dc:identifier/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}
    )
    assert links and all(link.startswith(f"{BASE}/") for link in links)
    fetched(forged, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    fetched(forged, f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={identifiers[0]}")


def test_an_oai_namespace_and_admin_email_of_their_own_win(forged, settings):
    settings.BACKFILE_OAI_NAMESPACE = "archive.example"
    settings.BACKFILE_ADMIN_EMAIL = "harvest@example.org"
    identify = etree.fromstring(fetched(forged, "/oai?verb=Identify").encode())
    assert identify.findtext(".//o:adminEmail", namespaces=OAI) == "harvest@example.org"
    listing = fetched(forged, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert "oai:archive.example:article:" in listing


@pytest.mark.parametrize(
    "path",
    ["/feeds/articles.atom", "/feeds/issues.atom", "/feeds/the-weir-bulletin/articles.atom"],
)
def test_feeds_link_to_the_base_url(forged, path):
    feed = etree.fromstring(fetched(forged, path).encode())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    hrefs = feed.xpath("//a:link/@href", namespaces=atom) + feed.xpath(
        "//a:id/text() | //a:author/a:uri/text()", namespaces=atom
    )
    assert len(hrefs) > 3
    assert all(href.startswith(f"{BASE}/") for href in hrefs), hrefs


def test_sitemaps_and_robots_txt_name_the_base_url(forged):
    index = fetched(forged, "/sitemap.xml")
    sections = re.findall(r"<loc>([^<]+)</loc>", index)
    assert sections and all(s.startswith(f"{BASE}/sitemap-") for s in sections)
    located = 0
    for section in sections:  # (an archive without an index of names has an empty section)
        page = fetched(forged, section.removeprefix(BASE))
        locations = re.findall(r"<loc>([^<]+)</loc>", page)
        assert all(loc.startswith(f"{BASE}/") for loc in locations)
        located += len(locations)
    assert located
    assert f"Sitemap: {BASE}/sitemap.xml" in fetched(forged, "/robots.txt")


def test_article_page_canonical_link_and_citation_tags_use_the_base_url(forged):
    article = some_article()
    page = fetched(forged, article.get_absolute_url() + "?q=body")
    expected = f"{BASE}{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{expected}">' in page
    assert f'<meta name="citation_public_url" content="{expected}">' in page
    assert f'<meta name="DC.identifier" content="{expected}">' in page


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
def test_citation_downloads_use_the_base_url(forged, extension):
    article = some_article()
    text = fetched(forged, f"{article.get_absolute_url()}cite.{extension}")
    assert f"{BASE}{article.get_absolute_url()}" in text


def test_every_browsing_page_has_its_canonical_link_on_the_base_url(forged):
    issue = Issue.objects.select_related("publication").first()
    publication = Publication.objects.first()
    author = Author.objects.first()
    for path in [
        "/",
        publication.get_absolute_url(),
        f"{publication.get_absolute_url()}{issue.decade}s/",
        issue.get_absolute_url(),
        author.get_absolute_url(),
        "/search/",
    ]:
        assert f'<link rel="canonical" href="{BASE}{path}">' in fetched(forged, path), path


def test_a_search_results_page_claims_no_canonical_address(forged):
    assert 'rel="canonical"' not in fetched(forged, "/search/?q=body")


def test_the_search_api_gives_absolute_urls_on_the_base_url(forged):
    data = json.loads(fetched(forged, "/api/search?q=body"))
    urls = [result["url"] for result in data["results"]]
    assert urls and all(url.startswith(f"{BASE}/") for url in urls)
    assert all(url.endswith("?q=body") for url in urls)


def test_the_path_of_a_base_url_becomes_the_script_prefix():
    env = {**os.environ, "BACKFILE_BASE_URL": "https://example.org/archive/"}
    shown = subprocess.run(
        [sys.executable, "-c", "from backfile import settings as s; print(s.FORCE_SCRIPT_NAME)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "/archive"


def test_without_a_base_url_the_checked_request_host_is_used(client, db, settings):
    load_archive()
    settings.BACKFILE_BASE_URL = ""
    identify = client.get("/oai?verb=Identify").content.decode()
    assert "<baseURL>http://testserver/oai</baseURL>" in identify
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_a_missing_page_claims_no_canonical_address(forged):
    response = forged.get("/no-such-publication/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'rel="canonical"' not in page and EVIL not in page
