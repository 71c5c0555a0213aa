"""What search engines and metadata tools read from the pages, read as they read it (extruct):
schema.org JSON-LD and OpenGraph on article, issue, publication and author pages, canonical
links on the configured origin, and the OpenSearch description every page links."""

from __future__ import annotations

import extruct
import pytest
from lxml import etree

from backfile.archive.models import Article, Author, Publication
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord, ReviewedWork
from tests.helpers.records import invented_record

BELL = "The Quarry Bell"
ESTUARY = "The Estuary Review"
BELL_ISSUE = IssueRecord(year=1921, number=12, volume=3, month=5, day=3)
ESTUARY_ISSUE = IssueRecord(year=1960, number=4, month=6)


@pytest.fixture
def pages(db):
    load([
        invented_record(BELL, BELL_ISSUE, "Powder Prices Again", authors=["Gwen Pritchard"],
                        section="Leader", pages="4", standfirst="The owners raise </script> again"),
        invented_record(BELL, BELL_ISSUE, "The Incline Accident"),
        invented_record(ESTUARY, ESTUARY_ISSUE, "Stones That Speak", authors=["Idris Morgan"],
                        reviewed_works=[ReviewedWork(title="Rocks and Their Uses",
                                                     author="Thomas Lloyd", year=1959)]),
    ])  # fmt: skip
    Publication.objects.filter(name=BELL).update(
        frequency="weekly", issn="0378-5955", publisher="North Wales Quarrymen's Union",
        rights="http://rightsstatements.org/vocab/NoC-US/1.0/",
    )  # fmt: skip
    return {a.title: a for a in Article.objects.all()}


def read(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    return extruct.extract(response.content.decode(), base_url="http://testserver" + path,
                           syntaxes=["json-ld", "opengraph"], uniform=True)  # fmt: skip


def test_a_weekly_article_is_a_news_article_in_its_issue_volume_and_periodical(client, pages):
    article = pages["Powder Prices Again"]
    data = read(client, article.get_absolute_url())

    [ld] = data["json-ld"]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Powder Prices Again"
    gwen = "http://testserver/authors/gwen-pritchard/"
    assert ld["author"] == [{"@type": "Person", "@id": gwen, "name": "Gwen Pritchard", "url": gwen}]
    assert ld["datePublished"] == "1921-05-03"
    assert ld["description"] == "The owners raise </script> again"
    issue = ld["isPartOf"]
    assert (issue["@type"], issue["issueNumber"]) == ("PublicationIssue", "12")
    volume = issue["isPartOf"]
    assert (volume["@type"], volume["volumeNumber"]) == ("PublicationVolume", "3")
    assert volume["isPartOf"]["@type"] == "Periodical"
    assert volume["isPartOf"]["issn"] == "0378-5955"
    [og] = data["opengraph"]
    assert og["@type"] == "article" and og["og:title"] == "Powder Prices Again"  # og:type
    assert og["og:url"] == "http://testserver" + article.get_absolute_url()


def test_a_review_reviews_a_book_and_a_monthlys_article_is_an_article(client, pages):
    [ld] = read(client, pages["Stones That Speak"].get_absolute_url())["json-ld"]

    assert ld["@type"] == "Review"
    assert ld["itemReviewed"] == {"@type": "Book", "name": "Rocks and Their Uses",
                                  "author": {"@type": "Person", "name": "Thomas Lloyd"},
                                  "datePublished": "1959"}  # fmt: skip
    assert ld["datePublished"] == "1960-06"  # a month-only issue keeps its precision
    assert ld["isPartOf"]["isPartOf"]["@type"] == "Periodical"  # no volume known


def test_an_unsigned_article_names_no_author(client, pages):
    [ld] = read(client, pages["The Incline Accident"].get_absolute_url())["json-ld"]

    assert "author" not in ld and ld["publisher"]["name"] == "North Wales Quarrymen's Union"


def test_issue_publication_and_author_pages_describe_themselves(client, pages):
    article = pages["Powder Prices Again"]
    [issue] = read(client, article.issue.get_absolute_url())["json-ld"]
    [periodical] = read(client, article.publication.get_absolute_url())["json-ld"]
    author = Author.objects.get(name="Gwen Pritchard")
    [person] = read(client, author.get_absolute_url())["json-ld"]

    assert issue["@type"] == "PublicationIssue"
    assert [p["headline"] for p in issue["hasPart"]] == ["Powder Prices Again",
                                                         "The Incline Accident"]  # fmt: skip
    assert periodical["@type"] == "Periodical" and periodical["issn"] == "0378-5955"
    assert periodical["license"] == "http://rightsstatements.org/vocab/NoC-US/1.0/"
    gwen = "http://testserver/authors/gwen-pritchard/"
    assert person == {"@context": "https://schema.org", "@type": "Person", "@id": gwen,
                      "name": "Gwen Pritchard", "url": gwen}  # fmt: skip


def test_canonical_and_structured_data_use_the_base_url_whatever_the_host(client, pages, settings):
    settings.BACKFILE_BASE_URL = "https://archive.example.org"
    path = pages["Powder Prices Again"].get_absolute_url()
    page = client.get(path).content.decode()
    data = read(client, path)

    assert f'<link rel="canonical" href="https://archive.example.org{path}">' in page
    assert data["json-ld"][0]["@id"] == f"https://archive.example.org{path}"
    assert data["opengraph"][0]["og:url"] == f"https://archive.example.org{path}"


def test_every_page_links_an_opensearch_description_that_searches(client, pages):
    home = client.get("/").content.decode()
    response = client.get("/opensearch.xml")

    assert 'rel="search" type="application/opensearchdescription+xml"' in home
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = etree.fromstring(response.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = {u.get("type"): u.get("template") for u in root.iterfind("os:Url", ns)}
    html_search = templates["text/html"].replace("{searchTerms}", "powder").split("&")[0]
    assert client.get(html_search.removeprefix("http://testserver")).status_code == 200
    assert templates["application/atom+xml"] == "http://testserver/search/feed.atom?q={searchTerms}"
