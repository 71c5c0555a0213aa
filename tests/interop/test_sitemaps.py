"""Sitemaps and robots.txt as a crawler reads them: XML in the sitemaps namespace,
every address a page that exists."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from backfile.archive.models import Article, Author, Issue
from backfile.ingest.loader import load
from backfile.interop.feeds.sitemaps import SITEMAPS
from tests.helpers.invented_archive import load_archive, many_articles

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_xml(client, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert etree.QName(root).namespace == NS["sm"]
    return root


def sitemap_paths(client) -> list[str]:
    """The address of every sitemap page the index names (a query string keeps its page)."""
    index = read_xml(client, "/sitemap.xml")
    assert etree.QName(index).localname == "sitemapindex"
    paths = []
    for loc in index.xpath("sm:sitemap/sm:loc/text()", namespaces=NS):
        url = urlparse(loc)
        paths.append(f"{url.path}?{url.query}" if url.query else url.path)
    return paths


def urls_in(client, path: str) -> dict[str, str | None]:
    """A sitemap page's addresses (as paths), each with its lastmod if any."""
    root = read_xml(client, path)
    assert etree.QName(root).localname == "urlset"
    return {
        urlparse(url.findtext("sm:loc", namespaces=NS)).path: url.findtext(
            "sm:lastmod", namespaces=NS
        )
        for url in root.xpath("sm:url", namespaces=NS)
    }


@pytest.fixture
def archive(db):
    return load_archive()


def test_the_index_names_a_sitemap_for_each_kind_of_page(client, archive):
    assert sorted(sitemap_paths(client)) == [
        "/sitemap-articles.xml",
        "/sitemap-authors.xml",
        "/sitemap-books.xml",
        "/sitemap-browse.xml",
        "/sitemap-issues.xml",
        "/sitemap-names.xml",
    ]


def test_the_index_of_names_and_the_reviewed_books_are_mapped(client, archive):
    from backfile.archive.models import ReviewedWork
    from backfile.authority.models import Entry

    mentioned = Entry.objects.create(type="place", name="Saltmarsh")
    Entry.objects.create(type="person", name="Nobody Mentioned")
    article = Article.objects.order_by("pk").first()
    mentioned.mentions.create(article_id=article.pk, count=1, sentence="At Saltmarsh.")
    work = ReviewedWork.objects.create(title="The Unmapped Shire", author="Gideon Pellow")
    work.review_links.create(article_id=article.pk)
    ReviewedWork.objects.create(title="Never Reviewed")

    odd = Entry.objects.create(type="place", name="Odd")
    Entry.objects.filter(pk=odd.pk).update(slug="odd slug!")  # a stored row no address holds
    odd.mentions.create(article_id=article.pk, count=1)
    assert set(urls_in(client, "/sitemap-names.xml")) == {"/places/saltmarsh/"}
    assert set(urls_in(client, "/sitemap-books.xml")) == {f"/books/{work.pk}-the-unmapped-shire/"}
    for path in ("/places/saltmarsh/", f"/books/{work.pk}-the-unmapped-shire/"):
        assert client.get(path).status_code == 200


def test_every_address_in_every_sitemap_is_a_page(client, archive):
    for sitemap in sitemap_paths(client):
        for path in urls_in(client, sitemap):
            assert client.get(path).status_code == 200, (sitemap, path)


def test_the_article_sitemap_lists_each_article_once_with_its_date(client, archive):
    urls = urls_in(client, "/sitemap-articles.xml")

    articles = Article.objects.select_related("issue", "publication")
    assert set(urls) == {a.get_absolute_url() for a in articles}
    assert len(urls) == len(archive)
    for article in articles:  # when it last changed, not the date it bears
        assert urls[article.get_absolute_url()] == f"{article.modified:%Y-%m-%d}"


def test_a_changed_article_gets_a_later_lastmod_and_an_unchanged_one_keeps_its_own(client, db):
    records = many_articles(2)
    load(records)
    Article.objects.update(modified=datetime(2025, 6, 1, 12, 0, tzinfo=UTC))
    records[0].title = "A corrected headline"
    load(records)

    unchanged, changed = sorted(urls_in(client, "/sitemap-articles.xml").values())
    assert unchanged == "2025-06-01"
    assert changed > "2025-06-01"


def test_the_other_sitemaps_cover_issues_print_runs_and_authors(client, archive):
    Author.objects.create(name="Nobody Yet", slug="nobody-yet")  # no byline: no page to list
    issues = urls_in(client, "/sitemap-issues.xml")
    browse = urls_in(client, "/sitemap-browse.xml")
    authors = urls_in(client, "/sitemap-authors.xml")

    assert set(issues) == {i.get_absolute_url() for i in Issue.objects.all()}
    assert set(browse) == {
        "/the-weir-bulletin/",
        "/the-weir-bulletin/1940s/",
        "/the-weir-bulletin/1940s/1948/",
        "/the-weir-bulletin/1950s/",
        "/the-weir-bulletin/1950s/1950/",
        "/saltings-weekly/",
        "/saltings-weekly/1940s/",
        "/saltings-weekly/1940s/1949/",
    }
    assert set(authors) == {a.get_absolute_url() for a in Author.objects.exclude(bylines=None)}
    assert len(authors) == 5


def test_a_large_section_is_paged_and_the_pages_cover_it(client, archive, monkeypatch):
    monkeypatch.setattr(SITEMAPS["articles"], "limit", 3)

    pages = [p for p in sitemap_paths(client) if p.startswith("/sitemap-articles.xml")]
    assert pages == [
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-articles.xml?p=3",
    ]
    seen = [path for page in pages for path in urls_in(client, page)]
    assert len(seen) == len(set(seen)) == len(archive)


def test_an_unknown_section_is_not_found(client, archive):
    assert client.get("/sitemap-pamphlets.xml").status_code == 404


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Each also reads the archive's generation (the ETag and page cache key).
        ("/sitemap.xml", 8),  # a count for each of the six sections, the browse rows
        ("/sitemap-articles.xml", 3),  # the count; the page's rows
        ("/sitemap-issues.xml", 3),
        ("/sitemap-authors.xml", 3),
        ("/sitemap-names.xml", 3),
        ("/sitemap-books.xml", 3),
    ],
)
def test_a_sitemap_takes_the_same_few_queries_however_many_pages(
    client, db, django_assert_max_num_queries, path, queries
):
    load(many_articles(60))

    with django_assert_max_num_queries(queries):
        read_xml(client, path)


def test_the_article_sitemap_leaves_the_bodies_in_the_database(client, archive):
    with CaptureQueriesContext(connection) as queries:
        read_xml(client, "/sitemap-articles.xml")

    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if '"blocks"' in q["sql"]]


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_searches(client, archive):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/?",
        "Sitemap: http://testserver/sitemap.xml",
    ]
    assert sitemap_paths(client)
